/**
 * Joining: the public application (/adherer, rate-limited), the statutes and privacy notice it links to, and the
 * team's decisions on the member page (approve, decline, strike off). A refused decision shows the member page
 * again with the message next to its field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage, renderPublicPage } from '../../../web/render.js';
import { renderStaffMemberPage } from '../members.pages.js';
import { ApplicationForm, DecisionForm, DeclineForm, StrikeOffForm } from './joining.schemas.js';
import * as service from './joining.service.js';
import { JoinSentView, JoinView, PrivacyView, StatutesView } from './joining.views.js';

type FormState = { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> };

export async function joiningRoutes(app: FastifyInstance, ctx: AppContext) {
  const limited = { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } };

  const joinPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState = {}, status = 200) => {
    const data = await service.getApplicationForm(ctx, request.actor);
    return renderPage(ctx, request, reply, <JoinView {...data} values={form.values} errors={form.errors} signedInEmail={request.user?.email} />, status);
  };

  app.get('/adherer', (request, reply) => joinPage(request, reply));

  app.post('/adherer', { config: limited }, async (request, reply) => {
    const body = { ...(request.body as Record<string, unknown>), ...(request.user ? { email: request.user.email } : {}) };
    const form = parseForm(ApplicationForm, body);
    if (!form.ok) return joinPage(request, reply, form, 422);
    try {
      await service.applyForMembership(ctx, request.actor, form.data, request.locale);
    } catch (error) {
      // The address's owner was told by mail; the page says what it says for a new address.
      if (error instanceof service.OwnerToldByMail) return reply.redirect('/adherer/merci', 303);
      return joinPage(request, reply, { values: formValues(body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    return reply.redirect('/adherer/merci', 303);
  });

  app.get('/adherer/merci', (request, reply) => renderPage(ctx, request, reply, <JoinSentView />));
  app.get('/adherer/statuts', (request, reply) => renderPublicPage(ctx, request, reply, () => <StatutesView />));
  app.get('/adherer/confidentialite', (request, reply) => renderPublicPage(ctx, request, reply, () => <PrivacyView />));

  // ------------------------------------------------------------------------------------------- the team's decisions
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.post('/admin/adherents/:id/approuver', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    const form = parseForm(DecisionForm, request.body);
    if (!form.ok) return renderStaffMemberPage(ctx, request, reply, id, { decision: form }, 422);
    await service.approveApplication(ctx, request.actor, id, form.data.message);
    setFlash(reply, 'members.flash.approved');
    return reply.redirect(`/admin/adherents/${id}`, 303);
  });

  app.post('/admin/adherents/:id/refuser', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    const form = parseForm(DeclineForm, request.body);
    if (!form.ok) return renderStaffMemberPage(ctx, request, reply, id, { decision: form }, 422);
    try {
      await service.declineApplication(ctx, request.actor, id, form.data.message);
    } catch (error) {
      return renderStaffMemberPage(ctx, request, reply, id, { decision: { values: formValues(request.body), errors: fieldErrorsOf(error) } }, statusOf(error));
    }
    setFlash(reply, 'members.flash.declined');
    return reply.redirect(`/admin/adherents/${id}`, 303);
  });

  app.post('/admin/adherents/:id/radier', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    const form = parseForm(StrikeOffForm, request.body);
    if (!form.ok) return renderStaffMemberPage(ctx, request, reply, id, { strikeOff: form }, 422);
    try {
      await service.strikeOffMember(ctx, request.actor, id, form.data.reason);
    } catch (error) {
      return renderStaffMemberPage(ctx, request, reply, id, { strikeOff: { values: formValues(request.body), errors: fieldErrorsOf(error) } }, statusOf(error));
    }
    setFlash(reply, 'members.flash.struckOff');
    return reply.redirect(`/admin/adherents/${id}`, 303);
  });
}
