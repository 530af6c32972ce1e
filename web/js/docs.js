// Document management for admins: upload with progress, change access groups, delete.

import { api, uploadDocument } from "./api.js";
import { $, h, icon, trapFocus } from "./dom.js";
import { t } from "./i18n.js";

let report = () => {};
let describe = (err) => String(err);

function groupsOf(text) {
  return text
    .split(/[,，\s]+/)
    .map((g) => g.trim())
    .filter(Boolean);
}

function row(doc) {
  const id = `access-${doc.source.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const access = h("input", {
    id,
    class: "access-input",
    value: doc.access.filter((g) => g !== "public").join(", "),
    placeholder: t("accessPh"),
  });
  const save = h(
    "button",
    {
      type: "button",
      class: "ghost-btn small",
      onclick: async () => {
        try {
          await api.setAccess(doc.source, groupsOf(access.value));
          report(t("docsSaved"));
          await refresh();
        } catch (err) {
          report(describe(err));
        }
      },
    },
    t("docsSave"),
  );
  const del = h(
    "button",
    {
      type: "button",
      class: "danger-btn small",
      "aria-label": `${t("confirmDelete")}: ${doc.title || doc.source}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        if (!button.classList.contains("armed")) {
          // A second click confirms, so a stray click never deletes a document.
          button.classList.add("armed");
          button.lastChild.textContent = t("confirmDelete") + "?";
          return;
        }
        try {
          await api.deleteDocument(doc.source);
          report(t("docsDeleted", doc.title || doc.source));
          await refresh();
        } catch (err) {
          report(describe(err));
        }
      },
    },
    icon("trash"),
    h("span", {}, t("confirmDelete")),
  );
  return h(
    "li",
    { class: "doc-row", dataset: { source: doc.source } },
    h(
      "div",
      { class: "doc-info" },
      h("span", { class: "doc-title" }, doc.title || doc.source),
      h("span", { class: "doc-meta" }, `${doc.source} · ${t("docsChunks", doc.chunks)}`),
    ),
    h("label", { for: id, class: "doc-access-label" }, t("docsAccess")),
    access,
    save,
    del,
  );
}

async function refresh() {
  const list = $("#doc-list");
  try {
    const docs = await api.listDocuments();
    list.replaceChildren(...(docs.length ? docs.map(row) : [h("li", { class: "muted" }, t("docsEmpty"))]));
  } catch (err) {
    list.replaceChildren(h("li", { class: "form-error", role: "alert" }, describe(err)));
  }
}

function showProgress(text, value) {
  $("#upload-progress").hidden = false;
  $("#upload-status").textContent = text;
  const bar = $("#upload-bar");
  if (value === null) bar.removeAttribute("value");
  else bar.value = value;
}

/** A long ingest answers 202 with a job: follow it until it ends; resolves with the ingest result. */
async function finished(answer) {
  if (answer.status !== 202) return answer.data;
  let job = answer.data;
  while (job.status === "queued" || job.status === "running") {
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await api.uploadJob(job.id);
  }
  if ((job.status_code || 200) >= 400 || !job.result) throw new Error(job.detail || job.status);
  return job.result;
}

async function upload(e) {
  e.preventDefault();
  const file = $("#upload-file").files[0];
  if (!file) return;
  $("#upload-submit").disabled = true;
  showProgress(t("docsUploading", 0), 0);
  try {
    const access = $("#upload-access").value.trim();
    const answer = await uploadDocument(file, access, $("#upload-replace").checked, (fraction) => {
      // Once the bytes are up the server reads and indexes them: an indeterminate bar says so.
      if (fraction >= 1) showProgress(t("docsIngesting"), null);
      else showProgress(t("docsUploading", Math.round(fraction * 100)), Math.round(fraction * 100));
    });
    const data = await finished(answer);
    showProgress(t("docsAdded", data.source || file.name, data.chunks ?? 0), 100);
    $("#upload-form").reset();
    await refresh();
  } catch (err) {
    showProgress(err instanceof Error && !("status" in err) ? err.message : describe(err), 0);
  } finally {
    $("#upload-submit").disabled = false;
  }
}

export function openDocs(trigger) {
  const dialog = $("#docs-dialog");
  dialog.returnTo = trigger;
  $("#upload-progress").hidden = true;
  dialog.showModal();
  refresh();
}

/** `toast(message)` reports outcomes; `message(err)` turns an error into words. */
export function initDocs(toast, message) {
  report = toast;
  describe = message;
  const dialog = $("#docs-dialog");
  trapFocus(dialog);
  $("#docs-close").addEventListener("click", () => dialog.close());
  $("#upload-form").addEventListener("submit", upload);
  dialog.addEventListener("close", () => dialog.returnTo?.focus());
}
