// The official TypeScript SDK client against the examples/word-count server with its embedded authorization
// server: the whole MCP authorization flow (401 -> metadata -> registration -> PKCE login and consent, driven
// headlessly -> token), then tools/list, prompts/list and both tools.
// Usage: node sdk-word-count.mjs <mcp-url> <username> <password>; prints a JSON summary as its last line.
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
  get redirectUrl() { return 'http://127.0.0.1:53683/callback'; },
  get clientMetadata() {
    return { client_name: 'word-count example test', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
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
    const callback = new URL(await loginAndConsent(authorizationUrl.href, username, password));
    if (callback.searchParams.get('state') !== authorizationUrl.searchParams.get('state')) throw new Error('state mismatch');
    authorizationCode = callback.searchParams.get('code');
  },
};

const connect = async () => {
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });
  const client = new Client({ name: 'word-count-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
};

let client;
try {
  client = await connect();
} catch (e) {
  if (!(e instanceof UnauthorizedError)) throw e;
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });
  await transport.finishAuth(authorizationCode);
  client = await connect();
}
seen.serverInfo = client.getServerVersion();
seen.grantedScope = tokens?.scope;
seen.tools = (await client.listTools()).tools.map((t) => t.name);
seen.prompts = (await client.listPrompts()).prompts.map((p) => p.name);
seen.wordCount = (await client.callTool({ name: 'word_count', arguments: { text: 'the quick brown fox' } })).content[0].text;
seen.longestWord = (await client.callTool({ name: 'longest_word', arguments: { text: 'the quick brown fox' } })).content[0].text;
await client.close();
console.log(JSON.stringify(seen));
