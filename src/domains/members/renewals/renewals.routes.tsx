/** Renewals: the admins' reminder offsets (/admin/adherents/relances) and the member's renewal (/adherer/renouveler). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { OffsetsForm, RenewForm } from './renewals.schemas.js';
import * as service from './renewals.service.js';
import { ReminderSettingsView, RenewView } from './renewals.views.js';

type FormState = { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> };

export async function renewalsRoutes(app: FastifyInstance, ctx: AppContext) {
  const settingsPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState = {}, status = 200) => {
    const data = await service.getReminderSettings(ctx, request.actor);
    return renderPage(ctx, request, reply, <ReminderSettingsView values={form.values ?? { offsets: data.offsets.join(', ') }} errors={form.errors} />, status);
  };

  app.get('/admin/adherents/relances', { preHandler: requireUser }, (request, reply) => settingsPage(request, reply));

  app.post('/admin/adherents/relances', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(OffsetsForm, request.body);
    if (!form.ok) return settingsPage(request, reply, form, 422);
    await service.saveReminderSettings(ctx, request.actor, form.data.offsets);
    setFlash(reply, 'members.flash.remindersSaved');
    return reply.redirect('/admin/adherents/relances', 303);
  });

  const renewPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState = {}, status = 200) => {
    const data = await service.getRenewalForm(ctx, request.actor);
    return renderPage(ctx, request, reply, <RenewView {...data} values={form.values} errors={form.errors} />, status);
  };

  app.get('/adherer/renouveler', { preHandler: requireUser }, (request, reply) => renewPage(request, reply));

  app.post('/adherer/renouveler', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(RenewForm, request.body);
    if (!form.ok) return renewPage(request, reply, form, 422);
    try {
      await service.requestRenewal(ctx, request.actor, form.data.planId);
    } catch (error) {
      return renewPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'members.flash.renewalRequested');
    return reply.redirect('/compte/adhesion', 303);
  });
}
