"""A scripted OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

The advisor's LLM mode talks to the real `langchain_openai.ChatOpenAI` client; this server lets
tests exercise that real network path (retries, timeouts, SSE parsing, structured output) while
every answer stays scripted.

- `replies`: what the model says (`Reply` and its kinds, responders, `schema_name`);
- `wire`: how a reply looks on the wire (completion bodies, SSE chunks, embeddings);
- `server`: `ScriptedLLMServer`, its records of every request, and the HTTP handler.

Imports the standard library and numpy only: nothing from tests/, agents/, api/ or store/.
"""

from evals.scripted_llm.replies import JSON, Reply, Responder, count_tokens, schema_name, structured_responder
from evals.scripted_llm.server import ScriptedLLMServer

__all__ = [
    "JSON",
    "Reply",
    "Responder",
    "ScriptedLLMServer",
    "count_tokens",
    "schema_name",
    "structured_responder",
]
