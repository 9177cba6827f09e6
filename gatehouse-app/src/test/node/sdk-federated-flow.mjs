// The official TypeScript SDK client against Gatehouse with federated login (issue 18): it registers at Gatehouse
// (DCR), the user signs in on the upstream provider's (Keycloak's) login page and consents at Gatehouse, all driven
// headlessly by federated-browser.mjs, then the client lists and calls tools.
// Usage: node sdk-federated-flow.mjs <mcp-url> <username> <password>; prints a JSON summary (no token itself).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectWithLogin, headlessLogin } from './sdk-login.mjs';
import { federatedLoginAndConsent } from './federated-browser.mjs';

const [url, username, password] = process.argv.slice(2);
const seen = { pages: [] };
const login = headlessLogin({
  clientName: 'Gatehouse SDK federated test', username, password, seen,
  login: (authorizationUrl, user, pass) => federatedLoginAndConsent(authorizationUrl, user, pass,
    { redirectPrefix: 'http://127.0.0.1:53682/callback', pages: seen.pages }),
});
const connection = await connectWithLogin(url, login, { newClient: () => new Client({ name: 'gatehouse-sdk-federated', version: '1.0.0' }) });
const tokens = login.tokens();
seen.clientId = login.clientInformation()?.client_id;
seen.grantedScope = tokens?.scope;
seen.hasRefreshToken = Boolean(tokens?.refresh_token);
// the access token's claims (not the token)
seen.claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString());
seen.tools = (await connection.client.listTools()).tools.map((t) => t.name);
seen.echo = (await connection.client.callTool({ name: 'echo', arguments: { message: 'Hello federated', repeat_count: 2 } })).content[0].text;
seen.whoami = (await connection.client.callTool({ name: 'whoami', arguments: {} })).structuredContent;
await connection.client.close();
console.log(JSON.stringify(seen));
