// The sidebar's thread list: switch, search by title, rename in place, and delete with an
// inline confirmation so a stray click never loses a conversation.

import { $, h, icon } from "./dom.js";
import { lang, t } from "./i18n.js";

function toDate(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return new Date(value < 1e12 ? value * 1000 : value);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function relative(value) {
  const d = toDate(value);
  if (!d) return "";
  const seconds = Math.round((d.getTime() - Date.now()) / 1000);
  const fmt = new Intl.RelativeTimeFormat(lang() === "zh" ? "zh-CN" : "en", { numeric: "auto" });
  const steps = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [7, "day"],
  ];
  let amount = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(amount) < size)
      return unit === "second" ? fmt.format(0, "second") : fmt.format(amount, unit);
    amount = Math.round(amount / size);
  }
  return d.toLocaleDateString(lang() === "zh" ? "zh-CN" : "en");
}

export function threadTitle(thread) {
  return (thread && thread.title && String(thread.title).trim()) || t("untitled");
}

/**
 * Render `threads` into the sidebar, keeping those whose title contains `query`.
 * `handlers` has onSelect(id), onRename(id, title) and onDelete(id).
 */
export function renderThreads(threads, currentId, handlers, query = "") {
  const list = $("#thread-list");
  const needle = query.trim().toLowerCase();
  const shown = needle ? threads.filter((x) => threadTitle(x).toLowerCase().includes(needle)) : threads;
  if (!shown.length) {
    list.replaceChildren(
      h("li", { class: "thread-empty" }, threads.length ? t("noMatches") : t("noThreads")),
    );
    return;
  }
  list.replaceChildren(...shown.map((thread) => item(thread, thread.id === currentId, handlers)));
}

function renameMode(li, thread, handlers) {
  const restore = () => li.replaceWith(item(thread, li.classList.contains("current"), handlers));
  const id = `rename-${thread.id}`;
  const input = h("input", { id, class: "rename-input", value: threadTitle(thread), maxlength: "200" });
  const form = h(
    "form",
    { class: "rename-form" },
    h("label", { for: id, class: "visually-hidden" }, t("renameLabel")),
    input,
    h("button", { type: "submit", class: "ghost-btn small" }, t("save")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (title && title !== threadTitle(thread)) handlers.onRename(thread.id, title);
    else restore();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      restore();
    }
  });
  li.replaceChildren(form);
  input.select();
  input.focus();
}

function item(thread, current, handlers) {
  const title = threadTitle(thread);
  const li = h("li", { class: `thread${current ? " current" : ""}`, dataset: { id: thread.id } });
  const link = h(
    "a",
    {
      class: "thread-link",
      href: `#/t/${encodeURIComponent(thread.id)}`,
      "aria-current": current ? "page" : null,
      "data-testid": "thread",
      onclick: (e) => {
        e.preventDefault();
        handlers.onSelect(thread.id);
      },
    },
    h("span", { class: "thread-title" }, title),
    h("span", { class: "thread-time" }, relative(thread.updated_at || thread.created_at)),
  );
  const del = h(
    "button",
    {
      type: "button",
      class: "icon-btn thread-del",
      "aria-label": `${t("deleteThread")}: ${title}`,
      title: t("deleteThread"),
      onclick: () => confirmMode(li, thread, handlers),
    },
    icon("trash"),
  );
  const rename = h(
    "button",
    {
      type: "button",
      class: "icon-btn thread-rename",
      "aria-label": `${t("renameThread")}: ${title}`,
      title: t("renameThread"),
      onclick: () => renameMode(li, thread, handlers),
    },
    icon("edit"),
  );
  li.append(link, rename, del);
  return li;
}

function confirmMode(li, thread, handlers) {
  const restore = () => li.replaceWith(item(thread, li.classList.contains("current"), handlers));
  const yes = h(
    "button",
    { type: "button", class: "danger-btn", onclick: () => handlers.onDelete(thread.id) },
    t("confirmDelete"),
  );
  const no = h("button", { type: "button", class: "ghost-btn", onclick: restore }, t("cancel"));
  li.classList.add("confirming");
  li.replaceChildren(
    h("span", { class: "thread-title" }, threadTitle(thread)),
    h("span", { class: "confirm-actions", role: "group", "aria-label": t("deleteThread") }, yes, no),
  );
  li.addEventListener("keydown", (e) => {
    if (e.key === "Escape") restore();
  });
  yes.focus();
}
