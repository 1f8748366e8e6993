/**
 * Pages of discovery stays: the team's list and stay page under /admin/accueil/sejours, enrolment from a case page,
 * and the household's stay page and forms under /mon-projet/sejours. Each handler parses, calls one service
 * function, renders or redirects; a form with mistakes comes back with 422, the values typed and a message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { EmptyForm, renderCasePage } from '../cases/index.js';
import * as schemas from './stays.schemas.js';
import * as service from './stays.service.js';
import { HouseholdStayView, StaysListView, StayView, type StayFormState, type StayForms } from './stays.views.js';

export async function staysRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);
  const errorsOf = (request: FastifyRequest, error: unknown): StayFormState => ({ values: formValues(request.body), errors: fieldErrorsOf(error) });

  // ------------------------------------------------------------------------------------------- the team's list
  const listPage = async (request: FastifyRequest, reply: FastifyReply, form?: StayFormState, status = 200) => {
    const data = await service.listStaysForStaff(ctx, request.actor);
    return page(request, reply, <StaysListView stays={data.stays} form={form} />, status);
  };

  app.get('/admin/accueil/sejours', { preHandler: requireUser }, (request, reply) => listPage(request, reply));

  app.post('/admin/accueil/sejours', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.StayForm, request.body);
    if (!form.ok) return listPage(request, reply, form, 422);
    let created: { id: number };
    try {
      created = await service.createStay(ctx, request.actor, form.data);
    } catch (error) {
      return listPage(request, reply, errorsOf(request, error), statusOf(error));
    }
    setFlash(reply, 'newcomers.stays.flash.created');
    return reply.redirect(`/admin/accueil/sejours/${created.id}`, 303);
  });

  // ------------------------------------------------------------------------------------------- one stay
  const stayPage = async (request: FastifyRequest, reply: FastifyReply, forms: StayForms = {}, status = 200) => {
    const data = await service.getStayForStaff(ctx, request.actor, Number((request.params as { stayId: string }).stayId));
    return page(request, reply, <StayView data={data} forms={forms} />, status);
  };

  app.get('/admin/accueil/sejours/:stayId', { preHandler: requireUser }, (request, reply) => stayPage(request, reply));

  function stayForm<S extends z.ZodType>(
    url: string,
    schema: S,
    key: keyof StayForms,
    run: (request: FastifyRequest, params: Record<string, string>, data: z.output<S>) => Promise<unknown>,
    done: { flash: string; anchor: string },
  ) {
    app.post(url, { preHandler: requireUser }, async (request, reply) => {
      const params = request.params as Record<string, string>;
      const form = parseForm(schema, request.body);
      if (!form.ok) return stayPage(request, reply, { [key]: form }, 422);
      try {
        await run(request, params, form.data);
      } catch (error) {
        return stayPage(request, reply, { [key]: errorsOf(request, error) }, statusOf(error));
      }
      setFlash(reply, done.flash);
      return reply.redirect(`/admin/accueil/sejours/${params.stayId}#${done.anchor}`, 303);
    });
  }

  stayForm('/admin/accueil/sejours/:stayId', schemas.StayForm, 'stay', (r, p, data) => service.updateStay(ctx, r.actor, Number(p.stayId), data), {
    flash: 'newcomers.flash.saved',
    anchor: 'reglages',
  });
  stayForm('/admin/accueil/sejours/:stayId/programme', schemas.ProgrammeItemForm, 'item', (r, p, data) => service.addProgrammeItem(ctx, r.actor, Number(p.stayId), data), {
    flash: 'newcomers.stays.flash.itemAdded',
    anchor: 'programme',
  });
  stayForm('/admin/accueil/sejours/:stayId/programme/:itemId/suppression', EmptyForm, 'item', (r, p) => service.removeProgrammeItem(ctx, r.actor, Number(p.stayId), Number(p.itemId)), {
    flash: 'newcomers.stays.flash.itemRemoved',
    anchor: 'programme',
  });
  stayForm(
    '/admin/accueil/sejours/:stayId/candidatures/:applicationId',
    schemas.StayDecisionForm,
    'decision',
    (r, p, data) => service.decideApplication(ctx, r.actor, Number(p.stayId), Number(p.applicationId), data.decision),
    { flash: 'newcomers.stays.flash.decided', anchor: 'candidatures' },
  );
  stayForm(
    '/admin/accueil/sejours/:stayId/candidatures/:applicationId/presence',
    schemas.AttendanceForm,
    'attendance',
    (r, p, data) => service.recordAttendance(ctx, r.actor, Number(p.stayId), Number(p.applicationId), data.attended),
    { flash: 'newcomers.stays.flash.attendance', anchor: 'candidatures' },
  );

  // ------------------------------------------------------------------------------------------- enrolment from a case page
  app.post('/admin/accueil/:id/sejours', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const casePage = (form: StayFormState, status: number) => renderCasePage(ctx, request, reply, id, { stays: form }, status);
    const form = parseForm(schemas.StayEnrolForm, request.body);
    if (!form.ok) return casePage(form, 422);
    try {
      await service.enrolCase(ctx, request.actor, id, form.data);
    } catch (error) {
      return casePage(errorsOf(request, error), statusOf(error));
    }
    setFlash(reply, 'newcomers.stays.flash.enrolled');
    return reply.redirect(`/admin/accueil/${id}#sejours`, 303);
  });

  // ------------------------------------------------------------------------------------------- the household
  const householdPage = async (request: FastifyRequest, reply: FastifyReply, form?: StayFormState, status = 200) => {
    const data = await service.getStayForHousehold(ctx, request.actor, Number((request.params as { stayId: string }).stayId));
    return page(request, reply, <HouseholdStayView data={data} form={form} />, status);
  };

  app.get('/mon-projet/sejours/:stayId', { preHandler: requireUser }, (request, reply) => householdPage(request, reply));

  app.post('/mon-projet/sejours/:stayId', { preHandler: requireUser }, async (request, reply) => {
    const { stayId } = request.params as { stayId: string };
    const form = parseForm(schemas.StayApplyForm, request.body);
    if (!form.ok) return householdPage(request, reply, form, 422);
    try {
      await service.applyToStay(ctx, request.actor, Number(stayId), form.data);
    } catch (error) {
      return householdPage(request, reply, errorsOf(request, error), statusOf(error));
    }
    setFlash(reply, 'newcomers.stays.flash.applied');
    return reply.redirect('/mon-projet#sejours', 303);
  });

  app.post('/mon-projet/sejours/:stayId/retrait', { preHandler: requireUser }, async (request, reply) => {
    const { stayId } = request.params as { stayId: string };
    try {
      await service.withdrawFromStay(ctx, request.actor, Number(stayId));
    } catch (error) {
      return householdPage(request, reply, errorsOf(request, error), statusOf(error));
    }
    setFlash(reply, 'newcomers.stays.flash.withdrawn');
    return reply.redirect('/mon-projet#sejours', 303);
  });
}
