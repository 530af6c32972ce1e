"""The advisor as an MCP server (Model Context Protocol), for agent tools such as Claude Desktop or
Cursor: streamable HTTP at `/mcp` in the same app, behind the same bearer keys and ACL as REST.

`endpoint.py` authenticates each HTTP request and hands it to the official SDK's session
manager; `server.py` builds the SDK's low-level server (its handlers see the caller per request,
which per-caller resource lists need); `tools.py` and `resources.py` answer through the same
planning, search and ACL code as the REST routes.

May import: the `mcp` SDK, agents/, store/, settings and the rest of api/. Never routes/,
evals/, tests/ or server.py.
"""

from api.mcp.endpoint import McpEndpoint

__all__ = ["McpEndpoint"]
