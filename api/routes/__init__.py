"""One FastAPI router per resource: health, plans, threads, search, documents, audit and the
OpenAI-compatible chat completions. Routes stay thin; they reach the lifespan's services
through `api.deps`.

May import: api/, agents/, store/, settings and ingest.
"""
