"""Files to chunks: loaders per format (text and Markdown, PDF and Word), the loaded-document
record, Chinese-aware chunking, preparation in a worker process, and batched commits.

May import: settings, store.records, store.index. Never agents/ or api/.
"""
