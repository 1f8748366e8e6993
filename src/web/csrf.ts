/**
 * CSRF protection for every form (decision 0004): a random `csrf` cookie (httpOnly, SameSite=Lax) and, in each
 * form, an HMAC of it keyed with the session secret. A forged request can neither read the cookie nor compute
 * the token. Checked for every unsafe method outside the JSON API.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSRF_COOKIE = 'csrf';

export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secret: string): string {
  let seed = request.cookies[CSRF_COOKIE];
  if (!seed || !/^[A-Za-z0-9_-]{20,64}$/.test(seed)) {
    seed = randomBytes(24).toString('base64url');
    request.cookies[CSRF_COOKIE] = seed;
    reply.setCookie(CSRF_COOKIE, seed, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
    });
  }
  return sign(seed, secret);
}

// The token of a seed never changes: recent ones are kept rather than recomputed on every page of a session.
const signed = new Map<string, string>();

function sign(seed: string, secret: string) {
  const key = `${secret}\u0000${seed}`;
  let token = signed.get(key);
  if (token === undefined) {
    token = createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url');
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
  const seed = request.cookies[CSRF_COOKIE];
  if (!seed || typeof sent !== 'string') return false;
  const expected = Buffer.from(sign(seed, secret));
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
