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
import { BookForm, bookingIdOf, GridQuery, SlotQuery, StaffBookForm, VisitorBookForm } from './reservations.schemas.js';
import * as service from './reservations.service.js';
import { BookFormView, ConfirmView, GridView, MyBookingsView, ResourcesListView, StaffPlanningView } from './reservations.views.js';

type Values = Record<string, string | string[]>;
type FormState = { values?: Values; errors?: Record<string, string>; alternatives?: { start: Date; end: Date }[]; gate?: Gate | null };

const slugOf = (request: FastifyRequest) => String((request.params as { slug: string }).slug ?? '');
const tokenOf = (request: FastifyRequest) => String((request.params as { token: string }).token ?? '');

export async function reservationsRoutes(app: FastifyInstance, ctx: AppContext) {
  const limited = { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } };

  app.get('/reservations', async (request, reply) => {
    const rows = await service.listResourcesForBooking(ctx, request.actor);
    return renderPage(ctx, request, reply, <ResourcesListView rows={rows} />);
  });

  app.get('/reservations/:slug', async (request, reply) => {
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

  // ------------------------------------------------------------------------------------------- the person's account
  app.get('/compte/reservations', { preHandler: requireUser }, async (request, reply) => {
    const { rows, authorisations } = await service.getMyBookingsPage(ctx, request.actor);
    return renderPage(ctx, request, reply, <MyBookingsView rows={rows} authorisations={authorisations} />);
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
}
