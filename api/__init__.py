"""The advisor's HTTP API: routers, dependencies, auth, ACL, limits and the server's own stores.

`server.py` only assembles these pieces; each module here owns one concern. `routes/` holds
one router per resource; `stores/` the SQLite-backed audit log and thread registry.

May import: agents/, store/, settings and ingest. Never evals/, tests/ or server.py.
"""
