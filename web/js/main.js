// Boot and wiring: server config, the key prompt, threads, routing, composer, theme and language.

import { api, getKey, onUnauthorized, setKey } from "./api.js";
import { closeCitation, initDrawer, rerenderCitation } from "./citations.js";
import { errorBox, errorMessage, renderConversation, view } from "./conversation.js";
import { initDocs, openDocs } from "./docs.js";
import { $, h, icon } from "./dom.js";
import { applyStatic, lang, onLangChange, setLang, t } from "./i18n.js";
import {
  adoptFromPlan,
  forgetProfile,
  loadProfile,
  openProfileDialog,
  profileSummary,
  saveProfile,
  startDraft,
} from "./profile.js";
import { renderThreads, threadTitle } from "./threads.js";
import { autosize, editQuestion, initComposer, setLimit, setStreaming } from "./composer.js";
import { drawTheme, initTheme } from "./theme.js";
import { initViewer } from "./viewer.js";

const app = { config: null, me: null, threads: [], started: false };

// --- threads and routing -------------------------------------------------------------------

/** `#/t/<id>` opens a thread; `#/t/<id>/turn/<n>` (a shared link) also brings turn n into view. */
function route() {
  const m = location.hash.match(/^#\/t\/([^/]+)(?:\/turn\/(\d+))?$/);
  return m ? { id: decodeURIComponent(m[1]), turn: m[2] === undefined ? null : Number(m[2]) } : { id: null };
}

function drawThreads() {
  const handlers = { onSelect: (id) => navigate(id), onDelete: removeThread, onRename: renameThread };
  renderThreads(app.threads, view.threadId, handlers, $("#thread-search").value);
  const current = app.threads.find((x) => x.id === view.threadId);
  $("#thread-title").textContent = view.threadId ? threadTitle(current) : t("appName");
  document.title = view.threadId && current ? `${threadTitle(current)} · ${t("appName")}` : t("appName");
}

/** A failed refresh keeps the list it had and says the server is out of reach, with a retry. */
async function loadThreads() {
  const notice = $("#threads-notice");
  try {
    app.threads = await api.listThreads();
    notice.hidden = true;
    drawThreads();
  } catch (err) {
    if (err.status === 401) return; // the key prompt is already up and says why
    notice.replaceChildren(
      icon("alert"),
      h("span", {}, err.status === 0 ? t("offlineNotice") : errorMessage(err)),
      h("button", { type: "button", class: "link-btn", onclick: () => loadThreads() }, t("retry")),
    );
    notice.hidden = false;
    drawThreads();
  }
}

async function renameThread(id, title) {
  try {
    const info = await api.renameThread(id, title);
    app.threads = app.threads.map((x) => (x.id === id ? { ...x, title: info.title } : x));
  } catch (err) {
    view.hooks.toast(errorMessage(err));
  }
  drawThreads();
}

function navigate(id) {
  const hash = id ? `#/t/${encodeURIComponent(id)}` : "#/";
  if (location.hash !== hash) location.hash = hash;
  else openRoute();
  document.body.classList.remove("sidebar-open");
}

async function openRoute() {
  const { id, turn: shared } = route();
  closeCitation();
  view.threadId = id;
  view.turns = [];
  drawThreads();
  drawProfile();
  if (!id) {
    startDraft();
    drawProfile();
    renderConversation();
    // On touch screens focusing would pop the keyboard over the welcome screen.
    if (matchMedia("(pointer: fine)").matches) $("#composer-input").focus();
    return;
  }
  if (view.live && view.live.threadId === id && !app.threads.some((x) => x.id === id)) {
    renderConversation();
    return;
  }
  $("#conversation").replaceChildren(
    h("div", { class: "loading", "aria-busy": "true" }, h("span", { class: "spinner" })),
  );
  try {
    const thread = await api.getThread(id);
    if (view.threadId !== id) return;
    view.turns = (thread.turns || []).map((turn) => ({
      question: turn.question,
      plan: turn.plan,
      threadId: id,
    }));
    const last = view.turns[view.turns.length - 1];
    if (last) adoptFromPlan(id, last.plan.profile);
    drawProfile();
    renderConversation();
    // Open at the start of the latest answer (a plan is read from its top), or at the shared one.
    const turns = document.querySelectorAll("#conversation .turn");
    const target = shared !== null && turns[shared] ? turns[shared] : turns[turns.length - 1];
    if (target) target.scrollIntoView({ block: "start", behavior: "instant" });
    if (shared !== null && target) {
      target.classList.add("shared");
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  } catch (err) {
    if (view.threadId !== id) return;
    if (err.status === 404) return navigate(null);
    $("#conversation").replaceChildren(errorBox(errorMessage(err), () => openRoute()));
  }
}

async function removeThread(id) {
  try {
    await api.deleteThread(id);
  } catch (err) {
    view.hooks.toast(errorMessage(err));
    return;
  }
  forgetProfile(id);
  app.threads = app.threads.filter((x) => x.id !== id);
  if (view.threadId === id) navigate(null);
  else drawThreads();
}

// --- composer, profile, toast ----------------------------------------------------------------

/** The profile shows on the composer chip and, for a thread, in its header. */
function drawProfile() {
  const profile = loadProfile(view.threadId);
  $("#profile-summary").textContent = profileSummary(profile);
  $("#profile-button").classList.toggle("set", Boolean(profile));
  const head = $("#thread-profile");
  head.hidden = !profile;
  $("#thread-profile-text").textContent = profile ? profileSummary(profile) : "";
  head.setAttribute(
    "aria-label",
    profile ? `${t("profileFor")}: ${profileSummary(profile)}` : t("profileNone"),
  );
}

function editProfile() {
  openProfileDialog(loadProfile(view.threadId), (profile) => {
    saveProfile(view.threadId, profile);
    drawProfile();
  });
}

function toast(message, quiet = false) {
  $("#announcer").textContent = message;
  if (quiet) return;
  const el = $("#toast");
  el.textContent = message;
  el.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove("show"), 2600);
}

function initProfileButtons() {
  $("#profile-button").addEventListener("click", editProfile);
  $("#thread-profile").addEventListener("click", editProfile);
  $("#profile-cancel").addEventListener("click", () => $("#profile-dialog").close());
}

// --- key prompt ------------------------------------------------------------------------------

function askForKey(message = "") {
  const dialog = $("#key-dialog");
  $("#key-error").textContent = message;
  $("#key-error").hidden = !message;
  $("#key-input").value = "";
  if (!dialog.open) dialog.showModal();
  $("#key-input").focus();
  $("#key-button").hidden = false;
}

function initKeyPrompt() {
  const dialog = $("#key-dialog");
  // Without a key nothing works, so Escape must not dismiss the prompt.
  dialog.addEventListener("cancel", (e) => e.preventDefault());
  $("#key-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const key = $("#key-input").value.trim();
    if (!key) return askForKey(t("keyEmpty"));
    setKey(key);
    try {
      app.threads = await api.listThreads();
    } catch (err) {
      if (err.status !== 401) askForKey(errorMessage(err));
      return;
    }
    dialog.close();
    drawThreads();
    // On first entry load the route; after a mid-session 401 keep the page as it is, so the
    // failed turn's Retry button is still there.
    if (!app.started) await start();
  });
  $("#key-button").addEventListener("click", () => {
    setKey("");
    askForKey();
  });
  onUnauthorized(() => {
    setKey("");
    askForKey(t("keyRejected"));
  });
}

// --- boot ------------------------------------------------------------------------------------

function fillIcons() {
  for (const el of document.querySelectorAll("[data-icon]")) el.replaceChildren(icon(el.dataset.icon));
}

function drawMode() {
  const c = app.config;
  if (!c) return;
  const badge = $("#mode-badge");
  badge.dataset.mode = c.mode;
  badge.textContent =
    c.mode === "llm" ? `${t("modeLlm")}${c.model ? ` · ${c.model}` : ""}` : t("modeOffline");
  $("#version").textContent = c.version ? `v${c.version}` : "";
}

async function boot() {
  try {
    app.config = await api.config();
  } catch (err) {
    $("#conversation").replaceChildren(errorBox(errorMessage(err), boot));
    return;
  }
  drawMode();
  setLimit(app.config.max_question_chars);
  $("#key-button").hidden = !app.config.auth_required;
  if (app.config.auth_required && !getKey()) return askForKey();
  await start();
}

/** After the key is known: who we are (admins get document management), threads, the route. */
async function start() {
  app.me = await api.me().catch(() => null);
  $("#docs-button").hidden = !(app.me && app.me.role === "admin");
  await loadThreads();
  app.started = true;
  // Questions are taken only now: one sent during boot would race the route's first render.
  view.ready = true;
  $("#composer-input").disabled = false;
  openRoute();
}

function init() {
  fillIcons();
  applyStatic();
  initTheme();
  initDrawer();
  initViewer();
  initDocs(
    (message) => toast(message),
    (err) => errorMessage(err),
  );
  initComposer();
  initProfileButtons();
  initKeyPrompt();
  view.hooks = {
    threadCreated: (thread, question) => {
      if (!thread.title) thread.title = question;
      app.threads = [thread, ...app.threads.filter((x) => x.id !== thread.id)];
      history.replaceState(null, "", `#/t/${encodeURIComponent(thread.id)}`);
      drawThreads();
    },
    turnFinished: () => loadThreads(),
    streamingChanged: setStreaming,
    toast,
    edit: editQuestion,
  };
  $("#docs-button").addEventListener("click", (e) => openDocs(e.currentTarget));
  $("#thread-search").addEventListener("input", drawThreads);
  $("#new-chat").addEventListener("click", () => navigate(null));
  $("#lang-toggle").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  $("#menu-button").addEventListener("click", () => document.body.classList.add("sidebar-open"));
  $("#sidebar-close").addEventListener("click", () => document.body.classList.remove("sidebar-open"));
  $("#sidebar-backdrop").addEventListener("click", () => document.body.classList.remove("sidebar-open"));
  window.addEventListener("hashchange", openRoute);
  onLangChange(() => {
    drawMode();
    drawTheme();
    autosize();
    drawThreads();
    drawProfile();
    renderConversation();
    rerenderCitation();
  });
  boot();
}

init();
