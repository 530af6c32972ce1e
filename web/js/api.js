// Talking to the advisor server: JSON calls, the API key, and the plan event stream.
// EventSource can neither POST nor send an Authorization header, so the stream is read
// with fetch and parsed here.

const KEY_STORE = "advisor.apiKey";

export class ApiError extends Error {
  /** status 0 means the request never got an answer (network down, server gone). */
  constructor(status, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

let unauthorizedHandler = () => {};

/** Called whenever the server answers 401, so the page can ask for a key again. */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export function getKey() {
  return sessionStorage.getItem(KEY_STORE) || "";
}

export function setKey(key) {
  if (key) sessionStorage.setItem(KEY_STORE, key);
  else sessionStorage.removeItem(KEY_STORE);
}

function headers(extra = {}) {
  const out = { Accept: "application/json", ...extra };
  const key = getKey();
  if (key) out.Authorization = `Bearer ${key}`;
  return out;
}

async function send(path, { method = "GET", body, signal, accept } = {}) {
  const init = { method, signal, headers: headers(accept ? { Accept: accept } : {}) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "network");
  }
  if (!response.ok) throw await toError(response, init.headers.Authorization);
  return response;
}

/** `sent` is the Authorization header the request carried: a 401 for a key already replaced
 * (a request still in flight when the user entered a new one) must not send them back to the prompt. */
async function toError(response, sent = undefined) {
  let detail = "";
  try {
    const data = await response.json();
    detail = typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail ?? data);
  } catch {
    detail = response.statusText;
  }
  const retry = response.headers.get("Retry-After");
  const error = new ApiError(response.status, detail, retry ? Number.parseInt(retry, 10) || null : null);
  if (response.status === 401 && sent === headers().Authorization) unauthorizedHandler(error);
  return error;
}

async function json(path, options) {
  const response = await send(path, options);
  return response.status === 204 ? null : response.json();
}

const enc = encodeURIComponent;
// A source is a path inside the corpus: keep its slashes, escape the rest.
const sourcePath = (source) => String(source).split("/").map(enc).join("/");

export const api = {
  config: () => json("/v1/config"),
  me: () => json("/v1/me"),
  listThreads: () => json("/v1/threads"),
  createThread: (title) => json("/v1/threads", { method: "POST", body: title ? { title } : {} }),
  getThread: (id) => json(`/v1/threads/${enc(id)}`),
  renameThread: (id, title) => json(`/v1/threads/${enc(id)}`, { method: "PATCH", body: { title } }),
  deleteThread: (id) => json(`/v1/threads/${enc(id)}`, { method: "DELETE" }),
  passages: (source) => json(`/v1/passages/${sourcePath(source)}`),
  feedback: (body) => json("/v1/feedback", { method: "POST", body }),
  listDocuments: () => json("/v1/documents"),
  uploadJob: (id) => json(`/v1/uploads/${enc(id)}`),
  deleteDocument: (source) => json(`/v1/documents/${sourcePath(source)}`, { method: "DELETE" }),
  setAccess: (source, access) =>
    json(`/v1/access/${sourcePath(source)}`, { method: "PUT", body: { access } }),
  /** One plan of a thread as a file from the server: {blob, name}. */
  exportTurn: async (threadId, turn, format) => {
    const response = await send(`/v1/threads/${enc(threadId)}/turns/${turn}/export?format=${format}`, {
      accept: "*/*",
    });
    const disposition = response.headers.get("Content-Disposition") || "";
    const star = disposition.match(/filename\*=UTF-8''([^;]+)/);
    const name = star ? decodeURIComponent(star[1]) : `plan.${format === "docx" ? "docx" : "md"}`;
    return { blob: await response.blob(), name };
  },
};

/**
 * Upload a document with progress: `onProgress(fraction)` while the bytes go up (fetch cannot
 * report upload progress, XMLHttpRequest can); resolves with the server's JSON answer.
 */
export function uploadDocument(file, access, replace, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("file", file);
    if (access) form.append("access", access);
    if (replace) form.append("replace", "true");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/documents");
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, "network"));
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = { detail: xhr.statusText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, data });
      else {
        const error = new ApiError(
          xhr.status,
          typeof data.detail === "string" ? data.detail : xhr.statusText,
        );
        if (xhr.status === 401) unauthorizedHandler(error);
        reject(error);
      }
    };
    xhr.send(form);
  });
}

/**
 * POST the question and call `onEvent(name, data)` for every server-sent event until the
 * stream ends. Resolves when the stream closes; rejects with ApiError or AbortError.
 */
export async function streamPlan(body, { signal, onEvent, path = "/v1/plans/stream" }) {
  const response = await send(path, {
    method: "POST",
    body,
    signal,
    accept: "text/event-stream",
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (err && err.name === "AbortError") throw err;
        throw new ApiError(0, "network");
      }
      if (chunk.done) break;
      buffer += chunk.value;
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = blocks.pop();
      for (const block of blocks) dispatch(block, onEvent);
    }
    if (buffer.trim()) dispatch(buffer, onEvent);
  } finally {
    reader.releaseLock();
  }
}

/** One SSE block: `event:` and `data:` lines; lines starting with ':' are heartbeats. */
function dispatch(block, onEvent) {
  let event = "message";
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join("\n"));
  } catch {
    parsed = { text: data.join("\n") };
  }
  onEvent(event, parsed);
}
