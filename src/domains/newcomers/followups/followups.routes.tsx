/**
 * Follow-up check-ins: the household answers on /mon-projet#suivi, staff record an answer taken on the phone from
 * the case page. A form with mistakes comes back with 422, the person's values and a message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { parseForm } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { type FormState, refusedForm, renderCasePage, renderMyProject } from '../cases/index.js';
import { FollowUpAnswerForm } from './followups.schemas.js';
import * as followups from './followups.service.js';

export async function followupsRoutes(app: FastifyInstance, ctx: AppContext) {
  const myProject = (request: FastifyRequest, reply: FastifyReply, form: FormState, status: number) => renderMyProject(ctx, request, reply, { followUp: form }, status);

  app.post('/mon-projet/suivi', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(FollowUpAnswerForm, request.body);
    if (!form.ok) return myProject(request, reply, form, 422);
    try {
      await followups.answerMyFollowUp(ctx, request.actor, form.data.followUpId, form.data);
    } catch (error) {
      const refused = refusedForm(request, error);
      return myProject(request, reply, refused.form, refused.status);
    }
    setFlash(reply, 'newcomers.followups.flash.thanks');
    return reply.redirect('/mon-projet#suivi', 303);
  });

  const casePage = (request: FastifyRequest, reply: FastifyReply, id: string, form: FormState, status: number) => renderCasePage(ctx, request, reply, id, { followUp: form }, status);

  app.post('/admin/accueil/:id/suivi', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(FollowUpAnswerForm, request.body);
    if (!form.ok) return casePage(request, reply, id, form, 422);
    try {
      await followups.recordFollowUpByPhone(ctx, request.actor, id, form.data.followUpId, form.data);
    } catch (error) {
      const refused = refusedForm(request, error);
      return casePage(request, reply, id, refused.form, refused.status);
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect(`/admin/accueil/${id}#suivi`, 303);
  });
}
