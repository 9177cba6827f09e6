// Gatehouse's login and consent pages in a real browser: Debian's Chromium driven by playwright-core.
//
//   node browser-flow.mjs <mcp url> <username> <password> <screenshot dir> [chromium executable]
//
// Plays a native MCP client: registers itself, runs a real loopback HTTP listener as its redirect URI
// (http://127.0.0.1:<free port>/callback), opens the authorization URL (PKCE S256) in Chromium, signs in,
// checks that a page of another origin cannot frame the consent page, approves, waits for the browser to land
// on the listener with code, state and iss, and exchanges the code for a token. Saves a screenshot of each page
// and prints a JSON summary as the last line of output (the code and the token themselves are left out).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [mcpUrl, username, password, shotDir, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!shotDir) {
  console.error('usage: node browser-flow.mjs <mcp url> <username> <password> <screenshot dir> [chromium]');
  process.exit(2);
}
const issuer = new URL(mcpUrl).origin;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const log = (...a) => console.error('browser-flow:', ...a);
mkdirSync(shotDir, { recursive: true });

// The client's redirect URI: a real listener, as a native app would run (page.route cannot see the 302).
// It also serves a page that tries to frame Gatehouse's consent page, and a harmless page it may frame.
let resolveCallback;
const callbackReceived = new Promise((resolve) => { resolveCallback = resolve; });
let framedUrl = 'about:blank';
const escapeAttr = (s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
const listener = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const html = (status, body) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${body.title}</title></head>`
      + `<body style="font-family:system-ui,sans-serif;margin:2rem">${body.html}</body></html>`);
  };
  if (url.pathname === '/callback') {
    resolveCallback(Object.fromEntries(url.searchParams));
    html(200, { title: 'Test client', html: '<h1>Test client</h1><p id="done">Authorization received; you can close this window.</p>' });
  } else if (url.pathname === '/frame') {
    html(200, { title: 'Framing attempt', html: '<h1>Another site framing the consent page</h1>'
      + `<iframe name="target" id="target" src="${escapeAttr(framedUrl)}" width="700" height="260" style="border:2px solid red"></iframe>`
      + '<p>Control, a page that allows framing:</p>'
      + '<iframe name="control" id="control" src="/frameable" width="700" height="80" style="border:2px solid green"></iframe>' });
  } else if (url.pathname === '/frameable') {
    html(200, { title: 'Frameable', html: '<p id="frameable">This page can be framed.</p>' });
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
const port = listener.address().port;
const redirectUri = `http://127.0.0.1:${port}/callback`;

let browser;
try {
  const registration = await fetch(`${issuer}/oauth/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Browser test', redirect_uris: [redirectUri], grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none', application_type: 'native' }),
  });
  if (registration.status !== 201) throw new Error(`registration answered ${registration.status}: ${await registration.text()}`);
  const clientId = (await registration.json()).client_id;

  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const authorizationUrl = (state) => `${issuer}/oauth/authorize?` + new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state, code_challenge: challenge,
    code_challenge_method: 'S256', scope: 'mcp:read mcp:tools', resource: mcpUrl,
  });
  const state = b64url(randomBytes(16));

  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  const shots = [];
  const shoot = async (p, name) => {
    const path = join(shotDir, name);
    await p.screenshot({ path, fullPage: true });
    shots.push(path);
  };

  // 1. The login page.
  await page.goto(authorizationUrl(state));
  await page.waitForSelector('#login-form');
  const login = { title: await page.title(), path: new URL(page.url()).pathname, text: await page.innerText('body') };
  await shoot(page, 'login.png');
  log('login page:', login.title);

  await page.fill('#username', username);
  await page.fill('#password', password);
  const [loginResponse] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${issuer}/oauth/login` && r.request().method() === 'POST'),
    page.click('#login')]);
  await page.waitForLoadState('load');
  if (await page.$('#consent-form') === null) {
    await shoot(page, 'after-login.png');
    throw new Error(`expected the consent page after signing in, got ${loginResponse.status()} ${page.url()}: ${await page.innerText('body')}`);
  }

  // 2. The consent page.
  const consent = {
    title: await page.title(),
    path: new URL(page.url()).pathname,
    text: await page.innerText('body'),
    scopes: await page.$$eval('#scopes li', (items) => items.map((li) => li.textContent.trim())),
    redirectHost: (await page.textContent('#redirect-host')).trim(),
  };
  await shoot(page, 'consent.png');
  log('consent page:', consent.title, consent.scopes, consent.redirectHost);

  // 3. Clickjacking: a page of another origin (the listener, as http://localhost:<port>: same site, so the
  // session cookie goes along and Gatehouse answers with the consent page) frames the authorization URL.
  framedUrl = authorizationUrl('framing-' + b64url(randomBytes(8)));
  const direct = await context.request.get(framedUrl, { maxRedirects: 0 });
  const servedDirectly = (await direct.text()).includes('id="consent-form"');
  const framer = await context.newPage();
  const refusals = [];
  framer.on('console', (m) => { if (/frame-ancestors|X-Frame-Options/i.test(m.text())) refusals.push(m.text().trim()); });
  let framedResponse;
  framer.on('response', async (r) => {
    if (r.url() === framedUrl) {
      framedResponse = { status: r.status(), headers: await r.allHeaders(), requestHeaders: await r.request().allHeaders() };
    }
  });
  await framer.goto(`http://localhost:${port}/frame`, { waitUntil: 'load' });
  const controlFrame = framer.frame({ name: 'control' });
  await controlFrame.waitForSelector('#frameable');
  const deadline = Date.now() + 5_000;
  while ((!framedResponse || refusals.length === 0) && Date.now() < deadline) await framer.waitForTimeout(100);
  const targetFrame = framer.frame({ name: 'target' });
  const inFrame = async (selector) => {
    try { return (await targetFrame.$(selector)) !== null; } catch { return false; }
  };
  const framing = {
    framerOrigin: new URL(framer.url()).origin,
    framedUrlServesConsentPageToThisBrowser: servedDirectly,
    response: framedResponse && {
      status: framedResponse.status,
      sentSessionCookie: /(^|;\s*)gatehouse_session=/.test(framedResponse.requestHeaders.cookie ?? ''),
      xFrameOptions: framedResponse.headers['x-frame-options'] ?? null,
      contentSecurityPolicy: framedResponse.headers['content-security-policy'] ?? null,
    },
    frameUrl: targetFrame.url(),
    frameShowsConsentForm: await inFrame('#consent-form'),
    frameShowsApproveButton: await inFrame('#approve'),
    frameShowsLoginForm: await inFrame('#login-form'),
    controlFrameText: (await controlFrame.textContent('#frameable')).trim(),
    refusals,
  };
  await shoot(framer, 'framing.png');
  await framer.close();
  log('framing:', JSON.stringify(framing));

  // 4. Approve: the browser is sent to the client's loopback listener.
  await page.click('#approve');
  const params = await Promise.race([callbackReceived,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no callback within 30 s')), 30_000).unref())]);
  await page.waitForSelector('#done');
  const landing = { title: await page.title(), url: page.url().replace(/code=[^&]*/, 'code=<code>') };
  await shoot(page, 'callback.png');
  if (params.error) throw new Error(`authorization failed: ${JSON.stringify(params)}`);
  if (params.state !== state) throw new Error(`state mismatch: sent ${state}, got ${params.state}`);
  if (params.iss !== issuer) throw new Error(`iss mismatch: expected ${issuer}, got ${params.iss}`);
  if (!params.code) throw new Error('no code in the callback');

  // 5. The code buys a token.
  const tokenResponse = await fetch(`${issuer}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.code, redirect_uri: redirectUri,
      client_id: clientId, code_verifier: verifier, resource: mcpUrl }),
  });
  const token = await tokenResponse.json();
  if (tokenResponse.status !== 200) throw new Error(`token endpoint answered ${tokenResponse.status}: ${JSON.stringify(token)}`);

  const { code, ...callbackWithoutCode } = params;
  console.log(JSON.stringify({
    issuer, clientId, redirectUri, browserVersion: browser.version(),
    login: { title: login.title, path: login.path, text: login.text },
    consent,
    framing,
    landing,
    callback: { ...callbackWithoutCode, hasCode: typeof code === 'string' && code.length > 0, stateMatches: params.state === state },
    token: { status: tokenResponse.status, tokenType: token.token_type, scope: token.scope, expiresIn: token.expires_in,
      hasAccessToken: typeof token.access_token === 'string' && token.access_token.length > 0 },
    screenshots: shots,
  }));
} finally {
  await browser?.close();
  listener.close();
  listener.closeAllConnections?.();
}
