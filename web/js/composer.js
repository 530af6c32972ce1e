// The composer: autosize, a counter near the length limit (nothing is ever cut), IME-safe Enter,
// Stop, the plan-review toggle, and editing an earlier question.

import { ask, stopStreaming, view } from "./conversation.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";

export function setStreaming(on) {
  $("#send-button").hidden = on;
  $("#stop-button").hidden = !on;
  $("#composer").classList.toggle("busy", on);
  if (!on && matchMedia("(pointer: fine)").matches) $("#composer-input").focus();
}

let maxChars = 4000;

function limit() {
  return maxChars;
}

/** The server's ADVISOR_MAX_QUESTION_CHARS, from /v1/config. */
export function setLimit(chars) {
  if (chars) maxChars = chars;
  autosize();
}

/** Nothing is cut silently: near the limit a counter appears, past it sending stops and says why. */
export function autosize() {
  const input = $("#composer-input");
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 220)}px`;
  const used = input.value.trim().length;
  const over = used - limit();
  const counter = $("#composer-counter");
  counter.textContent = over > 0 ? t("tooLong", over) : used >= limit() * 0.8 ? `${used} / ${limit()}` : "";
  counter.classList.toggle("over", over > 0);
  input.setAttribute("aria-invalid", String(over > 0));
  $("#send-button").disabled = !used || over > 0;
}

export function initComposer() {
  const input = $("#composer-input");
  const submit = () => {
    if (view.live || !input.value.trim() || input.value.trim().length > limit()) return;
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
  $("#review-toggle").addEventListener("change", (e) => {
    view.review = e.target.checked;
  });
  autosize();
}

/** Put an earlier question back in the composer to edit and send again. */
export function editQuestion(question) {
  const input = $("#composer-input");
  input.value = question;
  autosize();
  input.focus();
  input.setSelectionRange(question.length, question.length);
}
