// A small stdio MCP server whose tools/list is paginated (two tools a page, opaque cursors it checks), to walk
// Gatehouse's merged cursor across several upstreams: page_tool_1 … page_tool_5; a cursor it did not hand out is
// -32602, as the MCP spec asks. No dependencies.
import { createInterface } from "node:readline";

const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
const tools = [1, 2, 3, 4, 5].map((n) => ({ name: `page_tool_${n}`, description: `Paged tool ${n}`,
  inputSchema: { type: "object", properties: {} } }));
const PAGE = 2;

createInterface({ input: process.stdin }).on("line", (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined || m.method === undefined) {
    return;
  }
  const params = m.params ?? {};
  if (m.method === "initialize") {
    send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} },
      serverInfo: { name: "paging", version: "1" } } });
  } else if (m.method === "tools/list") {
    let start = 0;
    if (params.cursor !== undefined) {
      const match = /^after-(\d+)$/.exec(String(params.cursor));
      if (!match || Number(match[1]) >= tools.length) {
        send({ jsonrpc: "2.0", id: m.id, error: { code: -32602, message: "Invalid cursor" } });
        return;
      }
      start = Number(match[1]);
    }
    const result = { tools: tools.slice(start, start + PAGE) };
    if (start + PAGE < tools.length) {
      result.nextCursor = `after-${start + PAGE}`;
    }
    send({ jsonrpc: "2.0", id: m.id, result });
  } else if (m.method === "tools/call" && tools.some((t) => t.name === params.name)) {
    send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: `paging answered ${params.name}` }] } });
  } else if (m.method === "tools/call") {
    send({ jsonrpc: "2.0", id: m.id, error: { code: -32602, message: `Unknown tool: ${params.name}` } });
  } else if (m.method === "ping") {
    send({ jsonrpc: "2.0", id: m.id, result: {} });
  } else {
    send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found" } });
  }
});
