/** The home page and the language switch. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { isLocale } from '../../web/i18n/index.js';
import { safeReturnPath } from '../../web/forms.js';
import { renderPublicPage } from '../../web/render.js';
import { getTerritoryHighlights } from '../territory/index.js';
import { HomeView } from './site.views.js';

export async function siteRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/', (request, reply) => renderPublicPage(ctx, request, reply, async () => <HomeView highlights={await getTerritoryHighlights(ctx)} />));

  // A plain link switches the language (works without JavaScript); the choice is kept in a cookie for a year.
  app.get('/langue/:locale', (request, reply) => {
    const { locale } = request.params as { locale: string };
    const back = safeReturnPath((request.query as { retour?: string }).retour);
    if (!isLocale(locale)) return reply.redirect(back, 303);
    reply.setCookie('lang', locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies });
    return reply.redirect(back, 303);
  });
}
