"""What the scripted model says: one `Reply` per chat call, from a queue or a responder.

A new misbehaviour (a `<think>` block, fenced JSON, a tool-less 400, a slow drip…) is a new
`ReplyKind` with its class method here, and its rendering in `evals.scripted_llm.wire`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

JSON = dict[str, Any]
ReplyKind = Literal["text", "tool", "data", "error", "malformed", "truncated", "drip"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer; build it with the class methods, not the constructor."""

    kind: ReplyKind
    content: str = ""
    tool_name: str | None = None
    args: JSON = field(default_factory=dict)
    status: int = 200
    sleep: float = 0.0  # seconds before the response starts (latency, or a client timeout)
    chunk_sleep: float = 0.0  # seconds between stream chunks
    after_chunks: int = 2  # truncated: content chunks sent before the connection drops
    retry_after_ms: int | None = 10  # errors only; None leaves the client's own backoff
    wrap: bool = False  # content answers: `<think>` block first, the JSON in a ```json fence
    reasoning: str | None = None  # sent as `reasoning_content` beside the content (DeepSeek style)

    @classmethod
    def text(cls, content: str, *, sleep: float = 0.0, chunk_sleep: float = 0.0) -> Reply:
        return cls("text", content=content, sleep=sleep, chunk_sleep=chunk_sleep)

    @classmethod
    def tool(cls, name: str, args: JSON, *, sleep: float = 0.0, chunk_sleep: float = 0.0) -> Reply:
        return cls("tool", tool_name=name, args=args, sleep=sleep, chunk_sleep=chunk_sleep)

    @classmethod
    def data(cls, args: JSON, *, sleep: float = 0.0, chunk_sleep: float = 0.0) -> Reply:
        """Structured output in whatever form the request asked: tool call or JSON content."""
        return cls("data", args=args, sleep=sleep, chunk_sleep=chunk_sleep)

    @classmethod
    def reasoning_model(cls, args: JSON, *, reasoning: str = 'Let me think. {"refuse": true}') -> Reply:
        """JSON content the way reasoning models write it: thinking first, then a fenced object,
        with more reasoning (holding a decoy object) in `reasoning_content`."""
        return cls("data", args=args, wrap=True, reasoning=reasoning)

    @classmethod
    def drip(cls, content: str = "x" * 600, *, byte_sleep: float = 1.0) -> Reply:
        """Headers at once, then the body one byte per `byte_sleep` s: defeats per-read timeouts."""
        return cls("drip", content=content, chunk_sleep=byte_sleep)

    @classmethod
    def error(cls, status: int = 500, message: str = "scripted failure", *, sleep: float = 0.0) -> Reply:
        """An OpenAI-style error body; `retry-after-ms` keeps the client's retries fast."""
        return cls("error", content=message, status=status, sleep=sleep)

    @classmethod
    def malformed(cls, body: str = '{"id": "chatcmpl-bad", "choices": [', *, sleep: float = 0.0) -> Reply:
        return cls("malformed", content=body, sleep=sleep)

    @classmethod
    def truncated(cls, content: str, *, after_chunks: int = 2, sleep: float = 0.0) -> Reply:
        """Streams: the connection drops mid-body; non-streams: the body is cut short."""
        return cls("truncated", content=content, after_chunks=after_chunks, sleep=sleep)


Responder = Callable[[JSON], Reply]


def count_tokens(value: Any) -> int:
    """Deterministic stand-in for a tokenizer (no tiktoken): a quarter of the JSON length."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def schema_name(request: JSON) -> str | None:
    """The tool or json_schema name a request asks for (e.g. "AdoptionPlan"), else None."""
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and "function" in choice:
        return str(choice["function"]["name"])
    if request.get("tools"):
        return str(request["tools"][0]["function"]["name"])
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str(fmt["json_schema"]["name"])
    return None


def structured_responder(
    fn: Callable[[str, list[JSON]], JSON | Reply],
    text: str | Callable[[list[JSON]], str | Reply] = "ok",
) -> Responder:
    """Answers schema requests with `fn(schema_name, messages)`, plain requests with `text`.

    `fn` returns the arguments dict (sent as tool call or JSON content, as requested) or a Reply.
    """

    def respond(request: JSON) -> Reply:
        messages = request.get("messages", [])
        name = schema_name(request)
        if name is None:
            out = text(messages) if callable(text) else text
            return Reply.text(out) if isinstance(out, str) else out
        result = fn(name, messages)
        return Reply.data(result) if isinstance(result, dict) else result

    return respond
