// Plan review: the planner's decision (areas and search queries) shown before any specialist
// runs, so the user can drop an area or rewrite a query, then start the analysis.

import { h, icon } from "./dom.js";
import { t } from "./i18n.js";

const AREAS = ["tech", "security", "org", "market"];

/** A form for `decision` ({areas, subqueries}); `onRun({areas, subqueries})` starts the run. */
export function reviewCard(decision, onRun) {
  const planned = new Set(decision.areas || []);
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const rows = AREAS.map((area) => {
    const box = h("input", {
      type: "checkbox",
      id: `review-${area}`,
      value: area,
      checked: planned.has(area),
    });
    const queries = h("textarea", {
      id: `review-q-${area}`,
      rows: "2",
      "aria-label": t("subqueriesLabel", t("areas")[area]),
      disabled: !planned.has(area),
    });
    queries.value = ((decision.subqueries || {})[area] || []).join("\n");
    box.addEventListener("change", () => {
      queries.disabled = !box.checked;
    });
    return {
      area,
      box,
      queries,
      el: h(
        "li",
        { class: `review-area area-${area}` },
        h("label", { for: box.id, class: "review-check" }, box, icon(area), t("areas")[area]),
        queries,
      ),
    };
  });
  const form = h(
    "form",
    { class: "review-card", "data-testid": "review", "aria-labelledby": "review-title" },
    h("h2", { id: "review-title" }, t("reviewTitle")),
    h("p", { class: "muted" }, t("reviewText")),
    (decision.facets || []).length
      ? h(
          "p",
          { class: "review-facets" },
          h("span", { class: "label" }, t("reviewFacets")),
          decision.facets.map((f) => h("span", { class: "facet" }, f.value)),
        )
      : null,
    h(
      "ul",
      { class: "review-areas" },
      rows.map((r) => r.el),
    ),
    error,
    h("button", { type: "submit", class: "primary-btn" }, icon("send"), t("reviewRun")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const chosen = rows.filter((r) => r.box.checked);
    if (!chosen.length) {
      error.textContent = t("reviewNeedArea");
      error.hidden = false;
      return;
    }
    const subqueries = Object.fromEntries(
      chosen.map((r) => [
        r.area,
        r.queries.value
          .split("\n")
          .map((q) => q.trim())
          .filter(Boolean),
      ]),
    );
    onRun({ areas: chosen.map((r) => r.area), subqueries });
  });
  return form;
}
