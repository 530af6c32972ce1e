"""The advisor's HTTP API: routers, dependencies and the small stores the server keeps.

`server.py` only assembles these pieces; each module here owns one concern.
"""
