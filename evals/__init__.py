"""Evaluation and benchmarks: golden sets, the eval runner, metrics, report and gate, the
retrieval comparison, the performance suite, and the scripted OpenAI-compatible server
(`scripted_llm`) that the benchmarks and the tests both use.

May import: agents/, store/, graph, ingest and settings (the API benchmark runs `server:app` in a
subprocess). Never tests/: the tests import from here, not the other way round.
"""
