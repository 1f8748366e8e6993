/**
 * Partners' pages: staff describe partners (/admin/accueil/partenaires) and share a case from its page; a partner
 * sees the cases shared with it at /partenaire, outside the back office. Each handler parses, calls one service
 * function, renders or redirects; a form with mistakes comes back with 422, the values and a message per field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import * as schemas from './partners.schemas.js';
import * as service from './partners.service.js';
import { PartnerEditView, PartnerHomeView, PartnersListView, SharedCaseView, type FormState } from './partners.views.js';
import { EmptyForm, refusedForm, renderCasePage } from '../cases/index.js';

export async function partnersRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);
  const guard = { preHandler: requireUser };

  // ------------------------------------------------------------------------------------------- staff: profiles
  app.get('/admin/accueil/partenaires', guard, async (request, reply) => page(request, reply, <PartnersListView rows={await service.listPartnersForStaff(ctx, request.actor)} />));

  const editPage = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
    const partner = await service.getPartnerForStaff(ctx, request.actor, (request.params as { userId: string }).userId);
    return page(request, reply, <PartnerEditView partner={partner} form={form} />, status);
  };

  app.get('/admin/accueil/partenaires/:userId', guard, (request, reply) => editPage(request, reply));

  app.post('/admin/accueil/partenaires/:userId', guard, async (request, reply) => {
    const form = parseForm(schemas.PartnerProfileForm, request.body);
    if (!form.ok) return editPage(request, reply, form, 422);
    try {
      await service.savePartnerProfile(ctx, request.actor, (request.params as { userId: string }).userId, form.data);
    } catch (error) {
      return editPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/admin/accueil/partenaires', 303);
  });

  // ------------------------------------------------------------------------------------------- staff: sharing a case
  // A mistake shows the case page again, with the message in its partners section.
  const casePage = (request: FastifyRequest, reply: FastifyReply, form: FormState, status: number) =>
    renderCasePage(ctx, request, reply, (request.params as { id: string }).id, { partners: form }, status);
  const backToCase = (id: string) => `/admin/accueil/${id}#partenaires`;

  app.post('/admin/accueil/:id/partenaires', guard, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(schemas.ShareForm, request.body);
    if (!form.ok) return casePage(request, reply, form, 422);
    let outcome: { shared: boolean };
    try {
      outcome = await service.shareCaseWithPartner(ctx, request.actor, id, form.data.partnerId);
    } catch (error) {
      const refused = refusedForm(request, error);
      return casePage(request, reply, refused.form, refused.status);
    }
    setFlash(reply, outcome.shared ? 'newcomers.partners.flash.shared' : 'newcomers.partners.flash.alreadyShared');
    return reply.redirect(backToCase(id), 303);
  });

  app.post('/admin/accueil/:id/partenaires/:partnerId/retrait', guard, async (request, reply) => {
    const { id, partnerId } = request.params as { id: string; partnerId: string };
    const form = parseForm(EmptyForm, request.body);
    if (!form.ok) return casePage(request, reply, form, 422);
    await service.revokeCaseShare(ctx, request.actor, id, partnerId);
    setFlash(reply, 'newcomers.partners.flash.revoked');
    return reply.redirect(backToCase(id), 303);
  });

  // ------------------------------------------------------------------------------------------- the partner area
  app.get('/partenaire', guard, async (request, reply) => page(request, reply, <PartnerHomeView data={await service.listMySharedCases(ctx, request.actor)} />));

  const sharedPage = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
    const data = await service.getSharedCase(ctx, request.actor, (request.params as { id: string }).id);
    reply.header('cache-control', 'no-store');
    return page(request, reply, <SharedCaseView data={data} form={form} />, status);
  };

  app.get('/partenaire/dossiers/:id', guard, (request, reply) => sharedPage(request, reply));

  app.post('/partenaire/dossiers/:id/notes', guard, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(schemas.PartnerNoteForm, request.body);
    if (!form.ok) return sharedPage(request, reply, form, 422);
    await service.addPartnerNote(ctx, request.actor, id, form.data.body);
    setFlash(reply, 'newcomers.partners.flash.noteAdded');
    return reply.redirect(`/partenaire/dossiers/${id}#notes`, 303);
  });
}
