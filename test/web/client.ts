/** A minimal cookie-keeping client over fastify.inject for the portal's security tests. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class PortalClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of r.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]*)"/.exec(r.body);
    if (m && m[1]) this.csrf = m[1];
    return r;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  async post(url: string, form: Record<string, string>, options: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const body = { ...form };
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) body._csrf = token;
    return this.keep(await this.app.inject({
      method: 'POST', url, payload: new URLSearchParams(body).toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    }));
  }

  async login(username: string, password: string, totp?: string): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const r = await this.post('/login', { username, password, ...(totp ? { totp } : {}) });
    if (r.statusCode === 303) await this.get('/account');
    return r;
  }
}
