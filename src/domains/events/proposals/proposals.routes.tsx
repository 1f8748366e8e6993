/**
 * The member's proposal form with their proposals (`/agenda/proposer`), one proposal's page with its cover
 * (`/agenda/proposer/:id`), and the team's proposals (`/admin/agenda/propositions`). Each handler parses, calls one
 * service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { DeclineForm, ProposalForm } from './proposals.schemas.js';
import * as service from './proposals.service.js';
import { coverRoutes, type CoverFormState } from '../staff/index.js';
import { MyProposalView, ProposalFormView, ProposalsView } from './proposals.views.js';

type Values = Record<string, string | string[] | undefined>;

export async function proposalsRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };
  const idOf = (request: FastifyRequest) => {
    const raw = (request.params as { id: string }).id;
    return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  };

  const form = async (request: FastifyRequest, reply: FastifyReply, values?: Values, errors?: Record<string, string>, status = 200) =>
    renderPage(ctx, request, reply, <ProposalFormView data={await service.getProposalForm(ctx, request.actor)} values={values} errors={errors} />, status);

  app.get('/agenda/proposer', guard, (request, reply) => form(request, reply));
  app.post('/agenda/proposer', guard, async (request, reply) => {
    const parsed = parseForm(ProposalForm, request.body);
    if (!parsed.ok) return form(request, reply, parsed.values, parsed.errors, 422);
    try {
      await service.proposeEvent(ctx, request.actor, parsed.data);
    } catch (error) {
      return form(request, reply, formValues(request.body), fieldErrorsOf(error), statusOf(error));
    }
    setFlash(reply, 'events.proposals.flash.sent');
    return reply.redirect('/agenda/proposer', 303);
  });

  const mine = async (request: FastifyRequest, reply: FastifyReply, cover: Omit<CoverFormState, 'maxBytes'> = {}, status = 200) =>
    renderPage(ctx, request, reply, <MyProposalView data={await service.getMyProposal(ctx, request.actor, idOf(request))} cover={{ maxBytes: ctx.config.documentMaxBytes, ...cover }} />, status);
  app.get('/agenda/proposer/:id', guard, (request, reply) => mine(request, reply));
  await coverRoutes(app, ctx, {
    path: '/agenda/proposer/:id',
    idOf,
    render: mine,
    back: (reply, id, flash) => {
      setFlash(reply, flash);
      return reply.redirect(`/agenda/proposer/${id}`, 303);
    },
  });

  const list = async (request: FastifyRequest, reply: FastifyReply, failed?: { id: number; values: Values; errors: Record<string, string> }, status = 200) =>
    renderPage(ctx, request, reply, <ProposalsView proposals={await service.listProposals(ctx, request.actor)} failed={failed} />, status);

  app.get('/admin/agenda/propositions', guard, (request, reply) => list(request, reply));
  app.post('/admin/agenda/propositions/:id/approuver', guard, async (request, reply) => {
    await service.approveProposal(ctx, request.actor, idOf(request));
    setFlash(reply, 'events.proposals.flash.approved');
    return reply.redirect('/admin/agenda/propositions', 303);
  });
  app.post('/admin/agenda/propositions/:id/refuser', guard, async (request, reply) => {
    const id = idOf(request);
    const parsed = parseForm(DeclineForm, request.body);
    if (!parsed.ok) return list(request, reply, { id, values: parsed.values, errors: parsed.errors }, 422);
    await service.declineProposal(ctx, request.actor, id, parsed.data);
    setFlash(reply, 'events.proposals.flash.declined');
    return reply.redirect('/admin/agenda/propositions', 303);
  });
}
