// The document viewer: a source's passages in reading order, scrolled to the cited passage and
// marking it, with section headings and page or slide numbers. A modal dialog that keeps focus.

import { api } from "./api.js";
import { $, h, trapFocus } from "./dom.js";
import { t } from "./i18n.js";

let returnFocus = null;

function where(source, page) {
  if (!page) return null;
  return /\.pptx?$/i.test(source) ? t("slide", page) : t("page", page);
}

/** Extracted text keeps runs of blank lines; one is enough to read by. */
function tidy(text) {
  return String(text || "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function passageItem(doc, p, cited, previous) {
  const heading = p.section && p.section !== previous.section ? p.section : null;
  const page = p.page && p.page !== previous.page ? where(doc.source, p.page) : null;
  return h(
    "li",
    {
      class: `passage${cited ? " cited" : ""}`,
      dataset: { chunkId: p.chunk_id },
      "aria-current": cited ? "true" : null,
      tabindex: cited ? "-1" : null,
    },
    heading || page ? h("p", { class: "passage-where" }, [heading, page].filter(Boolean).join(" · ")) : null,
    cited ? h("span", { class: "cited-label" }, t("citedPassage")) : null,
    cited
      ? h("mark", { class: "passage-text" }, tidy(p.text))
      : h("p", { class: "passage-text" }, tidy(p.text)),
  );
}

/** Open the document a citation comes from; `citation` has source, title and chunk_id. */
export async function openDocument(citation, trigger) {
  const dialog = $("#viewer");
  returnFocus = trigger || document.activeElement;
  $("#viewer-title").textContent = citation.title || t("untitledDoc");
  const body = $("#viewer-body");
  body.replaceChildren(h("li", { class: "loading", "aria-busy": "true" }, h("span", { class: "spinner" })));
  if (!dialog.open) dialog.showModal();
  $("#viewer-close").focus();
  let doc;
  try {
    doc = await api.passages(citation.source);
  } catch {
    body.replaceChildren(h("li", { class: "viewer-error", role: "alert" }, t("viewerFailed")));
    return;
  }
  let previous = {};
  const items = doc.passages.map((p) => {
    const item = passageItem(doc, p, p.chunk_id === citation.chunk_id, previous);
    previous = p;
    return item;
  });
  body.replaceChildren(...items);
  const target = body.querySelector(".passage.cited");
  if (target) {
    target.scrollIntoView({ block: "center", behavior: "instant" });
    target.focus({ preventScroll: true });
  }
}

export function initViewer() {
  const dialog = $("#viewer");
  trapFocus(dialog);
  $("#viewer-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => {
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  });
}
