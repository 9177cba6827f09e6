-- wrk script for bench/echo-load.sh: every request is the MCP tools/call of the echo tool.
-- BENCH_SESSION_ID (env) is the Mcp-Session-Id from initialize (stateful runs only).
-- BENCH_ACCEPT (env) overrides the Accept header (default: what MCP clients send).
-- BENCH_TOKEN_FILE (env) names a file of bearer tokens, one a line: each request then carries
-- "Authorization: Bearer <token>", the tokens taken round-robin (one token = the same token every time).
-- BENCH_DYNAMIC=1 (env) builds requests through request() even without tokens, so every row of a run pays
-- the same client-side cost per request (one Lua call returning a pre-formatted request).
-- BENCH_ERA=2026 (env) sends the MCP 2026-07-28 shape: the per-request _meta (protocol version, client
-- capabilities and info) and the Mcp-Method / Mcp-Name headers, no session.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "application/json, text/event-stream"
if os.getenv("BENCH_ERA") == "2026" then
  wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3},'
    .. '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},'
    .. '"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}}}'
  wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "echo"
else
  wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3}}}'
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
end
local session = os.getenv("BENCH_SESSION_ID")
if session ~= nil and session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
end

local token_file = os.getenv("BENCH_TOKEN_FILE")
local has_tokens = token_file ~= nil and token_file ~= ""
if has_tokens or os.getenv("BENCH_DYNAMIC") == "1" then
  -- Requests are formatted once in init() (per wrk thread, after wrk has set the Host header); request()
  -- only picks the next one, so cycling 1,000 tokens costs the client no more than repeating one.
  local requests, count, next_index = {}, 0, 0

  local function add(token)
    local headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    if token ~= nil then
      headers["Authorization"] = "Bearer " .. token
    end
    count = count + 1
    requests[count] = wrk.format(nil, nil, headers, nil)
  end

  function init(args)
    if has_tokens then
      for line in io.lines(token_file) do
        line = line:gsub("%s+$", "")
        if line ~= "" then
          add(line)
        end
      end
      assert(count > 0, "no tokens in " .. token_file)
    else
      add(nil)
    end
  end

  function request()
    next_index = next_index % count + 1
    return requests[next_index]
  end
end

-- wrk's --latency table stops at the 99th percentile: the tail beyond it, in the same unit wrk uses (µs).
function done(summary, latency, requests)
  io.write(string.format("p99.9 latency: %dus\n", latency:percentile(99.9)))
end
