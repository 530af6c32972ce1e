"""The OpenAI wire format: how a scripted `Reply` becomes a chat completion, a stream of SSE
chunks or an embeddings body. The HTTP handler decides when and how much of it to send."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time

import numpy as np

from evals.scripted_llm.replies import JSON, Reply, count_tokens, schema_name


def _tokens(text: str) -> list[str]:
    """ASCII words stay whole; every other character (CJK included) is its own token."""
    return re.findall(r"\s*[A-Za-z0-9_']+|\s*\S|\s+", text) or [""]


def message_parts(reply: Reply, request: JSON) -> tuple[str | None, tuple[str, str] | None]:
    """(content, (tool name, JSON arguments)) as this request expects the reply."""
    if reply.kind == "tool":
        return None, (str(reply.tool_name), json.dumps(reply.args, ensure_ascii=False))
    if reply.kind == "data":
        forced = isinstance(request.get("tool_choice"), dict) or request.get("tool_choice") == "required"
        if request.get("tools") and (forced or not request.get("response_format")):
            return None, (str(schema_name(request)), json.dumps(reply.args, ensure_ascii=False))
        text = json.dumps(reply.args, ensure_ascii=False)
        return (f"<think>The user wants JSON.</think>\n```json\n{text}\n```" if reply.wrap else text), None
    return reply.content, None


def usage_of(request: JSON, produced: str | None) -> JSON:
    """Token counts as the API reports them, from the deterministic `count_tokens`."""
    prompt, done = count_tokens(request.get("messages", [])), count_tokens(produced or "")
    return {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}


def completion(
    request: JSON,
    content: str | None,
    tool: tuple[str, str] | None,
    usage: JSON,
    reasoning: str | None = None,
) -> JSON:
    message: JSON = {"role": "assistant", "content": content}
    if reasoning is not None:
        message["reasoning_content"] = reasoning
    if tool is not None:
        function = {"name": tool[0], "arguments": tool[1]}
        message["tool_calls"] = [{"id": "call_0", "type": "function", "function": function}]
    choice = {"index": 0, "message": message, "finish_reason": "tool_calls" if tool else "stop"}
    return {**_head(request), "object": "chat.completion", "choices": [choice], "usage": usage}


def chunks(request: JSON, content: str | None, tool: tuple[str, str] | None, usage: JSON) -> list[str]:
    """SSE data payloads: role, deltas, finish, then usage if the client asked for it."""
    head = {**_head(request), "object": "chat.completion.chunk"}

    def chunk(delta: JSON, reason: str | None = None) -> str:
        return json.dumps({**head, "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]})

    if tool is None:
        body = [chunk({"content": piece}) for piece in _tokens(content or "")]
    else:
        call = {
            "index": 0,
            "id": "call_0",
            "type": "function",
            "function": {"name": tool[0], "arguments": ""},
        }
        pieces = [tool[1][i : i + 16] for i in range(0, len(tool[1]), 16)]
        body = [chunk({"tool_calls": [call]})]
        body += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in pieces]
    out = [chunk({"role": "assistant", "content": "" if tool is None else None}), *body]
    out.append(chunk({}, "tool_calls" if tool else "stop"))
    if (request.get("stream_options") or {}).get("include_usage"):
        out.append(json.dumps({**head, "choices": [], "usage": usage}))
    return out


def _head(request: JSON) -> JSON:
    return {"id": f"chatcmpl-{id(request)}", "created": int(time.time()), "model": request.get("model")}


def embeddings(request: JSON, dim: int) -> JSON:
    """Deterministic unit vectors from SHA-256, as floats or base64 (the client's default)."""
    inputs = request.get("input", [])
    inputs = [inputs] if isinstance(inputs, str) else inputs
    data = []
    for i, item in enumerate(inputs):
        seed = hashlib.sha256((item if isinstance(item, str) else json.dumps(item)).encode()).digest()
        vector = np.random.default_rng(list(seed)).standard_normal(dim).astype("<f4")
        vector /= np.linalg.norm(vector)
        b64 = request.get("encoding_format") == "base64"
        embedding = base64.b64encode(vector.tobytes()).decode() if b64 else vector.tolist()
        data.append({"object": "embedding", "index": i, "embedding": embedding})
    counted = {"prompt_tokens": count_tokens(inputs), "total_tokens": count_tokens(inputs)}
    return {"object": "list", "data": data, "model": request.get("model", ""), "usage": counted}
