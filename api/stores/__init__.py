"""The server's own small stores: the thread registry, the audit log and feedback.

Each store is a `api.stores.base.SQLStore` subclass (a schema per backend plus its queries) in
its own module, on SQLite files under the data directory or on one shared PostgreSQL database
(`ADVISOR_DATABASE_URL`). Imports the standard library, pydantic, psycopg and agents.state only:
nothing from store/ or the rest of api/.
"""
