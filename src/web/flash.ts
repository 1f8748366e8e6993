/** One-time messages shown on the page after a redirect ("Vos informations sont enregistrées."). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catalogue, type Params } from './i18n/index.js';

export const FLASH_COOKIE = 'flash';

export interface Flash {
  key: string;
  params?: Params;
}

export function setFlash(reply: FastifyReply, key: string, params?: Params) {
  const value = Buffer.from(JSON.stringify({ key, params })).toString('base64url');
  reply.setCookie(FLASH_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60, secure: reply.server.secureCookies });
}

export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    // Only catalogue keys are shown, so a crafted cookie cannot inject text.
    if (typeof parsed.key !== 'string' || !catalogue.fr[parsed.key]) return null;
    const params: Params = {};
    for (const [k, v] of Object.entries(parsed.params ?? {})) if (typeof v === 'string' || typeof v === 'number') params[k] = String(v).slice(0, 200);
    return { key: parsed.key, params };
  } catch {
    return null;
  }
}
