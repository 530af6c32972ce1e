// Boot and wiring: server config, the key prompt, threads, routing, composer and language.

import { api, getKey, onUnauthorized, setKey } from "./api.js";
import { closeCitation, initDrawer, rerenderCitation } from "./citations.js";
import { ask, errorBox, errorMessage, renderConversation, stopStreaming, view } from "./conversation.js";
import { $, h, icon } from "./dom.js";
import { applyStatic, lang, onLangChange, setLang, t } from "./i18n.js";
import {
  forgetProfile,
  loadProfile,
  openProfileDialog,
  profileSummary,
  saveProfile,
  startDraft,
} from "./profile.js";
import { renderThreads, threadTitle } from "./threads.js";

const app = { config: null, threads: [], started: false };

// --- threads and routing -------------------------------------------------------------------

function routeId() {
  const m = location.hash.match(/^#\/t\/(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

function drawThreads() {
  renderThreads(app.threads, view.threadId, { onSelect: (id) => navigate(id), onDelete: removeThread });
  const current = app.threads.find((x) => x.id === view.threadId);
  $("#thread-title").textContent = view.threadId ? threadTitle(current) : t("appName");
  document.title = view.threadId && current ? `${threadTitle(current)} · ${t("appName")}` : t("appName");
}

async function loadThreads() {
  try {
    app.threads = await api.listThreads();
    drawThreads();
  } catch (err) {
    if (err.status === 401) return; // the key prompt is already up and says why
    $("#thread-list").replaceChildren(
      h(
        "li",
        { class: "thread-error" },
        errorBox(errorMessage(err), () => loadThreads()),
      ),
    );
  }
}

function navigate(id) {
  const hash = id ? `#/t/${encodeURIComponent(id)}` : "#/";
  if (location.hash !== hash) location.hash = hash;
  else openRoute();
  document.body.classList.remove("sidebar-open");
}

async function openRoute() {
  const id = routeId();
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
    view.turns = (thread.turns || []).map((turn) => ({ question: turn.question, plan: turn.plan }));
    renderConversation();
    // Open at the start of the latest answer: a plan is read from its top.
    const turns = document.querySelectorAll("#conversation .turn");
    if (turns.length) turns[turns.length - 1].scrollIntoView({ block: "start", behavior: "instant" });
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

function drawProfile() {
  const profile = loadProfile(view.threadId);
  $("#profile-summary").textContent = profileSummary(profile);
  $("#profile-button").classList.toggle("set", Boolean(profile));
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

function setStreaming(on) {
  $("#send-button").hidden = on;
  $("#stop-button").hidden = !on;
  $("#composer").classList.toggle("busy", on);
  if (!on && matchMedia("(pointer: fine)").matches) $("#composer-input").focus();
}

function autosize() {
  const input = $("#composer-input");
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 220)}px`;
  $("#send-button").disabled = !input.value.trim();
}

function initComposer() {
  const input = $("#composer-input");
  const submit = () => {
    if (view.live || !input.value.trim()) return;
    const question = input.value;
    input.value = "";
    autosize();
    ask(question);
  };
  $("#composer").addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (e) => {
    // IME composition (Chinese input) also uses Enter: never send in the middle of it.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", autosize);
  $("#stop-button").addEventListener("click", stopStreaming);
  $("#profile-button").addEventListener("click", () =>
    openProfileDialog(loadProfile(view.threadId), (profile) => {
      saveProfile(view.threadId, profile);
      drawProfile();
    }),
  );
  $("#profile-cancel").addEventListener("click", () => $("#profile-dialog").close());
  autosize();
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
    if (!app.started) openRoute();
    app.started = true;
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
  $("#key-button").hidden = !app.config.auth_required;
  if (app.config.auth_required && !getKey()) return askForKey();
  await loadThreads();
  app.started = true;
  openRoute();
}

function init() {
  fillIcons();
  applyStatic();
  initDrawer();
  initComposer();
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
  };
  $("#new-chat").addEventListener("click", () => navigate(null));
  $("#lang-toggle").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  $("#menu-button").addEventListener("click", () => document.body.classList.add("sidebar-open"));
  $("#sidebar-close").addEventListener("click", () => document.body.classList.remove("sidebar-open"));
  $("#sidebar-backdrop").addEventListener("click", () => document.body.classList.remove("sidebar-open"));
  window.addEventListener("hashchange", openRoute);
  onLangChange(() => {
    drawMode();
    drawThreads();
    drawProfile();
    renderConversation();
    rerenderCitation();
  });
  boot();
}

init();
