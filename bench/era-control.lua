-- wrk script (a diagnostic, not part of echo-load.sh): the same tools/call echo in three shapes, chosen by ERA, to
-- tell what a 2026-07-28 request costs for its size from what it costs to serve as 2026-07-28:
--   ERA=2025  the plain 2025 stateless request (echo-load.sh's `off` row)
--   ERA=pad   a 2025 request padded to the 2026 one's size: the same _meta bytes under a key that is not the
--             protocol version (so it is served as 2025) and the same Mcp-Method / Mcp-Name headers
--   ERA=2026  the 2026-07-28 request (echo-load.sh's `off-2026` row)
-- Use against `gatehouse serve --auth none --session-mode stateless`; see bench/README.md.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
local era = os.getenv("ERA")
if era == "2026" then
  wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}}}'
  wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "echo"
elseif era == "pad" then
  wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3},"_meta":{"io.modelcontextprotocol/protocolRevisio":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}}}'
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "echo"
else
  wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3}}}'
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
end
