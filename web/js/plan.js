// The plan card: summary, roadmap, risks, KPIs and sources, with numbered citation chips.

import { openCitation } from "./citations.js";
import { h, icon } from "./dom.js";
import { t } from "./i18n.js";

const MARKER = /\[(\d+(?:\s*[,，]\s*\d+)*)\]/g;
const PHASES = ["0-3", "3-6", "6-12"];

const TRAILING = /^[，。；、,.;:：！？!?)）]+/;

/**
 * Text with `[n]` markers turned into chips, plus chips for cited ids not marked inline.
 * Chips stay glued to the punctuation after them, so a line never starts with "，".
 */
function cited(text, ids, plan, statement = null) {
  const src = String(text || "");
  const known = new Set(plan.citations.map((c) => c.id));
  const stmt =
    statement ??
    src
      .replace(MARKER, "")
      .replace(/\s+([。，,.])/g, "$1")
      .trim();
  const parts = [];
  const used = new Set();
  let group = null; // chips waiting for the punctuation that follows them
  let clause = stmt;
  const flush = (rest) => {
    if (!group) return parts.push(rest);
    const punct = (rest.match(TRAILING) || [""])[0];
    parts.push(h("span", { class: "cite-group" }, group, punct), rest.slice(punct.length));
    group = null;
  };
  let last = 0;
  for (const m of src.matchAll(MARKER)) {
    const before = src.slice(last, m.index);
    flush(before);
    // A chip supports the clause right before it; a tiny fragment says too little alone.
    const own = before.replace(/^[\s，,；;。]+/, "").trim();
    if (own) clause = own.replace(/[\p{P}\s]/gu, "").length >= 6 ? own : stmt;
    group = group || [];
    for (const n of m[1].split(/\s*[,，]\s*/).map(Number)) {
      if (known.has(n) && !used.has(n)) group.push(chip(n, clause, plan));
      used.add(n);
    }
    last = m.index + m[0].length;
  }
  flush(src.slice(last));
  const extra = (ids || []).filter((n) => known.has(n) && !used.has(n));
  return [...parts, ...extra.map((n) => chip(n, stmt, plan))];
}

function chip(n, statement, plan) {
  const c = plan.citations.find((x) => x.id === n);
  return h(
    "button",
    {
      type: "button",
      class: "chip",
      "aria-label": `${t("citation", n)}: ${c.title}`,
      title: c.title,
      onclick: (e) => openCitation(plan.citations, n, statement, e.currentTarget),
    },
    String(n),
  );
}

/** The summary split by sentence, so each chip carries the sentence it supports. */
function summary(plan) {
  const text = plan.summary || "";
  const sentences = text.match(/[^。！？!?]+?(?:[。！？!?]+|\.(?=\s)|\.$|$)(?:\s*\[[\d,，\s]+\])*/g) || [
    text,
  ];
  const inline = MARKER.test(text);
  MARKER.lastIndex = 0;
  const nodes = sentences.flatMap((s) => cited(s, [], plan));
  if (!inline) nodes.push(...cited("", plan.summary_citations, plan, text));
  return h("p", { class: "summary-text" }, nodes);
}

function areaTag(area) {
  return area ? h("span", { class: `area-tag area-${area}` }, t("areas")[area] || area) : null;
}

function section(key, title, ...body) {
  return h("section", { class: `plan-sec sec-${key}`, "aria-label": title }, h("h3", {}, title), ...body);
}

function roadmap(plan) {
  const phases = PHASES.map((phase) => [phase, plan.actions.filter((a) => a.phase === phase)]).filter(
    ([, items]) => items.length,
  );
  return h(
    "ol",
    { class: "timeline" },
    phases.map(([phase, items]) =>
      h(
        "li",
        { class: "phase", dataset: { phase } },
        h(
          "div",
          { class: "phase-label" },
          h("span", { class: "phase-dot", "aria-hidden": "true" }),
          t("phases")[phase],
        ),
        h(
          "ul",
          { class: "phase-items" },
          items.map((a) =>
            h(
              "li",
              { class: "action-card" },
              h("p", { class: "action-text" }, cited(a.text, a.citations, plan)),
              h(
                "div",
                { class: "badges" },
                h("span", { class: "badge owner", title: t("owner") }, icon("org"), a.owner),
                h(
                  "span",
                  { class: `badge prio prio-${a.priority}` },
                  t("priority")[a.priority] || a.priority,
                ),
                areaTag(a.area),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function risks(plan) {
  return h(
    "ul",
    { class: "risk-list" },
    plan.risks.map((r) =>
      h(
        "li",
        { class: "risk" },
        h(
          "div",
          { class: "risk-row" },
          h("span", { class: "k k-risk" }, t("risk")),
          h("p", {}, cited(r.risk, r.citations, plan)),
        ),
        h(
          "div",
          { class: "risk-row" },
          h("span", { class: "k k-mit" }, t("mitigation")),
          h("p", {}, r.mitigation),
        ),
      ),
    ),
  );
}

function kpis(plan) {
  return h(
    "ul",
    { class: "kpi-grid" },
    plan.kpis.map((k) =>
      h(
        "li",
        { class: "kpi" },
        h("div", { class: "kpi-name" }, cited(k.name, k.citations, plan)),
        k.target ? h("div", { class: "kpi-target" }, h("span", { class: "k" }, t("target")), k.target) : null,
        areaTag(k.area),
      ),
    ),
  );
}

function sources(plan) {
  return h(
    "ol",
    { class: "source-list" },
    plan.citations.map((c) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "source",
            onclick: (e) => openCitation(plan.citations, c.id, "", e.currentTarget),
          },
          h("span", { class: "source-num" }, String(c.id)),
          h(
            "span",
            { class: "source-body" },
            h("span", { class: "source-title" }, c.title || c.source),
            h(
              "span",
              { class: "source-meta" },
              [c.section, c.page ? t("page", c.page) : null, c.source].filter(Boolean).join(" · "),
            ),
          ),
        ),
      ),
    ),
  );
}

export function verificationBadge(v) {
  const good = v.citation_recall >= 0.8 && v.citation_precision >= 0.8;
  return h(
    "div",
    { class: `verify ${good ? "good" : "warn"}`, role: "status", title: t("verifyDetail", v) },
    icon(good ? "check" : "alert"),
    h("span", { class: "verify-label" }, t("verified")),
    h("span", { class: "verify-fig" }, `${t("verifyRecall")} ${Math.round(v.citation_recall * 100)}%`),
    h("span", { class: "verify-fig" }, `${t("verifyPrecision")} ${Math.round(v.citation_precision * 100)}%`),
  );
}

function banners(plan) {
  const reasons = plan.degraded_reasons || [];
  if (plan.mode !== "offline" && !plan.degraded) return null;
  return h(
    "div",
    { class: "banner", role: "note" },
    icon("info"),
    h(
      "div",
      {},
      h("p", {}, plan.mode === "offline" ? t("offlineBanner") : t("degradedBanner")),
      reasons.length
        ? h(
            "ul",
            {},
            reasons.map((r) => h("li", {}, r)),
          )
        : null,
    ),
  );
}

export function renderRefusal(plan) {
  return h(
    "article",
    { class: "refusal", role: "note", "data-testid": "refusal" },
    h("div", { class: "refusal-icon" }, icon("info")),
    h(
      "div",
      {},
      h("h2", {}, t("refusedTitle")),
      plan.refusal_reason ? h("p", { class: "refusal-reason" }, plan.refusal_reason) : null,
      h("p", { class: "muted" }, t("refusedText")),
    ),
  );
}

/** `actions` holds {copy, download, print} handlers for the export toolbar. */
export function renderPlan(plan, actions) {
  if (plan.refused) return renderRefusal(plan);
  const tool = (name, label, fn) =>
    h(
      "button",
      {
        type: "button",
        class: "tool",
        "aria-label": label,
        title: label,
        onclick: (e) => fn(plan, e.currentTarget),
      },
      icon(name),
      h("span", { class: "tool-label" }, label),
    );
  return h(
    "article",
    { class: "plan", "data-testid": "plan", lang: plan.language === "zh" ? "zh-CN" : "en" },
    banners(plan),
    h(
      "header",
      { class: "plan-head" },
      verificationBadge(plan.verification),
      h(
        "div",
        { class: "toolbar" },
        tool("copy", t("copy"), actions.copy),
        tool("download", t("download"), actions.download),
        tool("print", t("print"), actions.print),
      ),
    ),
    plan.summary ? section("summary", t("summary"), summary(plan)) : null,
    plan.challenges.length
      ? section(
          "challenges",
          t("challenges"),
          h(
            "ul",
            { class: "challenge-list" },
            plan.challenges.map((c) =>
              h("li", {}, areaTag(c.area), h("span", {}, cited(c.text, c.citations, plan))),
            ),
          ),
        )
      : null,
    plan.actions.length ? section("roadmap", t("roadmap"), roadmap(plan)) : null,
    plan.risks.length ? section("risks", t("risks"), risks(plan)) : null,
    plan.kpis.length ? section("kpis", t("kpis"), kpis(plan)) : null,
    plan.citations.length ? section("sources", t("sources"), sources(plan)) : null,
  );
}
