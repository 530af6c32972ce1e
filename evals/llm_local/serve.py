"""`make llm-serve`: llama.cpp's OpenAI-compatible server on loopback, model name `local`.

Gemma's chat format in llama-cpp-python drops system messages, and the advisor's rules live in
the system message; `gemma-system` folds them into the first user turn instead. Embeddings are
served by the same GGUF under the name `local-embed` (a second context, mean-pooled; the
server swaps contexts on demand, so mixing both kinds of request costs a reload of ~1 s).
A request whose client hung up stops generating at the next token (`evals.llm_local.abort`).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from evals.llm_local.abort import AbortOnDisconnect, stop_generating_when_the_client_is_gone
from evals.llm_local.model import model_path


def without_weight_repacking() -> None:
    """Loads weights without llama.cpp's extra buffer types (AMX/AVX repacking). On this kind of
    virtual machine the CPU reports AMX but decoding with repacked weights segfaults."""
    import llama_cpp
    from llama_cpp import llama_cpp as lib

    default = lib.llama_model_default_params

    def params() -> Any:
        p = default()
        p.use_extra_bufts = False
        return p

    llama_cpp.llama_model_default_params = lib.llama_model_default_params = params


def mean_pooled_embeddings() -> None:
    """One vector per input (mean of its tokens), as /v1/embeddings promises; the server's
    settings cannot ask for pooling, and without it a decoder model returns one vector per token."""
    from llama_cpp import Llama

    init = Llama.__init__

    def pooled(self: Any, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("embedding"):
            kwargs.setdefault("pooling_type", 1)  # LLAMA_POOLING_TYPE_MEAN
        init(self, *args, **kwargs)

    Llama.__init__ = pooled  # type: ignore[method-assign]


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
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LLM_THREADS", "2")))
    args = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # no spinning threads on a shared machine

    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    without_weight_repacking()
    mean_pooled_embeddings()
    register_chat_format()
    stop_generating_when_the_client_is_gone()
    path = str(model_path())
    common: dict[str, Any] = {"model": path, "n_ctx": args.ctx, "n_threads": args.threads, "verbose": False}
    models = [
        ModelSettings(model_alias="local", chat_format="gemma-system", **common),
        ModelSettings(model_alias="local-embed", embedding=True, **common),
    ]
    app = create_app(server_settings=ServerSettings(host=args.host, port=args.port), model_settings=models)
    uvicorn.run(AbortOnDisconnect(app), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
