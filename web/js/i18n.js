// Interface strings in Chinese and English (strings-zh.js, strings-en.js). The plan's own text stays
// in the language the advisor answered in; only the chrome around it follows this setting.

import { en } from "./strings-en.js";
import { zh } from "./strings-zh.js";

const STRINGS = { zh, en };

const LANG_KEY = "advisor.lang";
let current = initialLang();
const listeners = new Set();

function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "zh" || saved === "en") return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return nav.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function lang() {
  return current;
}

/** Look a string up in the current language; functions are called with `args`. */
export function t(key, ...args) {
  const value = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return typeof value === "function" ? value(...args) : value;
}

export function setLang(next) {
  current = next === "zh" ? "zh" : "en";
  localStorage.setItem(LANG_KEY, current);
  applyStatic();
  for (const fn of listeners) fn(current);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** Fill every `data-i18n*` attribute in the static markup. */
export function applyStatic(root = document) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]"))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]"))
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}
