"""Chroma: the client (embedded or server), the per-document manifest that makes writes atomic,
and the chunk-text side table.

May import: settings, store.records, store.documents. Never agents/ or api/.
"""
