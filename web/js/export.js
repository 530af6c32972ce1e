// Export a plan: Markdown built in the browser (download or clipboard), and print to PDF.

import { t } from "./i18n.js";

const PHASES = ["0-3", "3-6", "6-12"];

function refs(ids) {
  return (ids || []).length ? " " + ids.map((n) => `[${n}]`).join("") : "";
}

function withRefs(text, ids) {
  // Markers already inside the text are kept; only missing ones are appended.
  const missing = (ids || []).filter((n) => !String(text).includes(`[${n}]`));
  return `${text}${refs(missing)}`;
}

function cell(text) {
  return String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n+/g, " ");
}

/** The plan as a Markdown document, headings in the interface language. */
export function planToMarkdown(plan) {
  const area = (a) => t("areas")[a] || a;
  const v = plan.verification || {};
  const out = [`# ${t("mdTitle")}`, "", `**${t("mdQuestion")}:** ${plan.question}`, ""];
  out.push(
    `**${t("mdMode")}:** ${plan.mode === "offline" ? t("modeOffline") : t("modeLlm")} · ${t("verifyDetail", v)}`,
    "",
  );
  if (plan.refused) {
    out.push(`> ${t("refusedTitle")}${plan.refusal_reason ? `: ${plan.refusal_reason}` : ""}`, "");
    return out.join("\n");
  }
  if (plan.mode === "offline" || plan.degraded) {
    out.push(`> ${plan.mode === "offline" ? t("offlineBanner") : t("degradedBanner")}`);
    for (const r of plan.degraded_reasons || []) out.push(`> - ${r}`);
    out.push("");
  }
  if (plan.summary) out.push(`## ${t("summary")}`, "", withRefs(plan.summary, plan.summary_citations), "");
  if (plan.challenges.length) {
    out.push(`## ${t("challenges")}`, "");
    for (const c of plan.challenges) out.push(`- **${area(c.area)}:** ${withRefs(c.text, c.citations)}`);
    out.push("");
  }
  if (plan.actions.length) {
    out.push(`## ${t("roadmap")}`, "");
    for (const phase of PHASES) {
      const items = plan.actions.filter((a) => a.phase === phase);
      if (!items.length) continue;
      out.push(`### ${t("phases")[phase]}`, "");
      out.push(`| ${t("roadmap")} | ${t("owner")} | ${t("priorityLabel")} |`);
      out.push("| --- | --- | --- |");
      for (const a of items)
        out.push(
          `| ${cell(withRefs(a.text, a.citations))} | ${cell(a.owner)} | ${cell(t("priority")[a.priority] || a.priority)} |`,
        );
      out.push("");
    }
  }
  if (plan.risks.length) {
    out.push(`## ${t("risks")}`, "", `| ${t("risk")} | ${t("mitigation")} |`, "| --- | --- |");
    for (const r of plan.risks)
      out.push(`| ${cell(withRefs(r.risk, r.citations))} | ${cell(r.mitigation)} |`);
    out.push("");
  }
  if (plan.kpis.length) {
    out.push(`## ${t("kpis")}`, "");
    for (const k of plan.kpis)
      out.push(`- **${withRefs(k.name, k.citations)}**${k.target ? ` — ${k.target}` : ""}`);
    out.push("");
  }
  if (plan.citations.length) {
    out.push(`## ${t("sources")}`, "");
    for (const c of plan.citations) {
      const where = [c.section, c.page ? t("page", c.page) : null, c.source].filter(Boolean).join(" · ");
      out.push(`[${c.id}] **${c.title}** — ${where}`, "");
      const quote = String(c.quote || "").trim();
      if (quote) out.push(...quote.split(/\n+/).map((line) => `> ${line}`), "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function filename(plan) {
  const stamp = new Date().toISOString().slice(0, 10);
  const slug = String(plan.question || "plan")
    .replace(/[\\/:*?"<>|\s]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `advisor-plan-${stamp}-${slug || "plan"}.md`;
}

export function downloadMarkdown(plan) {
  const blob = new Blob([planToMarkdown(plan)], { type: "text/markdown;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename(plan);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Resolves true when the text reached the clipboard. */
export async function copyMarkdown(plan) {
  const text = planToMarkdown(plan);
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, older browser): fall back to a hidden selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** Print only the chosen plan: the print stylesheet hides everything not marked. */
export function printPlan(article) {
  document.body.classList.add("printing-one");
  article.classList.add("print-target");
  const done = () => {
    document.body.classList.remove("printing-one");
    article.classList.remove("print-target");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}
