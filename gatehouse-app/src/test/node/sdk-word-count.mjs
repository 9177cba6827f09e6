// The official TypeScript SDK client against the examples/word-count server with its embedded authorization
// server: the whole MCP authorization flow (401 -> metadata -> registration -> PKCE login and consent, driven
// headlessly -> token), then tools/list, prompts/list and both tools.
// Usage: node sdk-word-count.mjs <mcp-url> <username> <password>; prints a JSON summary as its last line.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { headlessLogin, connectWithLogin } from './sdk-login.mjs';

const [url, username, password] = process.argv.slice(2);
const seen = { requests: [] };
const loggingFetch = async (input, init) => {
  const res = await fetch(input, init);
  seen.requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} -> ${res.status}`);
  return res;
};

const login = headlessLogin({ clientName: 'word-count example test', username, password });
const { client } = await connectWithLogin(url, login, {
  newClient: () => new Client({ name: 'word-count-test', version: '1.0.0' }),
  fetch: loggingFetch,
});
const tokens = login.tokens();
seen.serverInfo = client.getServerVersion();
seen.grantedScope = tokens?.scope;
seen.tools = (await client.listTools()).tools.map((t) => t.name);
seen.prompts = (await client.listPrompts()).prompts.map((p) => p.name);
seen.wordCount = (await client.callTool({ name: 'word_count', arguments: { text: 'the quick brown fox' } })).content[0].text;
seen.longestWord = (await client.callTool({ name: 'longest_word', arguments: { text: 'the quick brown fox' } })).content[0].text;
await client.close();
console.log(JSON.stringify(seen));
