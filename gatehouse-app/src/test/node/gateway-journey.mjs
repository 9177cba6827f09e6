// The official TypeScript SDK client (v1) through Gatehouse as a gateway to @modelcontextprotocol/server-everything:
// lists and calls tools, gets a prompt, reads a resource, follows the progress of the long-running tool, answers the
// upstream's sampling and elicitation requests with canned results, then ends its session (DELETE), reading the
// management /health before and after; in between it prints PAUSED and waits for a line on stdin (the test looks at
// the upstream's stdio child meanwhile). It notes which stream carried each message Gatehouse sent. Authenticated
// either by the whole OAuth flow against the embedded authorization server, or by a bearer token (from the
// environment variable MCP_BEARER_TOKEN, never the command line).
// Usage: node gateway-journey.mjs <mcp-url> <health-url> oauth <username> <password>
//        node gateway-journey.mjs <mcp-url> <health-url> bearer
// Prints a JSON summary of what it saw.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectWithLogin, headlessLogin } from './sdk-login.mjs';

const [url, healthUrl, auth, username, password] = process.argv.slice(2);
const seen = { requests: [], streamed: [], samplingRequests: [], elicitationRequests: [], progress: [] };
const rpcLabel = (body) => {
  try {
    const message = typeof body === 'string' ? JSON.parse(body) : {};
    return message.method ? ` ${message.method}${message.method === 'tools/call' ? ' ' + message.params.name : ''}` : '';
  } catch { return ''; }
};
// Notes which stream carried each request and notification Gatehouse sent: "<the HTTP request> <- <method>"
const watch = async (label, body) => {
  let buffer = '';
  try {
    for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        if (line.startsWith('data:') && line.length > 5) {
          const message = JSON.parse(line.slice(5));
          if (message.method) seen.streamed.push(`${label} <- ${message.method}`);
        }
      }
    }
  } catch {
    // the client closed the stream
  }
};
const loggingFetch = async (input, init) => {
  const res = await fetch(input, init);
  const label = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}${rpcLabel(init?.body)}`;
  seen.requests.push(`${label} -> ${res.status}`);
  if (res.body && (res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const [watched, passed] = res.body.tee();
    watch(label, watched);
    return new Response(passed, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  return res;
};

const newClient = () => {
  const client = new Client({ name: 'gatehouse-gateway-journey', version: '1.0.0' },
                            { capabilities: { sampling: {}, elicitation: { form: {} } } });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    seen.samplingRequests.push(request.params);
    return { role: 'assistant', model: 'gatehouse-canned-model', stopReason: 'endTurn',
             content: { type: 'text', text: 'The canned answer is forty-two.' } };
  });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    seen.elicitationRequests.push({ message: request.params.message, required: request.params.requestedSchema?.required });
    return { action: 'accept', content: { name: 'Journey Tester', check: true, email: 'journey@example.com', integer: 7 } };
  });
  return client;
};

let connection;
if (auth === 'oauth') {
  const login = headlessLogin({ clientName: 'Gatehouse gateway journey', username, password, seen });
  connection = await connectWithLogin(url, login, { newClient, fetch: loggingFetch });
  seen.grantedScope = login.tokens()?.scope;
} else if (auth === 'bearer') {
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: loggingFetch,
    requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_BEARER_TOKEN}` } } });
  const client = newClient();
  await client.connect(transport);
  connection = { client, transport };
} else {
  throw new Error(`auth must be oauth or bearer, got ${auth}`);
}
const { client, transport } = connection;

const health = async () => (await (await fetch(healthUrl)).json()).upstreams.map((u) => ({ state: u.state, openSessions: u.openSessions }));
const texts = (result) => result.content.filter((c) => c.type === 'text').map((c) => c.text);
const all = async (list, member) => {
  const items = [];
  let cursor;
  do {
    const page = await list(cursor ? { cursor } : {});
    items.push(...page[member]);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

seen.serverInfo = client.getServerVersion();
seen.instructions = client.getInstructions();
seen.capabilities = client.getServerCapabilities();
seen.tools = (await all((p) => client.listTools(p), 'tools')).map((t) => t.name);
seen.echo = texts(await client.callTool({ name: 'echo', arguments: { message: 'through Gatehouse' } }));
seen.prompts = (await all((p) => client.listPrompts(p), 'prompts')).map((p) => p.name);
seen.prompt = (await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Lyon', state: 'Rhône' } })).messages;
const resources = await all((p) => client.listResources(p), 'resources');
seen.resources = resources.map((r) => r.uri);
seen.resource = (await client.readResource({ uri: 'demo://resource/static/document/features.md' })).contents;
seen.longRunning = texts(await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 } },
  undefined, { onprogress: (p) => seen.progress.push(p) }));
seen.sampling = texts(await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'What is the answer?', maxTokens: 20 } }));
seen.elicitation = texts(await client.callTool({ name: 'trigger-elicitation-request', arguments: {} }));

seen.healthDuring = await health();
// the test notes the upstream's stdio child now, then answers on stdin
console.log('PAUSED');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
await transport.terminateSession();
seen.healthAfterDelete = await health();
await client.close();
console.log(JSON.stringify(seen));
