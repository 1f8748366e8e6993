/**
 * CSRF protection for every form (decision 0004): a random cookie (httpOnly, SameSite=Lax) and, in each form, an
 * HMAC of it keyed with the session secret and bound to the session when there is one. A forged request can
 * neither read the cookie nor compute the token; a cookie planted by someone else (with a token they fetched for
 * it) does not pass for a signed-in person, whose tokens include their session. Over https the cookie carries the
 * `__Host-` prefix (Secure, whole site, no Domain): a neighbouring subdomain cannot set it. Checked for every
 * unsafe method outside the JSON API.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie's name: `__Host-csrf` when the site is served over https, `csrf` otherwise. */
export const csrfCookieName = (secure: boolean) => (secure ? '__Host-csrf' : 'csrf');

const cookieNameFor = (request: FastifyRequest) => csrfCookieName(request.server.secureCookies);

export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secret: string): string {
  const name = cookieNameFor(request);
  let seed = request.cookies[name];
  if (!seed || !/^[A-Za-z0-9_-]{20,64}$/.test(seed)) {
    seed = randomBytes(24).toString('base64url');
    request.cookies[name] = seed;
    reply.setCookie(name, seed, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.server.secureCookies });
  }
  return sign(seed, request.sessionToken, secret);
}

// The token of a seed and session never changes: recent ones are kept rather than recomputed on every page.
const signed = new Map<string, string>();

function sign(seed: string, sessionToken: string | null, secret: string) {
  const key = `${secret}\u0000${seed}\u0000${sessionToken ?? ''}`;
  let token = signed.get(key);
  if (token === undefined) {
    token = createHmac('sha256', secret).update(`csrf:${seed}:${sessionToken ?? ''}`).digest('base64url');
    if (signed.size >= 10_000) signed.clear();
    signed.set(key, token);
  }
  return token;
}

export function isValidCsrf(request: FastifyRequest, secret: string): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const sent =
    (typeof body?._csrf === 'string' ? body._csrf : undefined) ??
    (request.headers['x-csrf-token'] as string | undefined) ??
    ((request.query as Record<string, unknown>)?._csrf as string | undefined);
  return isValidCsrfToken(request, secret, sent);
}

/**
 * The same check for a token read elsewhere: a multipart upload is parsed in its handler, after the hooks, so its
 * route reads the `_csrf` field (sent before the file) and checks it here before writing anything.
 */
export function isValidCsrfToken(request: FastifyRequest, secret: string, sent: unknown): boolean {
  const seed = request.cookies[cookieNameFor(request)];
  if (!seed || typeof sent !== 'string') return false;
  const expected = Buffer.from(sign(seed, request.sessionToken, secret));
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
