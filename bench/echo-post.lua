-- wrk script for bench/echo-load.sh: every request is the MCP tools/call of the echo tool.
-- BENCH_SESSION_ID (env) is the Mcp-Session-Id from initialize; the ceiling run gets the same headers.
-- BENCH_ACCEPT (env) overrides the Accept header (default: what MCP clients send).
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
local session = os.getenv("BENCH_SESSION_ID")
if session ~= nil and session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
end
