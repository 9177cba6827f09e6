// Federated login in a real browser (issue 18): Debian's Chromium driven by playwright-core.
//
//   node browser-federated-flow.mjs <mcp url> <username> <password> <screenshot dir> [chromium executable]
//
// Plays a native MCP client: registers at Gatehouse, runs a loopback listener as its redirect URI, opens the
// authorization URL (PKCE S256) in Chromium, which Gatehouse sends on to the upstream provider (Keycloak). There
// the user signs in on Keycloak's own login page; Keycloak sends the browser back to Gatehouse, whose consent page
// the user approves; the browser lands on the listener with code, state and iss, and the code buys a token.
// Screenshots of both pages; prints a JSON summary as the last line (no code or token itself).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [mcpUrl, username, password, shotDir, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
const issuer = new URL(mcpUrl).origin;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const log = (...a) => console.error('browser-federated-flow:', ...a);
mkdirSync(shotDir, { recursive: true });

let resolveCallback;
const callbackReceived = new Promise((resolve) => { resolveCallback = resolve; });
const listener = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/callback') {
    resolveCallback(Object.fromEntries(url.searchParams));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><meta charset="utf-8"><title>Test client</title></head>'
      + '<body><h1>Test client</h1><p id="done">Authorization received; you can close this window.</p></body></html>');
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
const redirectUri = `http://127.0.0.1:${listener.address().port}/callback`;

let browser;
try {
  const registration = await fetch(`${issuer}/oauth/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Federated browser test', redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none', application_type: 'native' }),
  });
  if (registration.status !== 201) throw new Error(`registration answered ${registration.status}: ${await registration.text()}`);
  const clientId = (await registration.json()).client_id;
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const authorizationUrl = `${issuer}/oauth/authorize?` + new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
    scope: 'mcp:read mcp:tools', resource: mcpUrl,
  });

  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext({ viewport: { width: 800, height: 700 } })).newPage();
  const shots = [];
  const shoot = async (name) => {
    const path = join(shotDir, name);
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  };

  // 1. Gatehouse sends the browser on to Keycloak's login page.
  await page.goto(authorizationUrl);
  await page.waitForSelector('#kc-form-login', { timeout: 60_000 });
  const providerLogin = { title: await page.title(), origin: new URL(page.url()).origin, path: new URL(page.url()).pathname,
    text: await page.innerText('body') };
  await shoot('keycloak-login.png');
  log('provider login page:', providerLogin.title, providerLogin.origin);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => u.origin === issuer, { timeout: 60_000 }), page.click('#kc-login')]);
  await page.waitForLoadState('load');

  // 2. Back at Gatehouse: its consent page.
  if (await page.$('#consent-form') === null) {
    await shoot('after-provider-login.png');
    throw new Error(`expected Gatehouse's consent page, got ${page.url()}: ${(await page.innerText('body')).slice(0, 400)}`);
  }
  const consent = { title: await page.title(), origin: new URL(page.url()).origin, path: new URL(page.url()).pathname,
    text: await page.innerText('body'),
    scopes: await page.$$eval('#scopes li code.scope', (items) => items.map((c) => c.textContent.trim())) };
  await shoot('consent.png');
  log('consent page:', consent.title, consent.scopes);

  // 3. Approve: the browser lands on the client's listener.
  await page.click('#approve');
  const params = await Promise.race([callbackReceived,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no callback within 30 s')), 30_000).unref())]);
  if (params.error) throw new Error(`authorization failed: ${JSON.stringify(params)}`);
  if (params.state !== state) throw new Error(`state mismatch: sent ${state}, got ${params.state}`);
  if (params.iss !== issuer) throw new Error(`iss mismatch: expected ${issuer}, got ${params.iss}`);

  // 4. The code buys a token.
  const tokenResponse = await fetch(`${issuer}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.code, redirect_uri: redirectUri,
      client_id: clientId, code_verifier: verifier, resource: mcpUrl }),
  });
  const token = await tokenResponse.json();
  if (tokenResponse.status !== 200) throw new Error(`token endpoint answered ${tokenResponse.status}: ${JSON.stringify(token)}`);
  const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url').toString());
  console.log(JSON.stringify({ clientId, providerLogin, consent, claims, scope: token.scope, shots }));
} finally {
  await browser?.close();
  listener.close();
}
