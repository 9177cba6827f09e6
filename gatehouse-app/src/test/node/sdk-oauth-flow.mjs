// The official TypeScript SDK client runs the whole MCP authorization flow against Gatehouse's embedded
// authorization server: 401 -> protected resource metadata -> AS metadata -> dynamic registration ->
// authorization code + PKCE (login and consent driven headlessly) -> token -> tools/call.
// Usage: node sdk-oauth-flow.mjs <mcp-url> <username> <password>; prints a JSON summary.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { loginAndConsent } from './browser-login.mjs';

const [url, username, password] = process.argv.slice(2);
const seen = { requests: [] };
const loggingFetch = async (input, init) => {
  const res = await fetch(input, init);
  seen.requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} -> ${res.status}`);
  return res;
};

let clientInfo, tokens, verifier, authorizationCode;
const provider = {
  get redirectUrl() { return 'http://127.0.0.1:53682/callback'; },
  get clientMetadata() {
    return { client_name: 'Gatehouse SDK test', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
             response_types: ['code'], token_endpoint_auth_method: 'none', application_type: 'native' };
  },
  state: () => 'state-' + Math.random().toString(36).slice(2),
  clientInformation: () => clientInfo,
  saveClientInformation: (info) => { clientInfo = info; },
  tokens: () => tokens,
  saveTokens: (t) => { tokens = t; },
  saveCodeVerifier: (v) => { verifier = v; },
  codeVerifier: () => verifier,
  redirectToAuthorization: async (authorizationUrl) => {
    seen.authorizationParams = Object.fromEntries(authorizationUrl.searchParams);
    const callback = new URL(await loginAndConsent(authorizationUrl.href, username, password));
    if (callback.searchParams.get('state') !== authorizationUrl.searchParams.get('state')) throw new Error('state mismatch');
    seen.iss = callback.searchParams.get('iss');
    authorizationCode = callback.searchParams.get('code');
  },
};

const connect = async () => {
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });
  const client = new Client({ name: 'gatehouse-sdk-flow', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
};

let connection;
try {
  connection = await connect();
} catch (e) {
  if (!(e instanceof UnauthorizedError)) throw e;
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });
  await transport.finishAuth(authorizationCode);
  connection = await connect();
}
seen.clientId = clientInfo?.client_id;
seen.grantedScope = tokens?.scope;
seen.hasRefreshToken = Boolean(tokens?.refresh_token);
seen.tools = (await connection.client.listTools()).tools.map((t) => t.name);
seen.echo = (await connection.client.callTool({ name: 'echo', arguments: { message: 'Hello OAuth', repeat_count: 2 } })).content[0].text;
seen.whoami = (await connection.client.callTool({ name: 'whoami', arguments: {} })).structuredContent;
await connection.client.close();
console.log(JSON.stringify(seen));
