// The conversation pane: one turn per question, the live stream of the turn being built,
// plan review before the specialists run, and honest states: stopped is not an error, and a
// turn the server finished anyway is shown as finished.

import { ApiError, api, streamPlan } from "./api.js";
import { closeCitation } from "./citations.js";
import { $, h, icon } from "./dom.js";
import { t } from "./i18n.js";
import { renderPlan } from "./plan.js";
import { adoptDraft, loadProfile } from "./profile.js";
import { Progress } from "./progress.js";
import { reviewCard } from "./review.js";
import { actionsFor } from "./turn-actions.js";

/** What the rest of the page needs to know about; set by main.js. */
export const view = {
  threadId: null,
  turns: [], // [{question, plan?, error?, stopped?, progress?}]
  live: null, // {threadId, question, el, progress, controller}
  review: false, // ask for plan review before the specialists run
  ready: false, // set once boot has loaded the threads and the route; asking waits for it
  hooks: {
    threadCreated: () => {},
    turnFinished: () => {},
    streamingChanged: () => {},
    toast: () => {},
    edit: () => {},
  },
};

export function errorMessage(err) {
  if (!(err instanceof ApiError)) return t("errGeneric");
  if (err.status === 0) return t("errNetwork");
  if (err.status === 401) return t("keyRejected");
  if (err.status === 429) return t("errRate", err.retryAfter);
  // The server's own words are specific ("did not finish within 120 s"), so they are kept.
  if (err.status >= 500) return t("errServer", err.status, err.message);
  return err.message || t("errGeneric");
}

function turnShell(question) {
  const body = h("div", { class: "assistant-body" });
  const edit = h(
    "button",
    {
      type: "button",
      class: "icon-btn edit-btn",
      "aria-label": t("editQuestion"),
      title: t("editQuestion"),
      onclick: () => view.hooks.edit(question),
    },
    icon("edit"),
  );
  const el = h(
    "div",
    { class: "turn", "data-testid": "turn" },
    h("div", { class: "msg user" }, edit, h("div", { class: "bubble", "aria-label": t("you") }, question)),
    h(
      "div",
      { class: "msg assistant" },
      h("div", { class: "avatar", "aria-hidden": "true" }, icon("spark")),
      body,
    ),
  );
  return { el, body };
}

/** An error box; `retry` is called when the user asks to try again. */
export function errorBox(message, retry, retryAfter = null) {
  const button = h(
    "button",
    { type: "button", class: "retry-btn", onclick: () => retry() },
    icon("retry"),
    t("retry"),
  );
  if (retryAfter) countdown(button, retryAfter);
  return h("div", { class: "error-box", role: "alert" }, icon("alert"), h("p", {}, message), button);
}

function countdown(button, seconds) {
  button.disabled = true;
  const label = button.lastChild;
  let left = seconds;
  const tick = () => {
    if (left <= 0) {
      button.disabled = false;
      label.textContent = t("retry");
      return;
    }
    label.textContent = `${t("retry")} (${left})`;
    left -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}

function outcome(turn, el) {
  if (turn.plan)
    return [
      turn.lateFinish ? h("p", { class: "note" }, t("finishedBeforeStop")) : null,
      renderPlan(turn.plan, actionsFor(turn)),
    ];
  if (turn.stopped) return [h("p", { class: "stopped", role: "status" }, t("stopped")), retryLink(turn, el)];
  if (turn.error) return [errorBox(turn.error, () => retryTurn(turn, el), turn.retryAfter)];
  return [];
}

function renderTurn(turn) {
  const { el, body } = turnShell(turn.question);
  if (turn.progress) {
    turn.progress.render();
    body.append(turn.progress.el);
  }
  body.append(...outcome(turn, el).filter(Boolean));
  return el;
}

function retryLink(turn, el) {
  return h(
    "button",
    { type: "button", class: "retry-btn", onclick: () => retryTurn(turn, el) },
    icon("retry"),
    t("retry"),
  );
}

function retryTurn(turn, el) {
  view.turns = view.turns.filter((x) => x !== turn);
  el.remove();
  ask(turn.question);
}

/** Rebuild the pane from `view.turns`, keeping the live turn if it belongs here. */
export function renderConversation() {
  const pane = $("#conversation");
  if (!view.turns.length && !(view.live && view.live.threadId === view.threadId)) {
    pane.replaceChildren(welcome());
    return;
  }
  pane.replaceChildren(...view.turns.map(renderTurn));
  if (view.live && view.live.threadId === view.threadId) {
    view.live.progress.render();
    pane.append(view.live.el);
  }
}

function welcome() {
  return h(
    "section",
    { class: "welcome", "data-testid": "welcome" },
    h("div", { class: "welcome-mark", "aria-hidden": "true" }, icon("spark")),
    h("h2", {}, t("welcomeTitle")),
    h("p", {}, t("welcomeText")),
    h(
      "div",
      { class: "examples" },
      t("examples").map((q) => h("button", { type: "button", class: "example", onclick: () => ask(q) }, q)),
    ),
  );
}

export function scrollToEnd(force = false) {
  const scroller = $("#scroller");
  const near = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 160;
  if (force || near) scroller.scrollTop = scroller.scrollHeight;
}

/** Ask a question in the current thread, creating the thread on the first question. */
export async function ask(question) {
  question = question.trim();
  if (!question || view.live || !view.ready) return;
  closeCitation();
  const { el, body } = turnShell(question);
  const progress = new Progress();
  body.append(progress.el);
  const turn = { question, progress, threadId: view.threadId };
  const live = { threadId: view.threadId, question, el, progress, controller: new AbortController() };
  view.live = live;
  if (!view.turns.length) $("#conversation").replaceChildren();
  $("#conversation").append(el);
  scrollToEnd(true);
  view.hooks.streamingChanged(true);
  try {
    if (!live.threadId) {
      const thread = await api.createThread(question.slice(0, 80));
      live.threadId = turn.threadId = thread.id;
      adoptDraft(thread.id);
      if (view.threadId === null) view.threadId = thread.id;
      view.hooks.threadCreated(thread, question);
    }
    const body_ = { question, thread_id: live.threadId };
    const profile = loadProfile(live.threadId);
    if (profile) body_.profile = profile;
    if (view.review) body_.review = true;
    await follow(turn, live, body, "/v1/plans/stream", body_);
  } catch (err) {
    await settle(turn, live, body, err);
  }
}

/** Stream `payload` to `path` into this turn, then show the plan or the review card. */
async function follow(turn, live, body, path, payload) {
  const before = view.turns.filter((x) => x.plan && x.threadId === live.threadId).length;
  live.before = before;
  try {
    const result = await run(live, path, payload);
    if (result.review) {
      live.progress.awaitReview();
      const card = reviewCard(result.review, (decision) => {
        card.remove();
        resume(turn, live, body, decision);
      });
      body.append(card);
      finishLive(live, null);
      card.querySelector("input, textarea, button").focus();
      return;
    }
    if (!result.plan) throw new ApiError(-1, t("errClosed"));
    turn.plan = result.plan;
    live.progress.finish(result.plan.refused);
    body.append(renderPlan(turn.plan, actionsFor(turn)));
    // The plan is read from its top, so bring the question and summary into view.
    if (document.contains(live.el)) live.el.scrollIntoView({ block: "start", behavior: "smooth" });
    view.hooks.toast(t("planReady"), true);
    finishLive(live, turn);
  } catch (err) {
    await settle(turn, live, body, err);
  }
}

function resume(turn, live, body, decision) {
  live.controller = new AbortController();
  view.live = live;
  live.progress.resume();
  view.hooks.streamingChanged(true);
  follow(turn, live, body, "/v1/plans/resume", { thread_id: live.threadId, ...decision });
}

/** A stream that ended without a plan: stopped by the user, or failed. */
async function settle(turn, live, body, err) {
  if (err && err.name === "AbortError") {
    live.progress.stopped();
    // The server may have finished before the stop reached it: then say so and show the plan,
    // so the page and the thread agree after a reload.
    const saved = await api.getThread(live.threadId).catch(() => null);
    const extra = saved ? saved.turns.slice(live.before ?? 0) : [];
    const late = extra.find((x) => x.question === live.question);
    if (late) {
      turn.plan = late.plan;
      turn.lateFinish = true;
    } else turn.stopped = true;
  } else {
    live.progress.fail();
    turn.error = errorMessage(err);
    turn.retryAfter = err instanceof ApiError ? err.retryAfter : null;
  }
  body.append(...outcome(turn, live.el).filter(Boolean));
  finishLive(live, turn);
  scrollToEnd();
}

function finishLive(live, turn) {
  view.live = null;
  if (turn && view.threadId === live.threadId && !view.turns.includes(turn)) view.turns.push(turn);
  view.hooks.streamingChanged(false);
  view.hooks.turnFinished(live.threadId);
}

async function run(live, path, payload) {
  let plan = null;
  let review = null;
  let failure = null;
  await streamPlan(payload, {
    path,
    signal: live.controller.signal,
    onEvent: (event, data) => {
      if (event === "progress") live.progress.update(data);
      else if (event === "token") live.progress.token(data.text);
      else if (event === "plan") plan = data;
      else if (event === "review") review = data;
      else if (event === "error")
        failure = new ApiError(Number(data.status) || -1, data.detail || data.message || "");
      scrollToEnd();
    },
  });
  if (failure && !plan) throw failure;
  return { plan, review };
}

export function stopStreaming() {
  if (view.live) view.live.controller.abort();
}
