/** The home page, the language switch, and the back office's page of the home page's highlights. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { setFlash } from '../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, safeReturnPath, statusOf } from '../../web/forms.js';
import { requireUser } from '../../web/guards.js';
import { isLocale } from '../../web/i18n/index.js';
import { renderPage, renderPublicPage } from '../../web/render.js';
import * as schemas from './site.schemas.js';
import * as service from './site.service.js';
import { HighlightsAdminView, HomeView } from './site.views.js';

type FormState = { values: Record<string, unknown>; errors: Record<string, string> };

export async function siteRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/', (request, reply) => renderPublicPage(ctx, request, reply, async () => <HomeView {...await service.getHomePage(ctx)} />));

  // A plain link switches the language (works without JavaScript); the choice is kept in a cookie for a year.
  app.get('/langue/:locale', (request, reply) => {
    const { locale } = request.params as { locale: string };
    const back = safeReturnPath((request.query as { retour?: string }).retour);
    if (!isLocale(locale)) return reply.redirect(back, 303);
    reply.setCookie('lang', locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies });
    return reply.redirect(back, 303);
  });

  // ------------------------------------------------------------------------------------------- back office
  // NaN when malformed: the service refuses outsiders first, then answers 404 (no hint that an id exists).
  const idOf = (raw: unknown) => {
    const id = schemas.HighlightId.safeParse(raw);
    return id.success ? id.data : Number.NaN;
  };

  const adminPage = async (request: FastifyRequest, reply: FastifyReply, editing: number | null, form?: FormState, status?: number) => {
    const data = await service.getHighlightsAdmin(ctx, request.actor);
    if (editing !== null && !data.rows.some((r) => r.id === editing)) throw new AppError('not_found', 'site.highlights.notFound');
    return renderPage(ctx, request, reply, <HighlightsAdminView rows={data.rows} computed={data.computed} editing={editing} values={form?.values as never} errors={form?.errors} />, status);
  };

  app.get('/admin/page-accueil', { preHandler: requireUser }, (request, reply) => {
    const edit = (request.query as { modifier?: string }).modifier;
    return adminPage(request, reply, edit ? idOf(edit) : null);
  });

  app.post('/admin/page-accueil', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.HighlightInput, request.body);
    if (!form.ok) return adminPage(request, reply, null, form, 422);
    try {
      await service.addHighlight(ctx, request.actor, form.data);
    } catch (error) {
      return adminPage(request, reply, null, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'site.highlights.saved');
    return reply.redirect('/admin/page-accueil', 303);
  });

  app.post('/admin/page-accueil/:id', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf((request.params as { id: string }).id);
    const form = parseForm(schemas.HighlightInput, request.body);
    if (!form.ok) return adminPage(request, reply, id, form, 422);
    try {
      await service.changeHighlight(ctx, request.actor, id, form.data);
    } catch (error) {
      return adminPage(request, reply, id, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'site.highlights.saved');
    return reply.redirect('/admin/page-accueil', 303);
  });

  app.post('/admin/page-accueil/:id/retirer', { preHandler: requireUser }, async (request, reply) => {
    await service.removeHighlight(ctx, request.actor, idOf((request.params as { id: string }).id));
    setFlash(reply, 'site.highlights.removed');
    return reply.redirect('/admin/page-accueil', 303);
  });
}
