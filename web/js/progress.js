// The live progress card: the planner's decision, four specialist lanes, synthesis and
// verification, fed by the plan stream's `progress` and `token` events.

import { h, icon } from "./dom.js";
import { t } from "./i18n.js";

const AREAS = ["tech", "security", "org", "market"];

export class Progress {
  constructor() {
    this.planner = null; // the planner's progress event once it arrives
    this.lanes = Object.fromEntries(AREAS.map((a) => [a, { state: "waiting", evidence: 0, findings: 0 }]));
    this.synth = false;
    this.verification = null;
    this.draft = "";
    this.status = "running"; // running | review | done | refused | stopped | failed
    this.started = Date.now();
    this.el = h("details", { class: "progress", open: true, "data-testid": "progress" });
    this.timer = setInterval(() => this.tick(), 1000);
    this.render();
  }

  /** Apply one stream event. */
  update(data) {
    if (data.node === "planner") {
      if (data.status === "started") return this.render(); // accepted; the decision comes next
      this.planner = data;
      const route = new Set(data.areas || []);
      for (const a of AREAS) if (!route.has(a) || data.refused) this.lanes[a].state = "skipped";
    } else if (data.node === "specialist" && this.lanes[data.area]) {
      const lane = this.lanes[data.area];
      lane.state = data.status === "done" ? "done" : "running";
      if (data.evidence !== undefined) lane.evidence = data.evidence;
      if (data.findings !== undefined) lane.findings = data.findings;
    } else if (data.node === "synthesizer") {
      this.synth = true;
    } else if (data.node === "verifier") {
      this.verification = data.verification || {};
    }
    this.render();
  }

  token(text) {
    this.draft += text || "";
    // Tokens arrive by the hundred: extend the draft in place instead of redrawing the card.
    const draft = this.el.querySelector(".draft-text");
    if (draft) draft.textContent = this.draft;
    else this.render();
  }

  finish(refused = false) {
    this.stop(refused ? "refused" : "done");
    this.el.open = false;
    this.render();
  }

  fail() {
    this.stop("failed");
    this.render();
  }

  /** The user pressed Stop: a neutral state, not an error. */
  stopped() {
    this.stop("stopped");
    this.render();
  }

  /** Paused for the user's review of the planner's decision. */
  awaitReview() {
    this.stop("review");
    this.render();
  }

  resume() {
    this.status = "running";
    this.timer = setInterval(() => this.tick(), 1000);
    for (const lane of Object.values(this.lanes)) if (lane.state === "idle") lane.state = "waiting";
    this.render();
  }

  /** No spinner survives the end of a run: lanes still at work say they were interrupted. */
  stop(status) {
    this.status = status;
    clearInterval(this.timer);
    this.seconds = Math.round((Date.now() - this.started) / 1000);
    const rest = status === "review" ? "idle" : "stopped";
    for (const lane of Object.values(this.lanes))
      if (lane.state === "running" || lane.state === "waiting") lane.state = rest;
  }

  headline() {
    return {
      running: [null, t("working")],
      review: ["info", t("reviewWaiting")],
      done: ["check", t("done")],
      refused: ["info", t("refusedHead")],
      stopped: ["stop", t("stoppedTitle")],
      failed: ["alert", t("errGeneric")],
    }[this.status];
  }

  tick() {
    const el = this.el.querySelector(".elapsed");
    if (el) el.textContent = `${Math.round((Date.now() - this.started) / 1000)}s`;
  }

  render() {
    const running = this.status === "running";
    const lanes = AREAS.map((a) => [a, this.lanes[a]]);
    const used = lanes.filter(([, l]) => l.state !== "skipped");
    const totals = used.reduce((acc, [, l]) => [acc[0] + l.evidence, acc[1] + l.findings], [0, 0]);
    const elapsed = running ? Math.round((Date.now() - this.started) / 1000) : this.seconds;
    this.el.dataset.state = this.status;
    this.el.replaceChildren(
      h(
        "summary",
        { class: "progress-head" },
        running
          ? h("span", { class: "spinner", "aria-hidden": "true" })
          : icon(this.headline()[0], "head-icon"),
        h("span", { class: "progress-title" }, this.headline()[1]),
        this.status === "done" || this.status === "refused"
          ? h("span", { class: "progress-sum" }, this.summaryText(used.length, totals))
          : null,
        h("span", { class: "elapsed" }, `${elapsed}s`),
      ),
      h(
        "div",
        { class: "progress-body" },
        this.step(
          "planner",
          t("planner"),
          this.planner ? "done" : running ? "running" : "waiting",
          this.plannerText(),
        ),
        h(
          "ul",
          { class: "lanes", "aria-label": t("specialists") },
          lanes.map(([area, lane]) => this.lane(area, lane)),
        ),
        this.step("synthesizer", t("synthesizer"), this.synth ? "done" : "waiting", null),
        this.step("verifier", t("verifier"), this.verification ? "done" : "waiting", this.verifierText()),
        this.draft && running
          ? h(
              "p",
              { class: "draft" },
              h("span", { class: "draft-text" }, this.draft),
              h("span", { class: "caret" }),
            )
          : null,
      ),
    );
  }

  summaryText(lanes, [evidence, findings]) {
    if (this.planner && this.planner.refused) return t("plannerRefused");
    return lanes ? t("laneCounts", evidence, findings) : "";
  }

  verifierText() {
    if (!this.verification) return null;
    const v = { supported: 0, statements: 0, ...this.verification };
    return t("verifyPlain", v.statements, v.supported, 0);
  }

  plannerText() {
    const p = this.planner;
    if (!p) return this.status === "running" ? t("plannerWaiting") : null;
    if (p.refused) return t("plannerRefused");
    return t("plannerRoute", (p.areas || []).length, p.language);
  }

  step(name, label, state, detail) {
    return h(
      "div",
      { class: `step step-${name}`, dataset: { state } },
      h("span", { class: "step-dot", "aria-hidden": "true" }),
      h("span", { class: "step-label" }, label),
      detail ? h("span", { class: "step-detail" }, detail) : null,
    );
  }

  lane(area, lane) {
    const status = {
      waiting: t("laneWaiting"),
      idle: t("laneWaiting"),
      running: t("laneRunning"),
      done: t("laneCounts", lane.evidence, lane.findings),
      skipped: t("laneSkipped"),
      stopped: t("laneStopped"),
    }[lane.state];
    return h(
      "li",
      {
        class: `lane area-${area}`,
        dataset: { area, state: lane.state },
        "aria-label": `${t("areas")[area]}: ${status}`,
      },
      h("span", { class: "lane-icon" }, icon(area)),
      h(
        "span",
        { class: "lane-text" },
        h("span", { class: "lane-name" }, t("areas")[area]),
        h(
          "span",
          { class: "lane-status" },
          lane.state === "running" ? h("span", { class: "dots", "aria-hidden": "true" }) : null,
          status,
        ),
      ),
      lane.state === "done" ? icon("check", "lane-check") : null,
    );
  }
}
