/**
 * The agenda's pages and feeds: /agenda (list or month, cached for anonymous visitors), /agenda/archives, an event's
 * page (/agenda/:slug) and its calendar file (/agenda/:slug.ics), the whole public agenda as a feed (/agenda.ics),
 * a person's secret feed (/agenda/flux/:secret.ics) and the visitor's registration form (rate-limited).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { AppError, httpStatusOf, isAppError } from '../../../shared/app-error.js';
import { parseForm } from '../../../web/forms.js';
import { renderPage, renderPublicPage } from '../../../web/render.js';
import { sendStoredImage } from '../../../web/uploads.js';
import { AgendaQuery, VisitorRegistrationForm } from '../events.schemas.js';
import { feedOwner, requestVisitorRegistration } from '../registrations/index.js';
import * as service from './agenda.service.js';
import { AgendaView, ArchivesView, CheckMailView, EventView, VisitorFormView } from './agenda.views.js';

const sendCalendar = (reply: FastifyReply, name: string, body: string, cache: string) =>
  reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${name}.ics"`).header('cache-control', cache).send(body);

export async function agendaRoutes(app: FastifyInstance, ctx: AppContext) {
  const slugOf = (request: FastifyRequest) => (request.params as { slug: string }).slug;

  app.get('/agenda', (request, reply) => {
    const query = AgendaQuery.parse(request.query ?? {});
    // Cached under the filters the page reads, so each filter has its page and made-up parameters share one.
    return renderPublicPage(ctx, request, reply, async () => <AgendaView data={await service.listAgenda(ctx, query)} query={query} />, { ...query });
  });

  app.get('/agenda/archives', (request, reply) => renderPublicPage(ctx, request, reply, async () => <ArchivesView {...await service.listArchives(ctx)} />));

  app.get('/agenda.ics', async (_request, reply) => sendCalendar(reply, 'agenda', await service.publicFeed(ctx), 'public, max-age=300'));

  app.get('/agenda/flux/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const owner = file.endsWith('.ics') ? await feedOwner(ctx, file.slice(0, -4)) : null;
    // A guessed or revoked secret is told nothing more than an unknown page.
    if (!owner) throw new AppError('not_found', 'events.feed.unknown');
    return sendCalendar(reply, 'mon-agenda', await service.personalFeed(ctx, owner), 'private, no-store');
  });

  // Cover images, by their id (a new upload gets a new one); a draft's only for the team.
  app.get('/agenda/couvertures/:file', async (request, reply) => {
    const cover = await service.openEventCover(ctx, request.actor, (request.params as { file: string }).file);
    return sendStoredImage(reply, cover);
  });

  app.get('/agenda/:slug', async (request, reply) => {
    const slug = slugOf(request);
    if (slug.endsWith('.ics')) return sendCalendar(reply, slug.slice(0, -4), await service.eventFeed(ctx, slug.slice(0, -4)), 'public, max-age=300');
    // A visitor's page comes from the page cache without touching the database (drafts stay 404 for them).
    if (!request.user) return renderPublicPage(ctx, request, reply, async () => <EventView page={await service.getEventPage(ctx, request.actor, slug)} baseUrl={ctx.config.baseUrl} />);
    const page = await service.getEventPage(ctx, request.actor, slug);
    if (page.event.status === 'draft') return renderPage(ctx, request, reply, <EventView page={page} baseUrl={ctx.config.baseUrl} />);
    return renderPublicPage(ctx, request, reply, () => <EventView page={page} baseUrl={ctx.config.baseUrl} />);
  });

  app.get('/agenda/:slug/inscription', async (request, reply) => {
    const page = await service.getEventPage(ctx, request.actor, slugOf(request));
    return renderPage(ctx, request, reply, <VisitorFormView page={page} />);
  });

  app.post('/agenda/:slug/inscription', { config: { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } } }, async (request, reply) => {
    const slug = slugOf(request);
    const page = await service.getEventPage(ctx, request.actor, slug);
    const form = parseForm(VisitorRegistrationForm, request.body);
    if (!form.ok) return renderPage(ctx, request, reply, <VisitorFormView page={page} values={form.values} errors={form.errors} />, 422);
    try {
      await requestVisitorRegistration(ctx, request.actor, slug, { ...form.data, locale: request.locale });
    } catch (error) {
      if (!isAppError(error) || !['invalid', 'conflict', 'forbidden'].includes(error.code)) throw error;
      const values = { nom: form.data.name, email: form.data.email, places: String(form.data.seats) };
      return renderPage(ctx, request, reply, <VisitorFormView page={page} values={values} errors={error.fields} problem={{ key: error.message, params: error.params }} />, httpStatusOf[error.code]);
    }
    return renderPage(ctx, request, reply, <CheckMailView title={page.event.title} />);
  });
}
