/**
 * A browser-like client over `app.inject`: keeps cookies, reads the CSRF token from the last page and
 * posts forms the way a browser without JavaScript would.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class Agent {
  private cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly app: FastifyInstance, private readonly headers: Record<string, string> = {}) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1];
    return res;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a form; fetches a page first when no CSRF token is known yet. */
  async post(url: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null } = {}) {
    if (!this.csrf && opts.csrf === undefined) await this.get('/connexion');
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.set('_csrf', token);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
      }),
    );
  }

  async login(email: string, password: string) {
    const res = await this.post('/connexion', { email, password });
    if (res.statusCode !== 303) throw new Error(`login failed for ${email}: ${res.statusCode}`);
    // Forms' tokens are bound to the session: like a browser, land on the page the login leads to and take its token.
    await this.get(String(res.headers.location));
    return res;
  }
}
