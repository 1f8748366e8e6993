/**
 * Turns a view into an HTML response. Views are pure TSX; this wraps them in the page context (language,
 * user, CSRF token) and renders with preact-render-to-string, which escapes text and attributes.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { AppContext } from '../context.js';
import type { AssetUrls } from './assets.js';
import { deflatePiece, joinGzip, sendCompressed, storedPiece } from './compressed.js';
import { csrfTokenFor } from './csrf.js';
import { FLASH_COOKIE, takeFlash } from './flash.js';
import { intlLocaleOf, tFor, type Locale } from './i18n/index.js';
import { PERSONAL_PARTS, type PersonalPart } from './layout.js';
import { PageContext, type PageContextValue } from './page-context.js';

let assetUrls: AssetUrls = { css: '/assets/app.css', js: '/assets/app.js' };
export const setAssetUrls = (urls: AssetUrls) => {
  assetUrls = urls;
};

export const tOf = (request: FastifyRequest) => tFor(request.locale);

function pageContext(ctx: AppContext, request: FastifyRequest, csrfToken: string, flash: PageContextValue['flash'] = null): PageContextValue {
  return {
    t: tFor(request.locale),
    locale: request.locale,
    intl: intlLocaleOf(request.locale),
    user: request.user,
    roles: request.actor.roles,
    csrfToken,
    path: request.url,
    demo: ctx.demo,
    programmeName: ctx.territory.programmeName,
    assets: assetUrls,
    flash,
  };
}

function toHtml(value: PageContextValue, view: VNode): string {
  return '<!doctype html>' + renderToString(<PageContext.Provider value={value}>{view}</PageContext.Provider>);
}

/** Renders a page for this request (forms get a CSRF token; the response is private). */
export function renderPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, view: VNode, status = 200) {
  const token = csrfTokenFor(request, reply, ctx.config.sessionSecret);
  const html = toHtml(pageContext(ctx, request, token, takeFlash(request, reply)), view);
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

/**
 * Renders a public page once per language and URL for anonymous visitors and serves it from memory afterwards.
 * Signed-in visitors get a fresh render (their header differs). The view must not contain a form.
 */
export async function renderPublicPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: () => VNode | Promise<VNode>,
) {
  if (request.user || request.cookies[FLASH_COOKIE]) return renderPage(ctx, request, reply, await view());
  const key = `${request.locale}:${request.url}`;
  let page = ctx.pageCache.get(key);
  if (!page) page = ctx.pageCache.set(key, toHtml(pageContext(ctx, request, ''), await view()));
  reply.header('cache-control', 'public, max-age=60').header('vary', 'accept-encoding, cookie, accept-language').type('text/html; charset=utf-8');
  return sendCompressed(request, reply, page);
}

// A marker no page content can contain: random per process, never sent (every marker is replaced).
const SLOT_NONCE = randomBytes(16).toString('hex');
const SLOT_PATTERN = new RegExp(`${SLOT_NONCE}:(\\w+):${SLOT_NONCE}`);

/**
 * A public page whose content is the same for every visitor (no form, nothing depending on who looks: the
 * commune profiles, the map, the sources). Anonymous visitors get `renderPublicPage`'s cached bytes; for signed-in
 * visitors the page is rendered once per language and URL with the layout's personal parts (menus by role, account
 * links and the logout form's CSRF token, the flash message) left as markers, and each request renders only those
 * parts for its visitor. Cleared and expired with the anonymous pages (`ctx.pageCache.clear()`).
 */
export async function renderSharedPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: () => VNode | Promise<VNode>,
) {
  if (!request.user && !request.cookies[FLASH_COOKIE]) return renderPublicPage(ctx, request, reply, view);
  const key = `${request.locale}:${request.url}`;
  let shared = ctx.pageCache.getShared(key);
  if (!shared) {
    // Rendered as for nobody in particular: no user, no role, no token, no flash.
    const nobody: PageContextValue = {
      ...pageContext(ctx, request, ''),
      user: null,
      roles: new Set(),
      flash: null,
      personalSlot: (part) => `${SLOT_NONCE}:${part}:${SLOT_NONCE}`,
    };
    const parts = toHtml(nobody, await view()).split(SLOT_PATTERN);
    const raw = parts.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p));
    shared = ctx.pageCache.setShared(key, { parts, raw, deflated: raw.map((b) => deflatePiece(b)) });
  }
  const value = pageContext(ctx, request, csrfTokenFor(request, reply, ctx.config.sessionSecret), takeFlash(request, reply));
  const { parts } = shared;
  const personal: string[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const Part = PERSONAL_PARTS[parts[i] as PersonalPart];
    personal.push(Part ? renderToString(<PageContext.Provider value={value}>{<Part />}</PageContext.Provider>) : '');
  }
  reply.code(200).header('cache-control', 'no-store').header('vary', 'accept-encoding').type('text/html; charset=utf-8');
  // Gzip assembled from the pieces compressed once and the personal parts stored as they are: compressing a whole
  // page per request (the map is 200 KB) cost more than rendering it.
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    const pieces: { raw: Buffer; deflated: Buffer }[] = [];
    shared.raw.forEach((raw, i) => {
      pieces.push({ raw, deflated: shared.deflated[i] });
      const mine = personal[i];
      if (mine) {
        const bytes = Buffer.from(mine);
        pieces.push({ raw: bytes, deflated: storedPiece(bytes) });
      }
    });
    return reply.header('content-encoding', 'gzip').send(joinGzip(pieces));
  }
  let html = parts[0];
  for (let i = 0; i < personal.length; i++) html += personal[i] + parts[2 * i + 2];
  return reply.send(html);
}

/** Renders a view to a string outside a request (mails). */
export function renderStandalone(view: VNode, locale: Locale, programmeName: string): string {
  const value: PageContextValue = {
    t: tFor(locale),
    locale,
    intl: intlLocaleOf(locale),
    user: null,
    roles: new Set(),
    csrfToken: '',
    path: '/',
    demo: false,
    programmeName,
    assets: assetUrls,
    flash: null,
  };
  return toHtml(value, view);
}
