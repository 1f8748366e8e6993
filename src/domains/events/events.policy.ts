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
