/**
 * The trainings' back office: training kinds (/admin/reservations/formations), a kind's page, linking a training
 * event of the agenda to a kind, and a session's page where the team marks who passed. Each handler parses, calls one
 * service function, renders or redirects; a refused form comes back with the values and a French message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { KindForm, PassedForm, SessionLinkForm } from './authorisations.schemas.js';
import * as service from './authorisations.service.js';
import { KindsView, KindView, SessionView } from './authorisations.views.js';

type FormState = { values?: FormValues; errors?: FieldErrors };

const idOf = (request: FastifyRequest, name = 'id') => {
  const raw = (request.params as Record<string, string>)[name];
  return /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
};

export async function authorisationsRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };

  const list = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, status = 200) => {
    const data = await service.listKindsForStaff(ctx, request.actor);
    return renderPage(ctx, request, reply, <KindsView data={data} values={state.values} errors={state.errors} />, status);
  };

  app.get('/admin/reservations/formations', guard, (request, reply) => list(request, reply));

  app.post('/admin/reservations/formations', guard, async (request, reply) => {
    await service.getKindFormChoices(ctx, request.actor); // refuses outsiders before reading their input
    const parsed = parseForm(KindForm, request.body);
    if (!parsed.ok) return list(request, reply, { values: parsed.values, errors: parsed.errors }, 422);
    try {
      const { id } = await service.createKind(ctx, request.actor, parsed.data);
      setFlash(reply, 'bookings.gate.flash.saved');
      return reply.redirect(`/admin/reservations/formations/${id}`, 303);
    } catch (error) {
      return list(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
  });

  const kindPage = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, link: FormState = {}, status = 200) => {
    const data = await service.getKindForStaff(ctx, request.actor, idOf(request));
    return renderPage(ctx, request, reply, <KindView data={data} values={state.values} errors={state.errors} linkErrors={link.errors} />, status);
  };

  app.get('/admin/reservations/formations/:id', guard, (request, reply) => kindPage(request, reply));

  app.post('/admin/reservations/formations/:id', guard, async (request, reply) => {
    const id = idOf(request);
    await service.getKindForStaff(ctx, request.actor, id);
    const parsed = parseForm(KindForm, request.body);
    if (!parsed.ok) return kindPage(request, reply, { values: parsed.values, errors: parsed.errors }, {}, 422);
    try {
      await service.updateKind(ctx, request.actor, id, parsed.data);
    } catch (error) {
      return kindPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, {}, statusOf(error));
    }
    setFlash(reply, 'bookings.gate.flash.saved');
    return reply.redirect(`/admin/reservations/formations/${id}`, 303);
  });

  app.post('/admin/reservations/formations/:id/sessions', guard, async (request, reply) => {
    const id = idOf(request);
    await service.getKindForStaff(ctx, request.actor, id);
    const parsed = parseForm(SessionLinkForm, request.body);
    if (!parsed.ok) return kindPage(request, reply, {}, { errors: parsed.errors }, 422);
    try {
      await service.linkSession(ctx, request.actor, id, parsed.data.eventId);
    } catch (error) {
      return kindPage(request, reply, {}, { errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'bookings.gate.flash.linked');
    return reply.redirect(`/admin/reservations/formations/${id}#sessions`, 303);
  });

  const sessionPage = async (request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors, status = 200) => {
    const data = await service.getSessionForStaff(ctx, request.actor, idOf(request));
    return renderPage(ctx, request, reply, <SessionView data={data} errors={errors} />, status);
  };

  app.get('/admin/reservations/formations/sessions/:id', guard, (request, reply) => sessionPage(request, reply));

  app.post('/admin/reservations/formations/sessions/:id', guard, async (request, reply) => {
    const id = idOf(request);
    await service.getSessionForStaff(ctx, request.actor, id);
    const parsed = parseForm(PassedForm, request.body);
    if (!parsed.ok) return sessionPage(request, reply, parsed.errors, 422);
    try {
      await service.markPassed(ctx, request.actor, id, parsed.data.userIds);
    } catch (error) {
      return sessionPage(request, reply, fieldErrorsOf(error), statusOf(error));
    }
    setFlash(reply, 'bookings.gate.flash.passed', { n: parsed.data.userIds.length });
    return reply.redirect(`/admin/reservations/formations/sessions/${id}`, 303);
  });
}
