/**
 * Who may do what with memberships: pure checks, called before anything is read, so a refusal never depends on
 * whether a member exists. The welcome team (staff, admins) runs the members list, decides on applications,
 * records dues and strikes off; admins alone set the plans and the reminder offsets; a member reads their own
 * membership, card and receipts.
 */
import type { Actor } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { can } from '../../shared/roles.js';

export const canManageMembers = (actor: Actor) => can(actor, 'team');
export const canSetUpMembership = (actor: Actor) => can(actor, 'administration');

export function assertSignedIn(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
}

export function assertMemberStaff(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canManageMembers(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

export function assertMembershipAdmin(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canSetUpMembership(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}
