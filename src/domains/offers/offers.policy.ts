/**
 * Who may do what with offers: pure checks, called before anything is read, so a refusal never depends on whether
 * an offer exists. Everybody reads published offers; the welcome team writes, publishes and withdraws them and
 * sees the seller's contact; partners propose offers and edit their own until the team publishes them; a
 * household that applied says it is interested.
 */
import type { Actor } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { can } from '../../shared/roles.js';

/** The welcome team runs the marketplace, as it runs the cases. */
export const canManageOffers = (actor: Actor) => can(actor, 'team');

export const canProposeOffers = (actor: Actor) => actor.roles.has('partner');

/** A partner edits its own proposal, and only while the team has not published it. */
export const canEditProposal = (actor: Actor, offer: { proposed_by: string | null; status: string }) =>
  canProposeOffers(actor) && actor.userId !== null && offer.proposed_by === actor.userId && offer.status === 'proposed';

export function assertSignedIn(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
}

export function assertOfferStaff(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canManageOffers(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

export function assertPartner(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canProposeOffers(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}
