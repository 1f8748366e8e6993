/**
 * Who may do what with bookings: pure checks written with `can`. The back office (staff, admins and the third
 * place's space managers) manages resources, books on behalf of someone and blocks slots; a resource says who may
 * book it (visitors, members, staff only); members are the accounts holding the `member` role.
 */
import type { Actor } from '../../context.js';
import type { BookingAudienceRule } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { can } from '../../shared/roles.js';

/** Resources, closures, blocks and bookings on someone's behalf: the back office. */
export const canManageBookings = (actor: Pick<Actor, 'roles'>) => can(actor, 'backOffice');

export const isMember = (actor: Pick<Actor, 'roles'>) => actor.roles.has('member');

/** Which rules apply to this person: members' horizon and prices for members and the back office. */
export const audienceOf = (actor: Pick<Actor, 'roles'>): 'member' | 'visitor' => (isMember(actor) || canManageBookings(actor) ? 'member' : 'visitor');

/** Whether this person may book a resource open to `rule`; anonymous visitors only what visitors may book. */
export function mayBook(actor: Pick<Actor, 'roles'>, rule: BookingAudienceRule) {
  if (rule === 'visitors') return true;
  if (rule === 'members') return isMember(actor) || canManageBookings(actor);
  return canManageBookings(actor);
}

export function assertSignedIn(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
}

export function assertBookingStaff(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canManageBookings(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}
