// The citation drawer: what a chip stands on, with the cited sentence marked in the quote.

import { $, h, icon, trapFocus } from "./dom.js";
import { t } from "./i18n.js";
import { openDocument } from "./viewer.js";

/** Where in its document a citation stands: section path and page or slide, never a file name. */
export function sourceMeta(c) {
  const where = c.page ? (/\.pptx?$/i.test(c.source) ? t("slide", c.page) : t("page", c.page)) : null;
  return [c.section, where].filter(Boolean).join(" · ");
}

/** Markdown emphasis from the source documents is noise in a quote. */
export function cleanQuote(text) {
  return String(text || "")
    .replace(/\*\*|__/g, "")
    .replace(/^#+\s*/gm, "")
    .trim();
}

/** Sentence spans [start, end) of `text`, cut after CJK/Latin sentence ends and newlines. */
export function splitSentences(text) {
  const spans = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const latinEnd =
      (c === "." || c === "!" || c === "?") && (i + 1 === text.length || /\s/.test(text[i + 1]));
    if ("。！？；\n".includes(c) || latinEnd) {
      spans.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans.filter(([a, b]) => text.slice(a, b).trim().length > 1);
}

/** Character bigrams for CJK and lowercase words for Latin text: enough to match a paraphrase. */
function grams(text) {
  const out = new Set();
  const lower = text.toLowerCase().replace(/\[\d+\]/g, "");
  for (const word of lower.match(/[a-z0-9]{2,}/g) || []) out.add(word);
  const cjk = lower.replace(/[^\u3400-\u9fff]/g, "");
  for (let i = 0; i + 1 < cjk.length; i++) out.add(cjk.slice(i, i + 2));
  return out;
}

/** The span of the quote's sentence that best matches the statement, or null if none overlaps. */
export function bestSentence(quote, statement) {
  const spans = splitSentences(quote);
  if (spans.length <= 1) return spans.length ? [0, quote.length] : null;
  const target = grams(statement || "");
  let best = null;
  let bestScore = 0;
  for (const span of spans) {
    const own = grams(quote.slice(...span));
    if (!own.size || !target.size) continue;
    let shared = 0;
    for (const g of own) if (target.has(g)) shared++;
    const score = shared / Math.sqrt(own.size * target.size);
    if (score > bestScore) {
      bestScore = score;
      best = span;
    }
  }
  return best;
}

let state = { citations: [], index: -1, statement: "", returnFocus: null };

function drawer() {
  return $("#drawer");
}

export function openCitation(citations, id, statement, trigger) {
  const index = citations.findIndex((c) => c.id === id);
  if (index === -1) return;
  state = { citations, index, statement, returnFocus: trigger || document.activeElement };
  render();
  const el = drawer();
  if (!el.open) el.showModal();
  document.body.classList.add("drawer-open");
  $("#drawer-close").focus();
}

export function closeCitation() {
  if (drawer().open) drawer().close();
}

export function rerenderCitation() {
  if (drawer().open) render();
}

function step(delta) {
  const next = state.index + delta;
  if (next < 0 || next >= state.citations.length) return;
  // Other sources were not cited for this statement, so stop marking it.
  state = { ...state, index: next, statement: "" };
  render();
}

function render() {
  const c = state.citations[state.index];
  const body = $("#drawer-body");
  $("#drawer-num").textContent = String(c.id);
  $("#drawer-title").textContent = t("sourceOf");
  const quote = cleanQuote(c.quote);
  const meta = sourceMeta(c);
  const parts = [
    h("h3", { class: "src-title" }, c.title || t("untitledDoc")),
    meta ? h("p", { class: "src-meta" }, meta) : null,
    quote
      ? h("blockquote", { class: "quote", "aria-label": t("sourceOf") }, highlighted(quote, state.statement))
      : h("p", { class: "muted" }, t("noQuote")),
    state.statement
      ? h(
          "div",
          { class: "cited-for" },
          h("span", { class: "label" }, t("citedFor")),
          h("p", {}, state.statement),
        )
      : null,
    h(
      "button",
      {
        type: "button",
        class: "ghost-btn read-doc",
        "aria-haspopup": "dialog",
        onclick: (e) => openDocument(c, e.currentTarget),
      },
      icon("book"),
      t("readDocument"),
    ),
  ];
  // replaceChildren would print a null child as the text "null"
  body.replaceChildren(...parts.filter(Boolean));
  $("#drawer-prev").disabled = state.index === 0;
  $("#drawer-next").disabled = state.index === state.citations.length - 1;
}

function highlighted(quote, statement) {
  const span = statement ? bestSentence(quote, statement) : null;
  if (!span) return [quote];
  return [quote.slice(0, span[0]), h("mark", {}, quote.slice(span[0], span[1])), quote.slice(span[1])];
}

export function initDrawer() {
  const el = drawer();
  trapFocus(el);
  $("#drawer-close").addEventListener("click", closeCitation);
  $("#drawer-prev").addEventListener("click", () => step(-1));
  $("#drawer-next").addEventListener("click", () => step(1));
  // A click on the backdrop lands on the dialog element itself, outside its panel.
  el.addEventListener("click", (e) => {
    if (e.target === el) closeCitation();
  });
  el.addEventListener("close", () => {
    document.body.classList.remove("drawer-open");
    if (state.returnFocus && document.contains(state.returnFocus)) state.returnFocus.focus();
  });
}
