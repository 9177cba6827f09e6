// Gatehouse's login and consent pages in a real browser: Debian's Chromium driven by playwright-core.
//
//   node browser-flow.mjs <mcp url> <username> <password> <screenshot dir> [chromium executable] [axe-core dir]
//
// Plays a native MCP client: registers itself, runs a real loopback HTTP listener as its redirect URI
// (http://127.0.0.1:<free port>/callback), opens the authorization URL (PKCE S256) in Chromium, signs in,
// checks that a page of another origin cannot frame the consent page, approves, waits for the browser to land
// on the listener with code, state and iss, and exchanges the code for a token. Saves a screenshot of each page
// and prints a JSON summary as the last line of output (the code and the token themselves are left out).
// Then (issue 15 point 5) it opens the account page, revokes the client it approved, sees its old refresh token
// refused and the next authorization ask for consent again. On the login, consent and account pages it records
// the keyboard focus order and runs axe-core (injected from the given directory's node_modules/axe-core).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [mcpUrl, username, password, shotDir, executablePath = '/usr/bin/chromium', axeDir] = process.argv.slice(2);
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
const axeSource = axeDir ? readFileSync(join(axeDir, 'node_modules/axe-core/axe.min.js'), 'utf8') : null;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

// axe-core on the page as it is now (evaluated through the driver, so the page's CSP, which allows no scripts,
// does not stand in the way): every violation with its nodes, and the ids of the rules that applied and did not.
const accessibility = async (p) => {
  if (!axeSource) return null;
  await p.evaluate(axeSource);
  return p.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return {
      version: window.axe.version,
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')) })),
      passed: r.passes.map((x) => x.id),
      incomplete: r.incomplete.map((x) => x.id),
      inapplicable: r.inapplicable.map((x) => x.id),
    };
  }, AXE_TAGS);
};

// The elements the Tab key visits, in order, from the top of the page (at most 12 stops).
const focusOrder = async (p) => {
  // a click on the heading leaves nothing focused and starts the Tab sequence at the top of the content
  await p.click('h1');
  await p.evaluate(() => window.getSelection()?.removeAllRanges());
  const order = [];
  for (let i = 0; i < 12; i++) {
    await p.keyboard.press('Tab');
    const stop = await p.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const outline = getComputedStyle(e).outlineStyle;
      return { tag: e.tagName.toLowerCase(), id: e.id || null, name: e.getAttribute('name'),
        text: (e.textContent || '').trim().slice(0, 40), outlineVisible: outline !== 'none' };
    });
    if (!stop || order.some((o) => o.tag === stop.tag && o.id === stop.id && o.text === stop.text && o.name === stop.name)) break;
    order.push(stop);
  }
  return order;
};

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
    body: JSON.stringify({ client_name: 'Browser test', redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'],
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
  login.accessibility = await accessibility(page);
  login.focusOrder = await focusOrder(page);
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
    scopes: await page.$$eval('#scopes li', (items) => items.map((li) => ({
      scope: li.querySelector('code.scope')?.textContent.trim() ?? null,
      description: li.querySelector('.scope-description')?.textContent.trim() ?? null }))),
    redirectHost: (await page.textContent('#redirect-host')).trim(),
    clientName: (await page.textContent('#client .client-name')).trim(),
    unverified: (await page.$('#client .unverified')) && (await page.textContent('#client .unverified')).trim(),
    resourceName: (await page.textContent('#resource-name')).trim(),
    resourceUrl: (await page.textContent('#resource-url')).trim(),
  };
  await shoot(page, 'consent.png');
  consent.accessibility = await accessibility(page);
  consent.focusOrder = await focusOrder(page);
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

  // 6. The account page lists the client just approved; revoking it ends its consent and its tokens.
  await page.goto(`${issuer}/oauth/account`);
  await page.waitForSelector('h1');
  const listed = async () => page.$$eval('#clients li.client', (items) => items.map((li) => ({
    clientId: li.querySelector('.client-id')?.textContent.trim(),
    name: li.querySelector('.client-name')?.textContent.trim(),
    unverified: li.querySelector('.unverified')?.textContent.trim() ?? null,
    scopes: [...li.querySelectorAll('.scopes li')].map((s) => ({
      scope: s.querySelector('code.scope')?.textContent.trim() ?? null,
      description: s.querySelector('.scope-description')?.textContent.trim() ?? null })),
    hasRevokeButton: li.querySelector('button.revoke[type=submit]') !== null })));
  const account = { title: await page.title(), path: new URL(page.url()).pathname, clients: await listed() };
  await shoot(page, 'account.png');
  account.accessibility = await accessibility(page);
  account.focusOrder = await focusOrder(page);
  const mine = page.locator('#clients li.client', { has: page.locator('.client-id', { hasText: clientId }) });
  const [revokeResponse] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${issuer}/oauth/account/revoke` && r.request().method() === 'POST'),
    mine.locator('button.revoke').click()]);
  await page.waitForLoadState('load');
  const afterRevoke = {
    postStatus: revokeResponse.status(),
    url: page.url(),
    status: (await page.$('#revoked')) && (await page.textContent('#revoked')).trim(),
    clients: await listed(),
  };
  await shoot(page, 'account-revoked.png');
  log('account page:', JSON.stringify(account.clients), 'after revoking:', JSON.stringify(afterRevoke));

  // 7. The refresh token issued before the revocation is refused.
  const refreshResponse = await fetch(`${issuer}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token ?? '', client_id: clientId }),
  });
  const oldRefresh = { status: refreshResponse.status, error: (await refreshResponse.json()).error };

  // 8. The next authorization by that client, in the same signed-in browser, asks for consent again.
  await page.goto(authorizationUrl(b64url(randomBytes(16))));
  await page.waitForLoadState('load');
  const again = { title: await page.title(), showsConsentForm: (await page.$('#consent-form')) !== null,
    clientName: (await page.$('#client .client-name')) && (await page.textContent('#client .client-name')).trim() };
  await shoot(page, 'consent-again.png');

  const { code, ...callbackWithoutCode } = params;
  console.log(JSON.stringify({
    issuer, clientId, redirectUri, browserVersion: browser.version(),
    login,
    consent,
    framing,
    landing,
    callback: { ...callbackWithoutCode, hasCode: typeof code === 'string' && code.length > 0, stateMatches: params.state === state },
    token: { status: tokenResponse.status, tokenType: token.token_type, scope: token.scope, expiresIn: token.expires_in,
      hasAccessToken: typeof token.access_token === 'string' && token.access_token.length > 0,
      hasRefreshToken: typeof token.refresh_token === 'string' && token.refresh_token.length > 0 },
    account,
    afterRevoke,
    oldRefresh,
    again,
    screenshots: shots,
  }));
} finally {
  await browser?.close();
  listener.close();
  listener.closeAllConnections?.();
}
