// The plan card: summary, roadmap, risks, KPIs and sources, with numbered citation chips.

import { openCitation, sourceMeta } from "./citations.js";
import { h, icon } from "./dom.js";
import { lang, t } from "./i18n.js";
import { feedback, tool } from "./plan-actions.js";
import { banners, gaps, verificationBadge } from "./plan-notes.js";
import { openDocument } from "./viewer.js";

const MARKER = /\[(\d+(?:\s*[,，]\s*\d+)*)\]/g;
const DEFAULT_PHASES = ["0-3", "3-6", "6-12"];

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
  return h("section", { class: `plan-sec sec-${key}`, "aria-label": title }, h("h2", {}, title), ...body);
}

/** "0–3 个月 · 试点" or "第 1 步 · 试点" (a question without a horizon gets steps, "step-1"): the span
 * in the interface language, then the plan's own label for it. */
function phaseTitle(id, label) {
  const step = /^step-(\d+)$/.exec(id);
  if (step) return label ? `${t("phaseStep", step[1])} · ${label}` : t("phaseStep", step[1]);
  const [a, b] = id.split("-");
  const span = t("phases")[id] || (lang() === "zh" ? `${a}–${b} 个月` : `Months ${a}–${b}`);
  return label ? `${span} · ${label}` : span;
}

function roadmap(plan) {
  const spans = (plan.phases || []).length
    ? plan.phases.map((p) => [p.id, p.label])
    : DEFAULT_PHASES.map((id) => [id, ""]);
  const phases = spans
    .map(([phase, label]) => [phase, label, plan.actions.filter((a) => a.phase === phase)])
    .filter(([, , items]) => items.length);
  return h(
    "ol",
    { class: "timeline" },
    phases.map(([phase, label, items]) =>
      h(
        "li",
        { class: "phase", dataset: { phase } },
        h(
          "h3",
          { class: "phase-label" },
          h("span", { class: "phase-dot", "aria-hidden": "true" }),
          phaseTitle(phase, label),
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
            "aria-haspopup": "dialog",
            onclick: (e) => openDocument(c, e.currentTarget),
          },
          h("span", { class: "source-num" }, String(c.id)),
          h(
            "span",
            { class: "source-body" },
            h("span", { class: "source-title" }, c.title || t("untitledDoc")),
            sourceMeta(c) ? h("span", { class: "source-meta" }, sourceMeta(c)) : null,
          ),
        ),
      ),
    ),
  );
}

const CJK = /[\u3400-\u9fff]/;

/** The refusal reason when it is written in the interface language, else a reason that is. */
function refusalReason(plan) {
  const reason = String(plan.refusal_reason || "").trim();
  if (!reason) return null;
  return CJK.test(reason) === (lang() === "zh") ? reason : t("refusalGeneric");
}

export function renderRefusal(plan) {
  const reason = refusalReason(plan);
  return h(
    "section",
    { class: "refusal", "aria-label": t("refusedTitle"), "data-testid": "refusal" },
    h("div", { class: "refusal-icon", "aria-hidden": "true" }, icon("info")),
    h(
      "div",
      {},
      h("h2", {}, t("refusedTitle")),
      reason ? h("p", { class: "refusal-reason" }, reason) : null,
      h("p", { class: "muted" }, t("refusedText")),
    ),
  );
}

/**
 * `actions`: {copy, download, word, print, share, regenerate?, feedback} handlers; each of the
 * first six gets the clicked button, `feedback(rating, comment)` resolves true when stored.
 */
export function renderPlan(plan, actions) {
  if (plan.refused) return renderRefusal(plan);
  return h(
    "article",
    { class: "plan", "data-testid": "plan", lang: plan.language === "zh" ? "zh-CN" : "en" },
    banners(plan),
    h(
      "header",
      { class: "plan-head" },
      verificationBadge(plan),
      h(
        "div",
        { class: "toolbar", role: "toolbar", "aria-label": t("exportTools") },
        tool("copy", t("copy"), actions.copy),
        tool("download", t("download"), actions.download),
        tool("word", t("downloadWord"), actions.word),
        tool("print", t("print"), actions.print),
        tool("link", t("share"), actions.share),
        actions.regenerate ? tool("retry", t("regenerate"), actions.regenerate) : null,
      ),
    ),
    plan.summary ? section("summary", t("summary"), summary(plan)) : null,
    (plan.gaps || []).length ? gaps(plan) : null,
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
    actions.feedback ? feedback(actions.feedback) : null,
  );
}
