// A headless "browser" for Gatehouse's login and consent pages: follows an authorization URL, signs in,
// approves, and returns the final redirect (the client's callback URL with code, state and iss).
// Used by the SDK flow script, and as BROWSER=<this> for the MCP Inspector CLI (then it also GETs the callback).
import { pathToFileURL } from 'node:url';

export async function loginAndConsent(authorizationUrl, username, password) {
  const jar = new Map();
  const remember = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const field = (html, name) => {
    const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
    if (!m) throw new Error(`no ${name} field in page: ${html.slice(0, 300)}`);
    return m[1].replaceAll('&amp;', '&');
  };
  const origin = new URL(authorizationUrl).origin;
  let res = await fetch(authorizationUrl, { redirect: 'manual', headers: { cookie: cookie() } });
  remember(res);
  if (res.status === 302) return res.headers.get('location');
  let html = await res.text();
  if (html.includes('id="kc-form-login"')) {
    // Keycloak's login page: post the form to its action with the same cookies; the answer redirects to the client
    const action = html.match(/<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/) ?? html.match(/action="([^"]+)"[^>]*id="kc-form-login"/);
    if (!action) throw new Error('no action on the Keycloak login form');
    res = await fetch(action[1].replaceAll('&amp;', '&'), {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
      body: new URLSearchParams({ username, password, credentialId: '' }),
    });
    remember(res);
    if (res.status !== 302) throw new Error(`Keycloak login answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.headers.get('location');
  }
  if (html.includes('id="login-form"')) {
    res = await fetch(`${origin}/oauth/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie: cookie() },
      body: new URLSearchParams({ request: field(html, 'request'), username, password }),
    });
    remember(res);
    if (res.status === 302) return res.headers.get('location');
    html = await res.text();
  }
  if (!html.includes('id="consent-form"')) throw new Error(`expected the consent page, got ${res.status}: ${html.slice(0, 300)}`);
  res = await fetch(`${origin}/oauth/consent`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie: cookie() },
    body: new URLSearchParams({ request: field(html, 'request'), csrf: field(html, 'csrf'), decision: 'approve' }),
  });
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`);
  return res.headers.get('location');
}

// As a BROWSER command: node browser-login.mjs <url>; credentials from GATEHOUSE_USER / GATEHOUSE_PASSWORD.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const callback = await loginAndConsent(process.argv[2], process.env.GATEHOUSE_USER, process.env.GATEHOUSE_PASSWORD);
  const res = await fetch(callback);
  console.error(`browser: delivered the callback, ${res.status}`);
}
