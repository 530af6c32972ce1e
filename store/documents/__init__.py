"""Files to chunks: loaders per format (`loaders/`: text, PDF with OCR, images, Office, HTML), Chinese-aware
chunking, preparation in a worker process, batched commits, and the ingest and listing reports.

May import: settings, store.records, store.index. Never agents/ or api/.
"""
