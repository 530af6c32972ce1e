// The optional company profile, remembered per thread in localStorage. A conversation that
// has no thread yet keeps its profile under a draft key until the server assigns an id.
// A new chat starts without one: a profile set for a retailer must never shape an answer
// about a manufacturer without the user seeing it.

import { $ } from "./dom.js";
import { t } from "./i18n.js";

const PREFIX = "advisor.profile.";
const DRAFT = "new";
const FIELDS = ["industry", "size", "goals"];

function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(PREFIX + key) || "null");
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

function clean(profile) {
  const out = {};
  for (const f of FIELDS) {
    const v = String(profile?.[f] ?? "").trim();
    if (v) out[f] = v;
  }
  return Object.keys(out).length ? out : null;
}

/** The profile for a thread (or the draft when `threadId` is null). */
export function loadProfile(threadId) {
  return clean(read(threadId || DRAFT));
}

export function saveProfile(threadId, profile) {
  const value = clean(profile);
  if (value) localStorage.setItem(PREFIX + (threadId || DRAFT), JSON.stringify(value));
  else localStorage.removeItem(PREFIX + (threadId || DRAFT));
}

/** A new conversation starts with no profile. */
export function startDraft() {
  localStorage.removeItem(PREFIX + DRAFT);
}

/** Move the draft profile to the thread the server just created. */
export function adoptDraft(threadId) {
  const draft = loadProfile(null);
  if (draft) localStorage.setItem(PREFIX + threadId, JSON.stringify(draft));
  localStorage.removeItem(PREFIX + DRAFT);
}

export function forgetProfile(threadId) {
  localStorage.removeItem(PREFIX + threadId);
}

/** The profile a thread's plans were made with, when this browser has none stored for it. */
export function adoptFromPlan(threadId, profile) {
  if (threadId && profile && !loadProfile(threadId)) saveProfile(threadId, profile);
}

export function profileSummary(profile) {
  if (!profile) return t("profile");
  return [profile.industry, profile.size].filter(Boolean).join(" · ") || profile.goals || t("profile");
}

/** Open the dialog prefilled with `profile`; `onSave` gets the cleaned profile (or null). */
export function openProfileDialog(profile, onSave) {
  const dialog = $("#profile-dialog");
  const form = $("#profile-form");
  for (const f of FIELDS) form.elements[f].value = profile?.[f] ?? "";
  form.onsubmit = (e) => {
    e.preventDefault();
    const value = clean(Object.fromEntries(FIELDS.map((f) => [f, form.elements[f].value])));
    dialog.close();
    onSave(value);
  };
  $("#profile-clear").onclick = () => {
    for (const f of FIELDS) form.elements[f].value = "";
    form.elements.industry.focus();
  };
  dialog.showModal();
  form.elements.industry.focus();
}
