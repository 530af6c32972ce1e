// What the plan card says about itself: the offline/degraded banner, verification in plain
// words (figures in the tooltip), and what the documents do not cover.

import { h, icon } from "./dom.js";
import { t } from "./i18n.js";

/** How many [n] references the plan's statements carry (the denominator of precision). */
function references(plan) {
  const items = [...plan.challenges, ...plan.actions, ...plan.risks, ...plan.kpis];
  return items.reduce((n, item) => n + (item.citations || []).length, (plan.summary_citations || []).length);
}

/** Plain words for a manager; the figures behind them go in the tooltip. */
export function verificationBadge(plan) {
  const v = plan.verification;
  const redundant = v.citation_precision < 1 ? Math.round(references(plan) * (1 - v.citation_precision)) : 0;
  const allSupported = v.supported >= v.statements;
  return h(
    "p",
    { class: `verify ${allSupported ? "good" : "warn"}`, title: t("verifyTip", v), tabindex: "0" },
    icon(allSupported ? "check" : "info"),
    h("span", { class: "verify-label" }, t("verifyPlain", v.statements, v.supported, redundant)),
  );
}

export function gaps(plan) {
  return h(
    "section",
    { class: "plan-sec sec-gaps", "aria-label": t("gaps"), "data-testid": "gaps" },
    h("h2", {}, icon("info"), t("gaps")),
    h("p", { class: "gaps-hint" }, t("gapsHint")),
    h(
      "ul",
      { class: "gap-list" },
      plan.gaps.map((g) => h("li", {}, g)),
    ),
  );
}

export function banners(plan) {
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
