"""`make llm-serve`: llama.cpp's OpenAI-compatible server on loopback, model name `local`.

Gemma's chat format in llama-cpp-python drops system messages, and the advisor's rules live in
the system message; `gemma-system` folds them into the first user turn instead. Embeddings are
served by the same GGUF under the name `local-embed` (a second context with pooling; the
server swaps contexts on demand, so mixing both kinds of request costs a reload).
"""

from __future__ import annotations

import argparse
from typing import Any

from evals.llm_local.model import model_path


def register_chat_format() -> None:
    from llama_cpp import llama_chat_format as fmt

    @fmt.register_chat_format("gemma-system")
    def format_gemma_system(messages: list[Any], **kwargs: Any) -> Any:
        system = "\n\n".join(str(m.get("content") or "") for m in messages if m["role"] == "system")
        rest = [dict(m) for m in messages if m["role"] != "system"]
        if system and rest and rest[0]["role"] == "user":
            rest[0]["content"] = f"{system}\n\n{rest[0].get('content') or ''}"
        return fmt.format_gemma(rest, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--ctx", type=int, default=8192, help="context window in tokens")
    args = parser.parse_args()

    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    register_chat_format()
    path = str(model_path())
    common: dict[str, Any] = {"model": path, "n_ctx": args.ctx, "n_threads": 2, "verbose": False}
    models = [
        ModelSettings(model_alias="local", chat_format="gemma-system", **common),
        ModelSettings(model_alias="local-embed", embedding=True, **common),
    ]
    app = create_app(server_settings=ServerSettings(host=args.host, port=args.port), model_settings=models)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
