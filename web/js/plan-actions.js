// The plan card's controls: toolbar buttons and the thumbs up/down with an optional comment.

import { h, icon } from "./dom.js";
import { t } from "./i18n.js";

export function tool(name, label, fn, extra = {}) {
  return h(
    "button",
    {
      type: "button",
      class: "tool",
      "aria-label": label,
      title: label,
      onclick: (e) => fn(e.currentTarget),
      ...extra,
    },
    icon(name),
    h("span", { class: "tool-label" }, label),
  );
}

/** Thumbs up or down, then an optional comment; `send(rating, comment)` stores it. */
export function feedback(send) {
  let rating = null;
  const box = h("div", { class: "feedback" });
  const comment = h("form", { class: "feedback-form", hidden: true });
  const pick = async (value, button) => {
    rating = value;
    for (const b of box.querySelectorAll(".vote")) b.setAttribute("aria-pressed", String(b === button));
    if (await send(rating, "")) {
      comment.hidden = false;
      comment.querySelector("textarea").focus();
    }
  };
  const vote = (value, name, label) =>
    h(
      "button",
      {
        type: "button",
        class: `tool vote vote-${value}`,
        "aria-pressed": "false",
        "aria-label": label,
        title: label,
        onclick: (e) => pick(value, e.currentTarget),
      },
      icon(name),
    );
  const id = `fb-${Math.random().toString(36).slice(2)}`;
  comment.append(
    h("label", { for: id, class: "visually-hidden" }, t("feedbackComment")),
    h("textarea", { id, rows: "2", maxlength: "2000", placeholder: t("feedbackComment") }),
    h("button", { type: "submit", class: "ghost-btn small" }, t("feedbackSend")),
  );
  comment.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = comment.querySelector("textarea").value.trim();
    if (await send(rating, text))
      comment.replaceChildren(h("p", { class: "muted", role: "status" }, t("feedbackThanks")));
  });
  box.append(vote("up", "up", t("good")), vote("down", "down", t("bad")), comment);
  return box;
}
