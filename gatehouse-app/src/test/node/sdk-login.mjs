// The official TypeScript SDK client (v1) logging in to an MCP server through its authorization server, headlessly:
// an OAuthClientProvider that registers dynamically as a native public client and drives the login and consent
// pages with browser-login.mjs, and the connect -> 401 -> finishAuth(code) -> connect dance around it.
// Shared by sdk-oauth-flow.mjs, sdk-word-count.mjs and gateway-journey.mjs.
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { loginAndConsent } from './browser-login.mjs';

/**
 * A provider that logs in as `username`. `seen` (optional) gets the authorization request's parameters
 * (`authorizationParams`) and the `iss` of the authorization response. `login` (optional) drives the pages from the
 * authorization URL to the callback (default: loginAndConsent).
 */
export function headlessLogin({ clientName, username, password, seen = {}, login = loginAndConsent }) {
  let clientInfo, tokens, verifier, authorizationCode;
  const provider = {
    get redirectUrl() { return 'http://127.0.0.1:53682/callback'; },
    get clientMetadata() {
      return { client_name: clientName, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
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
      const callback = new URL(await login(authorizationUrl.href, username, password));
      if (callback.searchParams.get('state') !== authorizationUrl.searchParams.get('state')) throw new Error('state mismatch');
      seen.iss = callback.searchParams.get('iss');
      authorizationCode = callback.searchParams.get('code');
    },
  };
  return {
    provider,
    clientInformation: () => clientInfo,
    tokens: () => tokens,
    authorizationCode: () => authorizationCode,
  };
}

/**
 * Connects a new client (from `newClient()`) to `url`, logging in with `login` (from headlessLogin) when the server
 * answers 401. Returns the connected client and its transport.
 */
export async function connectWithLogin(url, login, { newClient, fetch }) {
  const open = async () => {
    const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: login.provider, fetch });
    const client = newClient();
    await client.connect(transport);
    return { client, transport };
  };
  try {
    return await open();
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
    const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: login.provider, fetch });
    await transport.finishAuth(login.authorizationCode());
    return await open();
  }
}
