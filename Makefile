# The advisor's entry points. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run serve ingest test lint typecheck eval bench clean

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
	$(BIN)/python -m pytest -q

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

clean:
	rm -rf $(VENV) .advisor .advisor-bench .pytest_cache .mypy_cache .ruff_cache test-artifacts bench-results
