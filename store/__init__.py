"""The store: files in, searchable and access-controlled passages out.

`knowledge.KnowledgeStore` (and `get_store`) is the entry point; `records` holds the records
shared with ingestion, the agents and the API; `retrieval` fuses BM25 and vector rankings and
filters by access group. Sub-packages: `documents` (files -> chunks), `index` (the tokenizer,
BM25, embedders), `chroma` (the Chroma client, manifest and chunk table).

May import: settings and its own modules. Never agents/, api/, evals/ or the top-level modules:
domain query expansion is handed in by the caller.
"""
