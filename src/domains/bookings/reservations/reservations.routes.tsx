/**
 * Booking pages: the list and grid (public), the booking form and its post (signed-in people book at once,
 * visitors get a 30-minute hold and a mail), the visitor's confirmation link, "my bookings" and its cancellation,
 * and the back office's week, bookings on someone's behalf, blocks and cancellations. Each handler parses, calls
 * one service function, renders or redirects; a refused booking comes back with the person's values, a French
 * message per field and, when the slot was taken, the nearest free ones.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { isIsoDate } from '../../../shared/input.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { gateOf, type Gate } from '../authorisations/index.js';
import { AppError } from '../../../shared/app-error.js';
import { parisDay } from '../../../shared/time.js';
import { BookForm, bookingIdOf, GridQuery, seriesIdOf, SlotQuery, StaffBookForm, StaffSeriesForm, VisitorBookForm } from './reservations.schemas.js';
import * as feeds from './reservations.feeds.js';
import * as series from './reservations.series.js';
import { SeriesFormView, SeriesPreviewView, SeriesView } from './reservations.series.views.js';
import * as service from './reservations.service.js';
import { BookFormView, ConfirmView, GridView, MyBookingsView, ResourcesListView, StaffPlanningView } from './reservations.views.js';

type Values = Record<string, string | string[]>;
type FormState = { values?: Values; errors?: Record<string, string>; alternatives?: { start: Date; end: Date }[]; gate?: Gate | null };

const slugOf = (request: FastifyRequest) => String((request.params as { slug: string }).slug ?? '');
const sendCalendar = (reply: FastifyReply, name: string, body: string, cache: string) =>
  reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${name}.ics"`).header('cache-control', cache).send(body);
const tokenOf = (request: FastifyRequest) => String((request.params as { token: string }).token ?? '');

/** `feedExtras`: what other rooms add to a person's calendar feed (wired by the domain's manifest). */
export async function reservationsRoutes(app: FastifyInstance, ctx: AppContext, options: { feedExtras?: readonly feeds.PersonalFeedExtra[] } = {}) {
  const limited = { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } };

  app.get('/reservations', async (request, reply) => {
    const rows = await service.listResourcesForBooking(ctx, request.actor);
    return renderPage(ctx, request, reply, <ResourcesListView rows={rows} />);
  });

  app.get('/reservations/:slug', async (request, reply) => {
    const slug = slugOf(request);
    // The resource's busy periods as a calendar feed (no names): `/reservations/<slug>.ics`.
    if (slug.endsWith('.ics')) {
      const feed = await feeds.resourceFeed(ctx, slug.slice(0, -4));
      return sendCalendar(reply, feed.slug, feed.body, 'public, max-age=300');
    }
    const grid = await service.getGrid(ctx, request.actor, slugOf(request), GridQuery.parse(request.query ?? {}));
    return renderPage(ctx, request, reply, <GridView grid={grid} />);
  });

  const bookForm = async (request: FastifyRequest, reply: FastifyReply, query: { date?: string; debut?: string }, state: FormState = {}, staff: FormState = {}, status = 200) => {
    const data = await service.getBookingForm(ctx, request.actor, slugOf(request), query);
    return renderPage(
      ctx,
      request,
      reply,
      <BookFormView data={data} values={state.values} errors={state.errors} alternatives={state.alternatives} gate={state.gate ?? staff.gate} staffValues={staff.values} staffErrors={staff.errors} />,
      status,
    );
  };

  app.get('/reservations/:slug/reserver', (request, reply) => bookForm(request, reply, SlotQuery.parse(request.query ?? {})));

  app.post('/reservations/:slug/reserver', { config: limited }, async (request, reply) => {
    const slug = slugOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const again = (state: FormState, status: number) => bookForm(request, reply, { date: typeof body.date === 'string' && isIsoDate(body.date) ? body.date : undefined, debut: typeof body.debut === 'string' ? body.debut : undefined }, state, {}, status);
    const failed = (error: unknown) =>
      again({ values: formValues(request.body) as Values, errors: fieldErrorsOf(error), alternatives: service.alternativesOf(error), gate: gateOf(error) }, statusOf(error));
    if (request.user) {
      const form = parseForm(BookForm, request.body);
      if (!form.ok) return again({ values: form.values as Values, errors: form.errors }, 422);
      try {
        await service.bookResource(ctx, request.actor, { slug }, form.data);
      } catch (error) {
        return failed(error);
      }
      setFlash(reply, 'bookings.flash.booked');
      return reply.redirect('/compte/reservations', 303);
    }
    const form = parseForm(VisitorBookForm, request.body);
    if (!form.ok) return again({ values: form.values as Values, errors: form.errors }, 422);
    try {
      await service.holdForVisitor(ctx, request.actor, slug, form.data, request.locale);
    } catch (error) {
      return failed(error);
    }
    setFlash(reply, 'bookings.flash.held', { email: form.data.email });
    return reply.redirect(`/reservations/${slug}?date=${form.data.day}#creneaux`, 303);
  });

  app.get('/reservations/confirmation/:token', async (request, reply) => {
    const { booking, live } = await service.getHeldBooking(ctx, tokenOf(request));
    return renderPage(ctx, request, reply, <ConfirmView booking={booking} live={live} token={tokenOf(request)} />);
  });

  app.post('/reservations/confirmation/:token', { config: limited }, async (request, reply) => {
    const { resourceSlug } = await service.confirmVisitorBooking(ctx, tokenOf(request), request.locale);
    setFlash(reply, 'bookings.flash.confirmed');
    return reply.redirect(`/reservations/${resourceSlug}`, 303);
  });

  app.get('/reservations/flux/:file', async (request, reply) => {
    const file = String((request.params as { file: string }).file ?? '');
    const body = file.endsWith('.ics') ? await feeds.personalFeed(ctx, file.slice(0, -4), options.feedExtras) : null;
    // A guessed or revoked secret is told nothing more than an unknown page.
    if (body === null) throw new AppError('not_found', 'bookings.feed.unknown');
    return sendCalendar(reply, 'mes-reservations', body, 'private, no-store');
  });

  // ------------------------------------------------------------------------------------------- the person's account
  const myBookings = async (request: FastifyRequest, reply: FastifyReply, feedUrl?: string) => {
    const { rows, authorisations } = await service.getMyBookingsPage(ctx, request.actor);
    const feedSince = await feeds.myFeedSince(ctx, request.actor);
    return renderPage(ctx, request, reply, <MyBookingsView rows={rows} authorisations={authorisations} feedSince={feedSince} feedUrl={feedUrl} />);
  };

  app.get('/compte/reservations', { preHandler: requireUser }, (request, reply) => myBookings(request, reply));

  // The new address is shown once, on the page this post returns: only its hash is kept.
  app.post('/compte/reservations/flux', { preHandler: requireUser }, async (request, reply) => myBookings(request, reply, await feeds.renewMyBookingsFeed(ctx, request.actor)));

  app.post('/compte/reservations/flux/supprimer', { preHandler: requireUser }, async (request, reply) => {
    await feeds.revokeMyBookingsFeed(ctx, request.actor);
    setFlash(reply, 'bookings.flash.feedRevoked');
    return reply.redirect('/compte/reservations#calendrier', 303);
  });

  app.post('/compte/reservations/:id/annuler', { preHandler: requireUser }, async (request, reply) => {
    await service.cancelBooking(ctx, request.actor, bookingIdOf((request.params as { id: string }).id));
    setFlash(reply, 'bookings.flash.cancelled');
    return reply.redirect('/compte/reservations', 303);
  });

  // ------------------------------------------------------------------------------------------- the back office
  app.get('/admin/reservations/planning', { preHandler: requireUser }, async (request, reply) => {
    const raw = (request.query as Record<string, unknown> | undefined)?.date;
    const data = await service.listBookingsForStaff(ctx, request.actor, typeof raw === 'string' && isIsoDate(raw) ? raw : undefined);
    return renderPage(ctx, request, reply, <StaffPlanningView day={data.day} rows={data.rows} />);
  });

  app.post('/admin/reservations/:id/annuler', { preHandler: requireUser }, async (request, reply) => {
    service.checkBookingStaff(request.actor); // the back office's route: outsiders are refused before anything is read
    await service.cancelBooking(ctx, request.actor, bookingIdOf((request.params as { id: string }).id));
    setFlash(reply, 'bookings.flash.cancelled');
    return reply.redirect('/admin/reservations/planning', 303);
  });

  app.post('/admin/reservations/ressources/:id/reserver', { preHandler: requireUser }, async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const id = /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
    const resource = await service.findResourceForStaff(ctx, request.actor, id);
    const again = (state: FormState, status: number) => {
      (request.params as { slug: string }).slug = resource.slug;
      return bookForm(request, reply, {}, {}, state, status);
    };
    const form = parseForm(StaffBookForm, request.body);
    if (!form.ok) return again({ values: form.values as Values, errors: form.errors }, 422);
    try {
      await service.bookForSomeone(ctx, request.actor, id, form.data);
    } catch (error) {
      return again({ values: formValues(request.body) as Values, errors: fieldErrorsOf(error), gate: gateOf(error) }, statusOf(error));
    }
    setFlash(reply, form.data.mode === 'blocage' ? 'bookings.flash.blocked' : 'bookings.flash.bookedFor');
    return reply.redirect(`/admin/reservations/planning?date=${form.data.day}`, 303);
  });

  // ------------------------------------------------------------------------------------------- weekly series
  const resourceIdOf = (request: FastifyRequest) => {
    const raw = String((request.params as { id: string }).id ?? '');
    return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  };

  app.get('/admin/reservations/ressources/:id/serie', { preHandler: requireUser }, async (request, reply) => {
    const resource = await service.findResourceForStaff(ctx, request.actor, resourceIdOf(request));
    return renderPage(ctx, request, reply, <SeriesFormView resource={resource} values={{ du: parisDay(ctx.clock.now()), mode: 'pour' }} />);
  });

  // One address for both steps: without `confirmer` it shows the preview; with it, it creates the accepted days.
  app.post('/admin/reservations/ressources/:id/serie', { preHandler: requireUser }, async (request, reply) => {
    const id = resourceIdOf(request);
    const resource = await service.findResourceForStaff(ctx, request.actor, id);
    const form = parseForm(StaffSeriesForm, request.body);
    const values = formValues(request.body) as Values;
    const formAgain = (errors: Record<string, string>, status: number) => renderPage(ctx, request, reply, <SeriesFormView resource={resource} values={values} errors={errors} />, status);
    if (!form.ok) return formAgain(form.errors, 422);
    const previewAgain = async (error?: string, status = 200) => {
      const preview = await series.previewSeries(ctx, request.actor, id, form.data);
      return renderPage(ctx, request, reply, <SeriesPreviewView resource={resource} values={values} free={preview.free} conflicts={preview.conflicts} error={error} />, status);
    };
    try {
      if ((request.body as Record<string, unknown>).confirmer !== '1') return await previewAgain();
      const created = await series.createSeries(ctx, request.actor, id, form.data, form.data.accepted);
      setFlash(reply, 'bookings.flash.seriesCreated', { count: created.created });
      return reply.redirect(`/admin/reservations/series/${created.id}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.message === 'bookings.series.errors.changed') return previewAgain(error.message, 409);
      if (error instanceof AppError && (error.code === 'invalid' || error.code === 'forbidden')) return formAgain(fieldErrorsOf(error), statusOf(error));
      throw error;
    }
  });

  app.get('/admin/reservations/series/:id', { preHandler: requireUser }, async (request, reply) => {
    const data = await series.getSeries(ctx, request.actor, String((request.params as { id: string }).id ?? ''));
    return renderPage(ctx, request, reply, <SeriesView series={data.series} rows={data.rows} remaining={data.remaining} />);
  });

  app.post('/admin/reservations/series/:id/annuler', { preHandler: requireUser }, async (request, reply) => {
    const id = seriesIdOf((request.params as { id: string }).id) ?? '';
    const done = await series.cancelSeries(ctx, request.actor, id);
    setFlash(reply, 'bookings.flash.seriesCancelled', { count: done.cancelled });
    return reply.redirect(`/admin/reservations/series/${done.id}`, 303);
  });
}
