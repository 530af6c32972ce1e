// Light, dark or the system's choice, remembered in this browser. The stylesheet reads
// <html data-theme>; without it the system decides (prefers-color-scheme).

import { $, icon } from "./dom.js";
import { t } from "./i18n.js";

const THEME_KEY = "advisor.theme";
const THEMES = ["system", "light", "dark"];

function theme() {
  const saved = localStorage.getItem(THEME_KEY);
  return THEMES.includes(saved) ? saved : "system";
}

export function drawTheme() {
  const mode = theme();
  if (mode === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = mode;
  const dark = mode === "dark" || (mode === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  $("#theme-icon").replaceChildren(icon(dark ? "moon" : "sun"));
  $("#theme-label").textContent = t("themeButton", t("theme")[mode]);
}

function cycleTheme() {
  localStorage.setItem(THEME_KEY, THEMES[(THEMES.indexOf(theme()) + 1) % THEMES.length]);
  drawTheme();
}

export function initTheme() {
  drawTheme();
  $("#theme-toggle").addEventListener("click", cycleTheme);
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", drawTheme);
}
