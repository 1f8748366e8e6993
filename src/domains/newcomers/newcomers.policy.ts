/**
 * Who may do what with a household's case: pure checks, called by every service before it reads anything, so a
 * refusal never depends on whether the case exists (no 404 that leaks it, no 404 before a 403).
 */
import type { Actor } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { can } from '../../shared/roles.js';

/** The welcome team runs the pipeline; admins can step in. Space managers and partners cannot (partners come later, case by case). */
export const canManageCases = (actor: Actor) => can(actor, 'team');

/** Anyone may apply, signed in or not: the address given decides which account and case it lands on. */
export const canApply = (_actor: Actor) => true;

/** A household sees its own case only: the one whose contact is the signed-in account. */
export const isCaseOwner = (actor: Actor, c: { contact_user_id: string | null }) => actor.userId !== null && actor.userId === c.contact_user_id;

export const canFollowOwnCase = (actor: Actor) => actor.userId !== null;

export const canEditDropReasons = canManageCases;

export function assertSignedIn(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
}

export function assertCaseStaff(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canManageCases(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}
