// Drives the official MCP TypeScript SDK client against a protected Gatehouse and prints what it saw as JSON.
// Usage: node sdk-discovery.mjs <mcp-url> <access-token>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  extractWWWAuthenticateParams,
  discoverOAuthProtectedResourceMetadata,
  selectResourceURL,
} from '@modelcontextprotocol/sdk/client/auth.js';

const url = new URL(process.argv[2]);
const token = process.argv[3];
const out = {};

// 1. The SDK client without a token is refused.
try {
  await new Client({ name: 'gatehouse-sdk-test', version: '1.0.0' }).connect(new StreamableHTTPClientTransport(url));
  out.unauthenticatedConnect = 'connected';
} catch (e) {
  out.unauthenticatedConnect = String(e?.message ?? e);
}

// 2. Discovery from the 401's WWW-Authenticate header, the way the SDK's auth() does it.
const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
});
const challenge = extractWWWAuthenticateParams(res);
out.status = res.status;
out.challenge = { resourceMetadataUrl: challenge.resourceMetadataUrl?.href, scope: challenge.scope, error: challenge.error ?? null };
out.fromHeader = await discoverOAuthProtectedResourceMetadata(url, { resourceMetadataUrl: challenge.resourceMetadataUrl });

// 3. Discovery from the well-known URL alone (path-inserted, then root).
out.fromWellKnown = await discoverOAuthProtectedResourceMetadata(url);
out.resource = (await selectResourceURL(url, {}, out.fromWellKnown))?.href;

// 4. With a token, the SDK client connects, lists and calls.
const client = new Client({ name: 'gatehouse-sdk-test', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
out.tools = (await client.listTools()).tools.map((t) => t.name);
out.echo = (await client.callTool({ name: 'echo', arguments: { message: 'Hello SDK', repeat_count: 2 } })).content[0].text;
await client.close();

console.log(JSON.stringify(out));
