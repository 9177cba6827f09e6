// A tiny stdio MCP server for the gateway's tests: answers initialize and a few tools/call names.
//   env   -> the process environment as JSON text
//   hang  -> never answers
//   big   -> a result line of about 64 KiB
//   slow  -> answers after 5 s (a test kills the child meanwhile, or cancels the call)
//   steady -> 6 progress notifications 300 ms apart, then the answer
//   cancellations -> the request ids of the notifications/cancelled received so far
//   ask-then-cancel -> asks the client for sampling, cancels that request, then answers the call
//   deaf  -> never answers, and stops reading stdin (a child stuck in a long synchronous computation)
import { createInterface } from "node:readline";
const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
process.stderr.write("tiny upstream started\n");
const cancelled = [];
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const m = JSON.parse(line);
  if (m.method === "notifications/cancelled") {
    cancelled.push(m.params.requestId);
  }
  if (m.method === "initialize") {
    send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-11-25", capabilities: { tools: {} },
      serverInfo: { name: "tiny", version: "1" } } });
  } else if (m.method === "tools/call") {
    const name = m.params.name;
    if (name === "env") {
      send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: JSON.stringify(process.env) }],
        cwd: process.cwd() } });
    } else if (name === "big") {
      send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: "x".repeat(65536) }] } });
    } else if (name === "cancellations") {
      send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: JSON.stringify(cancelled) }] } });
    } else if (name === "ask-then-cancel") {
      send({ jsonrpc: "2.0", id: "ask-1", method: "sampling/createMessage", params: { messages: [], maxTokens: 1 } });
      setTimeout(() => {
        send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "ask-1", reason: "changed my mind" } });
        send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: "asked and cancelled" }] } });
      }, 200);
    } else if (name === "steady") {
      let step = 0;
      const timer = setInterval(() => {
        step++;
        send({ jsonrpc: "2.0", method: "notifications/progress",
          params: { progressToken: m.params._meta.progressToken, progress: step, total: 6 } });
        if (step === 6) {
          clearInterval(timer);
          send({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: "steady done" }] } });
        }
      }, 300);
    } else if (name === "deaf") {
      lines.pause();
      process.stdin.pause();
      setTimeout(() => process.exit(0), 15000); // alive meanwhile (a paused stdin is not), and never left behind
    } else if (name === "slow") {
      setTimeout(() => send({ jsonrpc: "2.0", id: m.id, result: { content: [] } }), 5000);
    }
  }
});
