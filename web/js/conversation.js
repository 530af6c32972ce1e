// The conversation pane: one turn per question, the live stream of the turn being built,
// and readable errors with a retry instead of a spinner that never ends.

import { ApiError, api, streamPlan } from "./api.js";
import { closeCitation } from "./citations.js";
import { $, h, icon } from "./dom.js";
import { copyMarkdown, downloadMarkdown, printPlan } from "./export.js";
import { t } from "./i18n.js";
import { renderPlan } from "./plan.js";
import { adoptDraft, loadProfile } from "./profile.js";
import { Progress } from "./progress.js";

/** What the rest of the page needs to know about; set by main.js. */
export const view = {
  threadId: null,
  turns: [], // [{question, plan?, error?}]
  live: null, // {threadId, question, el, progress, controller}
  hooks: { threadCreated: () => {}, turnFinished: () => {}, streamingChanged: () => {}, toast: () => {} },
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

const exportActions = {
  copy: async (plan) => view.hooks.toast((await copyMarkdown(plan)) ? t("copied") : t("copyFailed")),
  download: (plan) => downloadMarkdown(plan),
  print: (_plan, button) => printPlan(button.closest(".turn")),
};

function turnShell(question) {
  const body = h("div", { class: "assistant-body" });
  const el = h(
    "div",
    { class: "turn", "data-testid": "turn" },
    h("div", { class: "msg user" }, h("div", { class: "bubble", "aria-label": t("you") }, question)),
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

function renderTurn(turn) {
  const { el, body } = turnShell(turn.question);
  if (turn.plan) body.append(renderPlan(turn.plan, exportActions));
  else if (turn.stopped) body.append(h("p", { class: "stopped" }, t("stopped")), retryLink(turn, el));
  else if (turn.error) body.append(errorBox(turn.error, () => retryTurn(turn, el), turn.retryAfter));
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
  if (!question || view.live) return;
  closeCitation();
  const { el, body } = turnShell(question);
  const progress = new Progress();
  body.append(progress.el);
  const live = { threadId: view.threadId, question, el, progress, controller: new AbortController() };
  view.live = live;
  if (!view.turns.length) $("#conversation").replaceChildren();
  $("#conversation").append(el);
  scrollToEnd(true);
  view.hooks.streamingChanged(true);
  const turn = { question };
  try {
    if (!live.threadId) {
      const thread = await api.createThread(question.slice(0, 80));
      live.threadId = thread.id;
      adoptDraft(thread.id);
      if (view.threadId === null) view.threadId = thread.id;
      view.hooks.threadCreated(thread, question);
    }
    turn.plan = await run(live);
    if (!turn.plan) throw new ApiError(-1, t("errClosed"));
    progress.finish();
    body.append(renderPlan(turn.plan, exportActions));
    // The plan is read from its top, so bring the question and summary into view.
    if (document.contains(el)) el.scrollIntoView({ block: "start", behavior: "smooth" });
    view.hooks.toast(t("planReady"), true);
  } catch (err) {
    progress.fail();
    if (err && err.name === "AbortError") {
      turn.stopped = true;
      body.append(h("p", { class: "stopped" }, t("stopped")), retryLink(turn, el));
    } else {
      turn.error = errorMessage(err);
      turn.retryAfter = err instanceof ApiError ? err.retryAfter : null;
      body.append(errorBox(turn.error, () => retryTurn(turn, el), turn.retryAfter));
    }
  } finally {
    view.live = null;
    if (view.threadId === live.threadId) view.turns.push(turn);
    view.hooks.streamingChanged(false);
    view.hooks.turnFinished(live.threadId);
    if (!turn.plan) scrollToEnd();
  }
}

async function run(live) {
  let plan = null;
  let failure = null;
  const body = { question: live.question, thread_id: live.threadId };
  const profile = loadProfile(live.threadId);
  if (profile) body.profile = profile;
  await streamPlan(body, {
    signal: live.controller.signal,
    onEvent: (event, data) => {
      if (event === "progress") live.progress.update(data);
      else if (event === "token") live.progress.token(data.text);
      else if (event === "plan") plan = data;
      else if (event === "error")
        failure = new ApiError(Number(data.status) || -1, data.detail || data.message || "");
      scrollToEnd();
    },
  });
  if (failure && !plan) throw failure;
  return plan;
}

export function stopStreaming() {
  if (view.live) view.live.controller.abort();
}
