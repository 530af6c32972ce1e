"""The server's own SQLite-backed stores: the audit log and thread ownership.

Each one subclasses `api.stores.sqlite.SQLiteStore` (one connection setup for all) and lives in
its own module; a new store is a schema plus its queries. Imports settings-free standard
library and pydantic only: nothing from agents/, store/ or the rest of api/.
"""
