/**
 * Offer pages: the public list and page (/offres, cached for anonymous visitors), the household's "this offer
 * interests me", the team's back office (/admin/offres) and the partners' proposals (/partenaire/offres, outside
 * /admin, which partners may not open). Each handler parses, calls one service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../context.js';
import { setFlash } from '../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../web/forms.js';
import { requireUser } from '../../web/guards.js';
import { renderPage, renderPublicPage } from '../../web/render.js';
import { AdminOfferQuery, type OfferInput, OfferForm, offerIdOf, PublicOfferQuery } from './offers.schemas.js';
import * as service from './offers.service.js';
import {
  OfferGoneView,
  OffersListView,
  OfferView,
  PartnerOfferFormView,
  PartnerOffersView,
  StaffOfferFormView,
  StaffOffersListView,
  StaffOfferView,
} from './offers.views.js';

type FormState = { values?: Record<string, string | string[]>; errors?: Record<string, string> };

export async function offersRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);
  const idOf = (request: FastifyRequest) => offerIdOf((request.params as { id: string }).id);

  // ------------------------------------------------------------------------------------------- public
  app.get('/offres', (request, reply) => {
    const query = PublicOfferQuery.parse(request.query ?? {});
    return renderPublicPage(
      ctx,
      request,
      reply,
      async () => <OffersListView {...(await service.listLiveOffers(ctx, query))} query={query} />,
      { ...query, page: query.page > 1 ? query.page : undefined },
    );
  });

  app.get('/offres/:id', async (request, reply) => {
    const { offer, available, viewer } = await service.getLiveOffer(ctx, request.actor, idOf(request));
    if (!available) return page(request, reply, <OfferGoneView title={offer.title} />, 410);
    return renderPublicPage(ctx, request, reply, () => <OfferView offer={offer} viewer={viewer} />);
  });

  app.post('/offres/:id/interet', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    const { created } = await service.markInterest(ctx, request.actor, id);
    setFlash(reply, created ? 'newcomers.offers.flash.interest' : 'newcomers.offers.flash.interestAgain');
    return reply.redirect(`/offres/${id}#interet`, 303);
  });

  // ------------------------------------------------------------------------------------------- the team
  app.get('/admin/offres', { preHandler: requireUser }, async (request, reply) => {
    const query = AdminOfferQuery.parse(request.query ?? {});
    const data = await service.listOffersForStaff(ctx, request.actor, query);
    return page(request, reply, <StaffOffersListView {...data} query={query} />);
  });

  const staffForm = async (request: FastifyRequest, reply: FastifyReply, id: number | undefined, form: FormState = {}, status = 200) => {
    const data = await service.getOfferFormForStaff(ctx, request.actor, id);
    const action = id === undefined ? '/admin/offres/nouvelle' : `/admin/offres/${id}/modifier`;
    return page(request, reply, <StaffOfferFormView action={action} values={form.values ?? data.values} errors={form.errors} communes={data.communes} editing={id !== undefined} />, status);
  };

  /** Parses the form, runs the change, shows the form again with the person's values and errors when it fails. */
  const submit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    again: (form: FormState, status: number) => Promise<unknown>,
    run: (input: OfferInput) => Promise<unknown>,
    done: () => { flash: string; to: string },
  ) => {
    const form = parseForm(OfferForm, request.body);
    if (!form.ok) return again({ values: form.values as FormState['values'], errors: form.errors }, 422);
    try {
      await run(form.data);
    } catch (error) {
      return again({ values: formValues(request.body) as FormState['values'], errors: fieldErrorsOf(error) }, statusOf(error));
    }
    const next = done();
    setFlash(reply, next.flash);
    return reply.redirect(next.to, 303);
  };

  app.get('/admin/offres/nouvelle', { preHandler: requireUser }, (request, reply) => staffForm(request, reply, undefined));

  app.post('/admin/offres/nouvelle', { preHandler: requireUser }, async (request, reply) => {
    let id = 0;
    return submit(
      request,
      reply,
      (form, status) => staffForm(request, reply, undefined, form, status),
      async (input) => {
        id = (await service.createOffer(ctx, request.actor, input)).id;
      },
      () => ({ flash: 'newcomers.offers.flash.saved', to: `/admin/offres/${id}` }),
    );
  });

  app.get('/admin/offres/:id', { preHandler: requireUser }, async (request, reply) => {
    const data = await service.getOfferForStaff(ctx, request.actor, idOf(request));
    return page(request, reply, <StaffOfferView {...data} />);
  });

  app.get('/admin/offres/:id/modifier', { preHandler: requireUser }, (request, reply) => staffForm(request, reply, idOf(request)));

  app.post('/admin/offres/:id/modifier', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    return submit(
      request,
      reply,
      (form, status) => staffForm(request, reply, id, form, status),
      (input) => service.updateOffer(ctx, request.actor, id, input),
      () => ({ flash: 'newcomers.offers.flash.saved', to: `/admin/offres/${id}` }),
    );
  });

  app.post('/admin/offres/:id/publier', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    await service.publishOffer(ctx, request.actor, id);
    setFlash(reply, 'newcomers.offers.flash.published');
    return reply.redirect(`/admin/offres/${id}`, 303);
  });

  app.post('/admin/offres/:id/retirer', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    await service.withdrawOffer(ctx, request.actor, id);
    setFlash(reply, 'newcomers.offers.flash.withdrawn');
    return reply.redirect(`/admin/offres/${id}`, 303);
  });

  // ------------------------------------------------------------------------------------------- partners
  app.get('/partenaire/offres', { preHandler: requireUser }, async (request, reply) => {
    const data = await service.listOwnProposals(ctx, request.actor);
    return page(request, reply, <PartnerOffersView {...data} />);
  });

  const partnerForm = async (request: FastifyRequest, reply: FastifyReply, id: number | undefined, form: FormState = {}, status = 200) => {
    const data = await service.getProposalForm(ctx, request.actor, id);
    const action = id === undefined ? '/partenaire/offres/nouvelle' : `/partenaire/offres/${id}/modifier`;
    return page(request, reply, <PartnerOfferFormView action={action} values={form.values ?? data.values} errors={form.errors} communes={data.communes} editing={id !== undefined} />, status);
  };

  app.get('/partenaire/offres/nouvelle', { preHandler: requireUser }, (request, reply) => partnerForm(request, reply, undefined));

  app.post('/partenaire/offres/nouvelle', { preHandler: requireUser }, (request, reply) =>
    submit(
      request,
      reply,
      (form, status) => partnerForm(request, reply, undefined, form, status),
      (input) => service.proposeOffer(ctx, request.actor, input),
      () => ({ flash: 'newcomers.offers.flash.proposed', to: '/partenaire/offres' }),
    ),
  );

  app.get('/partenaire/offres/:id/modifier', { preHandler: requireUser }, (request, reply) => partnerForm(request, reply, idOf(request)));

  app.post('/partenaire/offres/:id/retirer', { preHandler: requireUser }, async (request, reply) => {
    await service.withdrawProposal(ctx, request.actor, idOf(request));
    setFlash(reply, 'newcomers.offers.flash.proposalWithdrawn');
    return reply.redirect('/partenaire/offres', 303);
  });

  app.post('/partenaire/offres/:id/modifier', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    return submit(
      request,
      reply,
      (form, status) => partnerForm(request, reply, id, form, status),
      (input) => service.updateProposal(ctx, request.actor, id, input),
      () => ({ flash: 'newcomers.offers.flash.saved', to: '/partenaire/offres' }),
    );
  });
}
