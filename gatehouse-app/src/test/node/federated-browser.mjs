// A headless "browser" for federated login: follows an authorization URL at Gatehouse through the redirect to the
// upstream provider (Keycloak), signs in on the provider's login form, follows the provider's redirect back to
// Gatehouse's callback, approves Gatehouse's consent page and returns the client's callback URL (code, state, iss).
// Cookies are kept per origin, as a browser keeps them per site. `pages` (optional) gets each page it filled in.
export async function federatedLoginAndConsent(authorizationUrl, username, password, { redirectPrefix, pages = [] } = {}) {
  const jars = new Map();
  const jar = (url) => {
    const origin = new URL(url).origin;
    if (!jars.has(origin)) jars.set(origin, new Map());
    return jars.get(origin);
  };
  const remember = (url, res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1);
      if (value === '' || /max-age=0(;|$)/i.test(c)) jar(url).delete(name); else jar(url).set(name, value);
    }
  };
  const request = async (url, init = {}) => {
    const cookie = [...jar(url)].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    remember(url, res);
    return res;
  };
  const field = (html, name) => {
    const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
    if (!m) throw new Error(`no ${name} field in page: ${html.slice(0, 300)}`);
    return m[1].replaceAll('&amp;', '&');
  };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  let url = authorizationUrl;
  let res = await request(url);
  for (let step = 0; step < 20; step++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url).href;
      if (redirectPrefix && next.startsWith(redirectPrefix)) return next;
      url = next;
      res = await request(url);
      continue;
    }
    const html = await res.text();
    const origin = new URL(url).origin;
    if (html.includes('id="kc-form-login"')) {
      pages.push({ page: 'provider-login', origin, status: res.status, title: (html.match(/<title>([^<]*)<\/title>/) ?? [])[1] ?? null });
      const action = html.match(/<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/) ?? html.match(/action="([^"]+)"[^>]*id="kc-form-login"/);
      if (!action) throw new Error('no action on the Keycloak login form');
      url = new URL(action[1].replaceAll('&amp;', '&'), url).href;
      res = await request(url, { method: 'POST', headers: form, body: new URLSearchParams({ username, password, credentialId: '' }) });
      continue;
    }
    if (html.includes('id="consent-form"')) {
      pages.push({ page: 'gatehouse-consent', origin, status: res.status,
        signedInAs: (html.match(/Signed in as\s*(?:<[^>]+>)*\s*([^<]+)/) ?? [])[1]?.trim() ?? null });
      url = `${origin}/oauth/consent`;
      res = await request(url, { method: 'POST', headers: { ...form, origin },
        body: new URLSearchParams({ request: field(html, 'request'), csrf: field(html, 'csrf'), decision: 'approve' }) });
      continue;
    }
    throw new Error(`unexpected page, HTTP ${res.status} at ${url}: ${html.replace(/\s+/g, ' ').slice(0, 400)}`);
  }
  throw new Error('more than 20 steps without reaching the client');
}
