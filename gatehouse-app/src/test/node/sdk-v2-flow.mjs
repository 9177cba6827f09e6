// The official TypeScript SDK v2 client (@modelcontextprotocol/client) against Gatehouse: version negotiation
// (`auto` probes with server/discover, `pin` demands 2026-07-28, `legacy` is the 2025 handshake), the whole OAuth
// flow against the embedded authorization server (401 -> metadata -> registration -> code + PKCE, login and
// consent driven headlessly -> token), then tools/list and a tool that asks the user for input: on 2026-07-28 the
// server answers input_required (MRTR) and the SDK fulfils it through the elicitation handler and retries; on
// 2025-11-25 the same handler answers an elicitation/create request on the response stream.
// Usage: node sdk-v2-flow.mjs <mcp-url> <username> <password> <auto|pin|legacy>; prints a JSON summary.
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { loginAndConsent } from './browser-login.mjs';

const [url, username, password, mode] = process.argv.slice(2);
const negotiation = { auto: { mode: 'auto' }, pin: { mode: { pin: '2026-07-28' } }, legacy: { mode: 'legacy' } }[mode];
if (!negotiation) throw new Error(`mode must be auto, pin or legacy, got ${mode}`);

const seen = { requests: [], elicitations: [] };
const rpcMethod = (body) => {
  try { return typeof body === 'string' ? (JSON.parse(body).method ?? '') : ''; } catch { return ''; }
};
const loggingFetch = async (input, init) => {
  const res = await fetch(input, init);
  const method = rpcMethod(init?.body);
  seen.requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}${method ? ' ' + method : ''} -> ${res.status}`);
  return res;
};

let clientInfo, tokens, verifier, discovery, callback;
const provider = {
  get redirectUrl() { return 'http://127.0.0.1:53682/callback'; },
  get clientMetadata() {
    return { client_name: 'Gatehouse SDK v2 test', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
             response_types: ['code'], token_endpoint_auth_method: 'none', application_type: 'native' };
  },
  state: () => 'state-' + Math.random().toString(36).slice(2),
  clientInformation: () => clientInfo,
  saveClientInformation: (info) => { clientInfo = info; },
  tokens: () => tokens,
  saveTokens: (t) => { tokens = t; },
  saveCodeVerifier: (v) => { verifier = v; },
  codeVerifier: () => verifier,
  saveDiscoveryState: (state) => { discovery = state; },
  discoveryState: () => discovery,
  redirectToAuthorization: async (authorizationUrl) => {
    callback = new URL(await loginAndConsent(authorizationUrl.href, username, password));
    if (callback.searchParams.get('state') !== authorizationUrl.searchParams.get('state')) throw new Error('state mismatch');
  },
};

const newClient = () => {
  const client = new Client({ name: 'gatehouse-sdk-v2', version: '1.0.0' },
                            { capabilities: { elicitation: { form: {} } }, versionNegotiation: negotiation });
  client.setRequestHandler('elicitation/create', async (request) => {
    seen.elicitations.push(request.params.message);
    return { action: 'accept', content: { username: username, email: `${username}@example.com` } };
  });
  return client;
};
const connect = async () => {
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });
  const client = newClient();
  await client.connect(transport);
  return client;
};

let client;
try {
  client = await connect();
} catch (e) {
  if (!(e instanceof UnauthorizedError)) throw e;
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });
  await transport.finishAuth(callback.searchParams);
  client = await connect();
}
seen.protocolVersion = client.getNegotiatedProtocolVersion();
seen.era = client.getProtocolEra();
seen.serverName = client.getServerVersion()?.name;
seen.grantedScope = tokens?.scope;
seen.tools = (await client.listTools()).tools.map((t) => t.name);
const elicited = await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who are you?' } });
seen.elicitationResult = elicited.content?.[0]?.text;
await client.close();
console.log(JSON.stringify(seen));
