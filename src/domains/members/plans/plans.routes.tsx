/** /admin/adherents/formules: the admins' plans. Parse, one service call, render or redirect. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { eurosText } from '../members.common.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { PlanForm, planToFormValues } from './plans.schemas.js';
import * as service from './plans.service.js';
import { PlanEditView, PlansView } from './plans.views.js';

type FormState = { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> };

export async function plansRoutes(app: FastifyInstance, ctx: AppContext) {
  const idOf = (request: FastifyRequest) => Number((request.params as { id: string }).id);

  const listPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState = {}, status = 200) => {
    const plans = await service.listPlansForAdmin(ctx, request.actor);
    return renderPage(ctx, request, reply, <PlansView plans={plans} values={form.values} errors={form.errors} />, status);
  };
  const editPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState = {}, status = 200) => {
    const plan = await service.getPlanForAdmin(ctx, request.actor, idOf(request));
    return renderPage(ctx, request, reply, <PlanEditView plan={plan} values={form.values ?? planToFormValues(plan, eurosText)} errors={form.errors} />, status);
  };

  app.get('/admin/adherents/formules', { preHandler: requireUser }, (request, reply) => listPage(request, reply));

  app.post('/admin/adherents/formules', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(PlanForm, request.body);
    if (!form.ok) return listPage(request, reply, form, 422);
    try {
      await service.createPlan(ctx, request.actor, form.data);
    } catch (error) {
      return listPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'members.flash.planSaved');
    return reply.redirect('/admin/adherents/formules', 303);
  });

  app.get('/admin/adherents/formules/:id', { preHandler: requireUser }, (request, reply) => editPage(request, reply));

  app.post('/admin/adherents/formules/:id', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(PlanForm, request.body);
    if (!form.ok) return editPage(request, reply, form, 422);
    try {
      await service.updatePlan(ctx, request.actor, idOf(request), form.data);
    } catch (error) {
      return editPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'members.flash.planSaved');
    return reply.redirect('/admin/adherents/formules', 303);
  });
}
