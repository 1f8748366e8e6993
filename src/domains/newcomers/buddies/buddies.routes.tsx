/**
 * Pages of buddies (parrainage): the member's own page (/parrainage), the staff list of buddies
 * (/admin/accueil/parrains) and the case page's pairing forms. Each handler parses, calls one service function,
 * renders or redirects; a form with mistakes comes back with 422, the person's values and a message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import * as schemas from './buddies.schemas.js';
import * as buddies from './buddies.service.js';
import { MyBuddyView, StaffBuddiesView } from './buddies.views.js';
import { type FormState, refusedForm, renderCasePage } from '../cases/index.js';

export async function buddiesRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);

  // ------------------------------------------------------------------------------------------- the member's page
  const myPage = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
    const data = await buddies.getMyBuddyPage(ctx, request.actor);
    return page(request, reply, <MyBuddyView data={data} form={form} />, status);
  };

  app.get('/parrainage', { preHandler: requireUser }, (request, reply) => myPage(request, reply));

  app.post('/parrainage', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.BuddyOfferForm, request.body);
    if (!form.ok) return myPage(request, reply, form, 422);
    try {
      await buddies.saveMyBuddyOffer(ctx, request.actor, form.data);
    } catch (error) {
      return myPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/parrainage', 303);
  });

  app.post('/parrainage/retrait', { preHandler: requireUser }, async (request, reply) => {
    await buddies.withdrawMyBuddyOffer(ctx, request.actor);
    setFlash(reply, 'newcomers.buddies.flash.withdrawn');
    return reply.redirect('/parrainage', 303);
  });

  // ------------------------------------------------------------------------------------------- staff: every buddy
  const staffPage = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
    const data = await buddies.listBuddiesForStaff(ctx, request.actor);
    return page(request, reply, <StaffBuddiesView data={data} form={form} />, status);
  };

  app.get('/admin/accueil/parrains', { preHandler: requireUser }, (request, reply) => staffPage(request, reply));

  app.post('/admin/accueil/parrains', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.MarkBuddyForm, request.body);
    if (!form.ok) return staffPage(request, reply, form, 422);
    try {
      await buddies.markMemberAsBuddy(ctx, request.actor, form.data);
    } catch (error) {
      return staffPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/admin/accueil/parrains', 303);
  });

  app.post('/admin/accueil/parrains/:userId/retrait', { preHandler: requireUser }, async (request, reply) => {
    await buddies.unmarkBuddy(ctx, request.actor, (request.params as { userId: string }).userId);
    setFlash(reply, 'newcomers.buddies.flash.unmarked');
    return reply.redirect('/admin/accueil/parrains', 303);
  });

  // ------------------------------------------------------------------------------------------- the case page
  const casePage = (request: FastifyRequest, reply: FastifyReply, id: string, form: FormState, status: number) => renderCasePage(ctx, request, reply, id, { buddy: form }, status);

  app.post('/admin/accueil/:id/parrainage', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(schemas.PairingForm, request.body);
    if (!form.ok) return casePage(request, reply, id, form, 422);
    try {
      await buddies.confirmBuddyPairing(ctx, request.actor, id, form.data.buddyId);
    } catch (error) {
      const refused = refusedForm(request, error);
      return casePage(request, reply, id, refused.form, refused.status);
    }
    setFlash(reply, 'newcomers.buddies.flash.paired');
    return reply.redirect(`/admin/accueil/${id}#parrainage`, 303);
  });

  app.post('/admin/accueil/:id/parrainage/fin', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      await buddies.endBuddyPairing(ctx, request.actor, id);
    } catch (error) {
      return casePage(request, reply, id, { errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.buddies.flash.ended');
    return reply.redirect(`/admin/accueil/${id}#parrainage`, 303);
  });
}
