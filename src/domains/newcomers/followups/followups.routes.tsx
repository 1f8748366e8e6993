/**
 * Follow-up check-ins: the household answers on /mon-projet#suivi, staff record an answer taken on the phone from
 * the case page. A form with mistakes comes back with 422, the person's values and a message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { FollowUpAnswerForm } from './followups.schemas.js';
import * as followups from './followups.service.js';
import { MyProjectView } from '../cases/household.views.js';
import * as service from '../cases/cases.service.js';
import { CaseFileView } from '../cases/staff.views.js';

interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}

export async function followupsRoutes(app: FastifyInstance, ctx: AppContext) {
  const myProject = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status: number) => {
    const data = await service.getMyCase(ctx, request.actor);
    return renderPage(ctx, request, reply, <MyProjectView data={data} followUp={form} />, status);
  };

  app.post('/mon-projet/suivi', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(FollowUpAnswerForm, request.body);
    if (!form.ok) return myProject(request, reply, form, 422);
    try {
      await followups.answerMyFollowUp(ctx, request.actor, form.data.followUpId, form.data);
    } catch (error) {
      return myProject(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.followups.flash.thanks');
    return reply.redirect('/mon-projet#suivi', 303);
  });

  const casePage = async (request: FastifyRequest, reply: FastifyReply, id: string, form: FormState, status: number) => {
    const file = await service.getCaseFile(ctx, request.actor, id);
    const forms: Record<string, FormState> = { followUp: form };
    return renderPage(ctx, request, reply, <CaseFileView file={file} forms={forms} />, status);
  };

  app.post('/admin/accueil/:id/suivi', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(FollowUpAnswerForm, request.body);
    if (!form.ok) return casePage(request, reply, id, form, 422);
    try {
      await followups.recordFollowUpByPhone(ctx, request.actor, id, form.data.followUpId, form.data);
    } catch (error) {
      return casePage(request, reply, id, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect(`/admin/accueil/${id}#suivi`, 303);
  });
}
