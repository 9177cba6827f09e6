// The official TypeScript SDK client runs the whole embedded authorization flow through a load balancer in front of
// several Gatehouse nodes (issue 14): 401 -> metadata -> registration -> authorize -> login -> consent -> token ->
// tools/call, each HTTP request free to land on any node. Prints a JSON summary with the tokens, which the test then
// uses directly against each node.
// Usage: node sdk-cluster-flow.mjs <mcp-url> <username> <password>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectWithLogin, headlessLogin } from './sdk-login.mjs';

const [url, username, password] = process.argv.slice(2);
const seen = { requests: [] };
const loggingFetch = async (input, init) => {
  const res = await fetch(input, init);
  seen.requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} -> ${res.status}`);
  return res;
};

const login = headlessLogin({ clientName: 'Gatehouse cluster test', username, password, seen });
const connection = await connectWithLogin(url, login, {
  newClient: () => new Client({ name: 'gatehouse-cluster-flow', version: '1.0.0' }), fetch: loggingFetch });
const tokens = login.tokens();
seen.clientId = login.clientInformation()?.client_id;
seen.accessToken = tokens?.access_token;
seen.refreshToken = tokens?.refresh_token;
seen.echoes = [];
for (let i = 0; i < 4; i++) {
  seen.echoes.push((await connection.client.callTool({ name: 'echo', arguments: { message: `call ${i}` } })).content[0].text);
}
await connection.client.close();
console.log(JSON.stringify(seen));
