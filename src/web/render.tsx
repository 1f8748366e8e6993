/**
 * Turns a view into an HTML response. Views are pure TSX; this wraps them in the page context (language,
 * user, CSRF token) and renders with preact-render-to-string, which escapes text and attributes.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidElement, type VNode } from 'preact';
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
 * The URL a cached page is stored under: the path (without a trailing slash) and only the query parameters the
 * page reads, sorted, empty ones dropped. Anything else in the query string (`?k1=`, tracking tags) reaches the
 * same entry, so made-up parameters cannot fill the cache with copies.
 */
export function canonicalUrl(url: string, params: Record<string, unknown> = {}): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/(.)\/+$/, '$1');
  const kept = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [k, String(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return kept.length ? `${path}?${new URLSearchParams(kept).toString()}` : path;
}

/**
 * Renders a public page once per language and page for anonymous visitors and serves it from memory afterwards.
 * `params`: the query parameters the page reads, already parsed (nothing else in the URL changes the page).
 * Signed-in visitors get a fresh render (their header differs). The view must not contain a form.
 */
export async function renderPublicPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: () => VNode | Promise<VNode>,
  params: Record<string, unknown> = {},
) {
  if (request.user || request.cookies[FLASH_COOKIE]) return renderPage(ctx, request, reply, await view());
  const url = canonicalUrl(request.url, params);
  const key = `${request.locale}:${url}`;
  let page = ctx.pageCache.get(key);
  if (!page) page = ctx.pageCache.set(key, toHtml({ ...pageContext(ctx, request, ''), path: url }, await view()));
  reply.header('cache-control', 'public, max-age=60').header('vary', 'accept-encoding, cookie, accept-language').type('text/html; charset=utf-8');
  return sendCompressed(request, reply, page);
}

// A marker no page content can contain: random per process, never sent (every marker is replaced).
const SLOT_NONCE = randomBytes(16).toString('hex');
const SLOT_PATTERN = new RegExp(`${SLOT_NONCE}:(\\w+):${SLOT_NONCE}`);
const slotOf = (part: PersonalPart) => `${SLOT_NONCE}:${part}:${SLOT_NONCE}`;

/**
 * A public page whose content is the same for every visitor (no form, nothing depending on who looks: the
 * commune profiles, the map, the sources). Anonymous visitors get `renderPublicPage`'s cached bytes; for signed-in
 * visitors the page is rendered once per language and canonical URL (`params` as for `renderPublicPage`) with the layout's personal parts (menus by role, account
 * links and the logout form's CSRF token, the flash message) left as markers, and each request renders only those
 * parts for its visitor. Cleared and expired with the anonymous pages (`ctx.pageCache.clear()`).
 */
export async function renderSharedPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: () => VNode | Promise<VNode>,
  params: Record<string, unknown> = {},
) {
  if (!request.user && !request.cookies[FLASH_COOKIE]) return renderPublicPage(ctx, request, reply, view, params);
  // Keyed like the anonymous pages, on the parameters the page reads, so made-up query strings share one entry.
  const url = canonicalUrl(request.url, params);
  return serveShared(ctx, request, reply, `${request.locale}:${url}`, async () => {
    // Rendered as for nobody in particular: no user, no role, no token, no flash.
    const nobody: PageContextValue = { ...pageContext(ctx, request, ''), path: url, user: null, roles: new Set(), flash: null, personalSlot: slotOf };
    return { html: toHtml(nobody, await view()), until: null };
  });
}

/** A versioned page's body, with the instant it stops being right with the same data (a deadline passing), if any. */
export interface VersionedBody {
  view: VNode;
  until: Date | null;
}

/**
 * A signed-in page whose body is the same for every viewer with the same roles as long as its data has not changed
 * (the team's case list and board, decision 0031; the case page, decision 0032). `version` names that data: the
 * caller reads it from the database BEFORE the data, and it must move in the same transaction as every change to
 * what the page shows (a trigger), so a body is never kept under a version newer than its rows. The body is rendered
 * once per version, language, canonical URL (`params`: the query parameters the page reads) and set of roles (the
 * back office's menu); per request only the layout's personal parts and the viewer's CSRF token (forms in the body
 * carry it as a marker) are rendered. A body that follows the clock within the version (a deadline passing) comes
 * with `until`: it is rendered again from then on (the app's clock decides). Authorisation stays in the service that
 * returned `version`: call this only after it has checked the viewer.
 */
export async function renderVersionedPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  version: string,
  view: () => VNode | VersionedBody | Promise<VNode | VersionedBody>,
  params: Record<string, unknown> = {},
) {
  const url = canonicalUrl(request.url, params);
  const roles = [...request.actor.roles].sort().join(',');
  // Apart from the shared pages' keys (`locale:url`): its own prefix, so no URL can reach another page's body.
  return serveShared(ctx, request, reply, `versioned:${request.locale}:${url}#${roles}#${version}`, async () => {
    const viewer: PageContextValue = { ...pageContext(ctx, request, slotOf('csrfToken')), path: url, user: null, flash: null, personalSlot: slotOf };
    const body = await view();
    return isValidElement(body) ? { html: toHtml(viewer, body), until: null } : { html: toHtml(viewer, body.view), until: body.until };
  });
}

/** The shared HTML under `key` (rendered by `build` when missing), with the visitor's personal parts spliced in. */
async function serveShared(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, key: string, build: () => Promise<{ html: string; until: Date | null }>) {
  let shared = ctx.pageCache.getShared(key);
  if (shared?.until !== undefined && ctx.clock.now().getTime() >= shared.until) shared = undefined;
  if (!shared) {
    const built = await build();
    const parts = built.html.split(SLOT_PATTERN);
    const raw = parts.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p));
    shared = ctx.pageCache.setShared(key, { parts, raw, deflated: raw.map((b) => deflatePiece(b)), ...(built.until ? { until: built.until.getTime() } : {}) });
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
