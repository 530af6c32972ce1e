"""The one tokenizer (jieba words plus character bigrams, one stop-word list in data/), the BM25
index over it, and the embedders (offline hashing or OpenAI-compatible).

May import: settings and store.records only. The agents use this tokenizer; it uses nothing of theirs.
"""
