// Export one plan. The server renders it (agents/render.py is the one Markdown renderer and
// agents/render_docx.py builds Word files), so the page only fetches, saves, copies and prints.

import { api } from "./api.js";
import { saveBlob } from "./dom.js";

/** Download the plan of turn `turn` of `threadId` as "markdown" or "docx". */
export async function downloadTurn(threadId, turn, format) {
  const { blob, name } = await api.exportTurn(threadId, turn, format);
  saveBlob(blob, name);
}

/** Resolves true when the plan's Markdown reached the clipboard. */
export async function copyTurn(threadId, turn) {
  const { blob } = await api.exportTurn(threadId, turn, "markdown");
  return copyText(await blob.text());
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, lost user activation): fall back to a hidden selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** Print only the chosen plan: the print stylesheet hides everything not marked. */
export function printPlan(article) {
  document.body.classList.add("printing-one");
  article.classList.add("print-target");
  const done = () => {
    document.body.classList.remove("printing-one");
    article.classList.remove("print-target");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}
