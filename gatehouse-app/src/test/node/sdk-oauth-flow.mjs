// The official TypeScript SDK client runs the whole MCP authorization flow against Gatehouse's embedded
// authorization server: 401 -> protected resource metadata -> AS metadata -> dynamic registration ->
// authorization code + PKCE (login and consent driven headlessly) -> token -> tools/call.
// Usage: node sdk-oauth-flow.mjs <mcp-url> <username> <password>; prints a JSON summary.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectWithLogin, headlessLogin } from './sdk-login.mjs';

const [url, username, password] = process.argv.slice(2);
const seen = { requests: [] };
const loggingFetch = async (input, init) => {
  const res = await fetch(input, init);
  seen.requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} -> ${res.status}`);
  return res;
};

const login = headlessLogin({ clientName: 'Gatehouse SDK test', username, password, seen });
const connection = await connectWithLogin(url, login, {
  newClient: () => new Client({ name: 'gatehouse-sdk-flow', version: '1.0.0' }), fetch: loggingFetch });
const clientInfo = login.clientInformation();
const tokens = login.tokens();
seen.clientId = clientInfo?.client_id;
seen.grantedScope = tokens?.scope;
seen.hasRefreshToken = Boolean(tokens?.refresh_token);
seen.tools = (await connection.client.listTools()).tools.map((t) => t.name);
seen.echo = (await connection.client.callTool({ name: 'echo', arguments: { message: 'Hello OAuth', repeat_count: 2 } })).content[0].text;
seen.whoami = (await connection.client.callTool({ name: 'whoami', arguments: {} })).structuredContent;
await connection.client.close();
console.log(JSON.stringify(seen));
