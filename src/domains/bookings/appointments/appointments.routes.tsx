/**
 * Appointment pages: the free slots and a slot's booking form (signed-in people book at once, visitors get a
 * 30-minute hold and a mail), the visitor's confirmation link, "my appointments" and cancellation, and the team's
 * page (publish, withdraw, open an appointment, record its outcome, cancel). Each handler parses, calls one service
 * function, renders or redirects; a refused form comes back with the person's values and a French message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { BookAppointmentForm, idOf, OutcomeForm, SlotForm, VisitorAppointmentForm } from './appointments.schemas.js';
import * as service from './appointments.service.js';
import { AdviserBoardView, AppointmentDetailView, BookAppointmentView, ConfirmAppointmentView, MyAppointmentsView, SlotsListView } from './appointments.views.js';

type Values = Record<string, string | string[]>;
type FormState = { values?: Values; errors?: Record<string, string> };

const idParam = (request: FastifyRequest) => idOf((request.params as { id?: string }).id);
const tokenOf = (request: FastifyRequest) => String((request.params as { token: string }).token ?? '');

export async function appointmentsRoutes(app: FastifyInstance, ctx: AppContext) {
  const limited = { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } };

  app.get('/rendez-vous', async (request, reply) => renderPage(ctx, request, reply, <SlotsListView slots={await service.listBookableSlots(ctx)} />));

  const bookForm = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, status = 200) => {
    const data = await service.getSlotForBooking(ctx, request.actor, idParam(request));
    return renderPage(ctx, request, reply, <BookAppointmentView data={data} values={state.values} errors={state.errors} />, status);
  };

  app.get('/rendez-vous/:id', (request, reply) => bookForm(request, reply));

  app.post('/rendez-vous/:id', { config: limited }, async (request, reply) => {
    const failed = (error: unknown) => bookForm(request, reply, { values: formValues(request.body) as Values, errors: fieldErrorsOf(error) }, statusOf(error));
    if (request.user) {
      const form = parseForm(BookAppointmentForm, request.body);
      if (!form.ok) return bookForm(request, reply, { values: form.values as Values, errors: form.errors }, 422);
      try {
        await service.bookAppointment(ctx, request.actor, idParam(request), form.data);
      } catch (error) {
        return failed(error);
      }
      setFlash(reply, 'bookings.appointments.flash.booked');
      return reply.redirect('/compte/rendez-vous', 303);
    }
    const form = parseForm(VisitorAppointmentForm, request.body);
    if (!form.ok) return bookForm(request, reply, { values: form.values as Values, errors: form.errors }, 422);
    try {
      await service.holdAppointmentForVisitor(ctx, request.actor, idParam(request), form.data, request.locale);
    } catch (error) {
      return failed(error);
    }
    setFlash(reply, 'bookings.appointments.flash.held', { email: form.data.email });
    return reply.redirect('/rendez-vous', 303);
  });

  app.get('/rendez-vous/confirmation/:token', async (request, reply) => {
    const { appointment, live } = await service.getHeldAppointment(ctx, tokenOf(request));
    return renderPage(ctx, request, reply, <ConfirmAppointmentView appointment={appointment} live={live} token={tokenOf(request)} />);
  });

  app.post('/rendez-vous/confirmation/:token', { config: limited }, async (request, reply) => {
    await service.confirmVisitorAppointment(ctx, tokenOf(request));
    setFlash(reply, 'bookings.appointments.flash.confirmed');
    return reply.redirect('/rendez-vous', 303);
  });

  // ------------------------------------------------------------------------------------------- the person's account
  app.get('/compte/rendez-vous', { preHandler: requireUser }, async (request, reply) =>
    renderPage(ctx, request, reply, <MyAppointmentsView rows={await service.listMyAppointments(ctx, request.actor)} />),
  );

  app.post('/compte/rendez-vous/:id/annuler', { preHandler: requireUser }, async (request, reply) => {
    await service.cancelAppointment(ctx, request.actor, idParam(request));
    setFlash(reply, 'bookings.appointments.flash.cancelled');
    return reply.redirect('/compte/rendez-vous', 303);
  });

  // ------------------------------------------------------------------------------------------- the team
  const board = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, status = 200) =>
    renderPage(ctx, request, reply, <AdviserBoardView board={await service.getAdviserBoard(ctx, request.actor)} values={state.values} errors={state.errors} />, status);

  app.get('/admin/rendez-vous', { preHandler: requireUser }, (request, reply) => board(request, reply));

  app.post('/admin/rendez-vous/creneaux', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(SlotForm, request.body);
    if (!form.ok) return board(request, reply, { values: form.values as Values, errors: form.errors }, 422);
    try {
      await service.publishSlot(ctx, request.actor, form.data);
    } catch (error) {
      return board(request, reply, { values: formValues(request.body) as Values, errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'bookings.appointments.flash.published');
    return reply.redirect('/admin/rendez-vous', 303);
  });

  app.post('/admin/rendez-vous/creneaux/:id/retirer', { preHandler: requireUser }, async (request, reply) => {
    await service.withdrawSlot(ctx, request.actor, idParam(request));
    setFlash(reply, 'bookings.appointments.flash.withdrawn');
    return reply.redirect('/admin/rendez-vous', 303);
  });

  const detail = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, status = 200) =>
    renderPage(ctx, request, reply, <AppointmentDetailView data={await service.getAppointmentForTeam(ctx, request.actor, idParam(request))} values={state.values} errors={state.errors} />, status);

  app.get('/admin/rendez-vous/:id', { preHandler: requireUser }, (request, reply) => detail(request, reply));

  app.post('/admin/rendez-vous/:id/bilan', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(OutcomeForm, request.body);
    if (!form.ok) return detail(request, reply, { values: form.values as Values, errors: form.errors }, 422);
    let attachedTo: string | null;
    try {
      ({ attachedTo } = await service.recordOutcome(ctx, request.actor, idParam(request), form.data));
    } catch (error) {
      return detail(request, reply, { values: formValues(request.body) as Values, errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, attachedTo ? `bookings.appointments.flash.outcomeAttached.${attachedTo}` : 'bookings.appointments.flash.outcome');
    return reply.redirect(`/admin/rendez-vous/${idParam(request)}`, 303);
  });

  app.post('/admin/rendez-vous/:id/annuler', { preHandler: requireUser }, async (request, reply) => {
    service.checkAdviser(request.actor);
    await service.cancelAppointment(ctx, request.actor, idParam(request));
    setFlash(reply, 'bookings.appointments.flash.cancelled');
    return reply.redirect('/admin/rendez-vous', 303);
  });
}
