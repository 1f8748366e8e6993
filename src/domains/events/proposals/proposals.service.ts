/**
 * Members propose events; the team approves (the event is published, the member credited as organiser) or
 * declines with a message. Each change checks the role in here, runs in one transaction with its audit entry and
 * queues the member's mail in it.
 */
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { recordAudit } from '../../audit/index.js';
import { queueTemplatedMail } from '../../mail/index.js';
import { listThirdPlaceChoices } from '../../places/index.js';
import { listCommuneNames } from '../../territory/index.js';
import { whenText } from '../events.common.js';
import { assertEventStaff, proposalCoverOpen } from '../events.policy.js';
import * as events from '../events.repo.js';
import type { EventInput } from '../events.schemas.js';
import { eventValuesOf, freeSlug } from '../staff/index.js';
import { assertCanPropose } from './proposals.policy.js';
import * as repo from './proposals.repo.js';
import type { DeclineInput } from './proposals.schemas.js';

const notFound = () => new AppError('not_found', 'events.proposals.notFound');

/** What the form offers: the visible types, the third places, the communes; and the member's own proposals. Members only. */
export async function getProposalForm(ctx: AppContext, actor: Actor) {
  assertCanPropose(actor);
  const [types, places, communes, mine] = await Promise.all([
    events.listTypes(ctx.db, actor.territoryId),
    listThirdPlaceChoices(ctx),
    listCommuneNames(ctx.db, actor.territoryId),
    repo.listMine(ctx.db, actor.territoryId, actor.userId),
  ]);
  return { types: types.filter((t) => !t.hidden), places, communes, mine };
}

/**
 * One of the member's proposals: where it stands, the team's message, and its cover, which the member may set while
 * the proposal waits or once it is published. Someone else's proposal is "not found".
 */
export async function getMyProposal(ctx: AppContext, actor: Actor, id: number) {
  assertCanPropose(actor);
  const proposal = isRowId(id) ? await repo.findMine(ctx.db, actor.territoryId, actor.userId, id) : undefined;
  if (!proposal) throw notFound();
  return { proposal, coverOpen: proposalCoverOpen(proposal) };
}
export type MyProposal = Awaited<ReturnType<typeof getMyProposal>>;
export type ProposalFormData = Awaited<ReturnType<typeof getProposalForm>>;

/** A member's proposal: a draft, the member as its organiser, waiting for the team. */
export async function proposeEvent(ctx: AppContext, actor: Actor, input: EventInput) {
  assertCanPropose(actor);
  const now = ctx.clock.now();
  if (input.startsAt <= now) throw new AppError('invalid', 'events.proposals.past', { debut: 'events.proposals.past' });
  return ctx.db.transaction().execute(async (trx) => {
    const member = await repo.findMember(trx, actor.userId);
    if (!member) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
    const values = await eventValuesOf(trx, ctx, actor.territoryId, { ...input, organiser: member.display_name.slice(0, 160) });
    const slug = await freeSlug(trx, actor.territoryId, input.title, input.startsAt);
    const row = await events.insertEvent(trx, { ...values, territoryId: actor.territoryId, slug, by: actor.userId, now });
    await repo.markProposed(trx, row.id, actor.userId);
    await recordAudit(trx, ctx, actor, { action: 'event.proposed', subjectType: 'event', subjectId: String(row.id), data: { title: input.title } });
    return row;
  });
}

export type ProposalRow = repo.ProposalRow;

export async function listProposals(ctx: AppContext, actor: Actor) {
  assertEventStaff(actor);
  return repo.listProposals(ctx.db, actor.territoryId);
}

async function decideProposal(ctx: AppContext, actor: Actor, id: number, decision: { approve: true } | { approve: false; message: string }) {
  assertEventStaff(actor);
  if (!isRowId(id)) throw notFound();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const p = await repo.lockProposal(trx, actor.territoryId, id);
    if (!p) throw notFound();
    if (p.proposal_status !== 'pending' || p.status !== 'draft') throw new AppError('conflict', 'events.proposals.decidedAlready');
    const member = p.proposed_by ? await repo.findMember(trx, p.proposed_by) : undefined;
    if (decision.approve) {
      if (p.ends_at <= now) throw new AppError('conflict', 'events.staff.publishPast');
      await events.setEventStatus(trx, id, 'published', now);
      await repo.decide(trx, id, { status: 'approved', message: null, organiser: member?.display_name.slice(0, 160), now });
    } else {
      await repo.decide(trx, id, { status: 'declined', message: decision.message, now });
    }
    if (member) {
      await queueTemplatedMail(trx, ctx, {
        to: member.email,
        locale: member.locale,
        template: decision.approve ? 'events.proposals.mail.approved' : 'events.proposals.mail.declined',
        params: { name: member.display_name, event: p.title, when: whenText(p, member.locale), message: decision.approve ? '' : decision.message },
        path: decision.approve ? `/agenda/${p.slug}` : '/agenda/proposer',
      });
    }
    await recordAudit(trx, ctx, actor, { action: decision.approve ? 'event.proposal.approved' : 'event.proposal.declined', subjectType: 'event', subjectId: String(id) });
  });
  // A published proposal shows on the agenda, the home page and the pages of its place.
  if (decision.approve) ctx.pageCache.clear();
}

export const approveProposal = (ctx: AppContext, actor: Actor, id: number) => decideProposal(ctx, actor, id, { approve: true });
export const declineProposal = (ctx: AppContext, actor: Actor, id: number, input: DeclineInput) => decideProposal(ctx, actor, id, { approve: false, message: input.message });
