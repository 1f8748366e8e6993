/**
 * Who may do what with events: pure checks. The welcome team (staff, admins) runs the agenda. Everybody sees
 * published events; registering depends on the audience: a public event is open to anyone (a visitor through the
 * short form), a members' event to accounts holding the `member` role, a candidates' event to accounts holding
 * `candidate`; the team may register for any. The online link is shown only to someone whose seat is confirmed
 * (and to the team).
 */
import type { Actor } from '../../context.js';
import type { EventAudience, Role } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { can } from '../../shared/roles.js';

export const canManageEvents = (actor: { roles: ReadonlySet<Role> }) => can(actor, 'team');

const AUDIENCE_ROLE: Record<Exclude<EventAudience, 'public'>, Role> = { members: 'member', candidates: 'candidate' };

/** Whether someone holding these roles may register for (and be told the details of) an event of this audience. */
export function audienceAllows(who: { roles: ReadonlySet<Role> }, audience: EventAudience) {
  if (audience === 'public' || canManageEvents(who)) return true;
  return who.roles.has(AUDIENCE_ROLE[audience]);
}

export function assertSignedIn(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
}

export function assertEventStaff(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canManageEvents(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

/** What decides who may change an event's cover: its status and, for a member's proposal, who proposed it. */
export interface CoverOwnership {
  status: string;
  proposed_by: string | null;
  proposal_status: string | null;
}

/** The member whose proposal this is (declined or not): they may see its draft cover and its page of proposals. */
export const isProposer = (actor: Pick<Actor, 'userId' | 'roles'>, event: Pick<CoverOwnership, 'proposed_by'>) =>
  !!actor.userId && event.proposed_by === actor.userId && actor.roles.has('member');

/** Whether a proposal's cover may still change: not once the proposal is declined or the event cancelled. */
export const proposalCoverOpen = (event: Pick<CoverOwnership, 'status' | 'proposal_status'>) => event.proposal_status !== 'declined' && event.status !== 'cancelled';

/**
 * Who may change an event's cover: the team, and the member who proposed the event while the proposal is waiting or
 * published (not once it is declined or the event cancelled). Anyone else is refused, whether the event exists or
 * not, as every other action of the team's agenda refuses them.
 */
export function assertMayChangeCover(actor: Actor, event: CoverOwnership | undefined): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (canManageEvents(actor)) {
    if (!event) throw new AppError('not_found', 'events.notFound');
    return;
  }
  if (!event || !isProposer(actor, event)) throw new AppError('forbidden', 'errors.forbidden.text');
  if (!proposalCoverOpen(event)) throw new AppError('conflict', 'events.proposals.coverClosed');
}
