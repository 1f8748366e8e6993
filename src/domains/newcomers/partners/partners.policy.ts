/**
 * Who may do what with partners: staff manage partner profiles and shares; a partner reaches the partner area.
 * Pure role checks, called before anything is read. Whether a partner sees one given case is not a role question:
 * the service answers it from the household's consent and the live share, at every read.
 */
import type { Actor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { assertSignedIn, canManageCases } from '../newcomers.policy.js';

export const canManagePartners = canManageCases;

export const isPartner = (actor: Actor) => actor.roles.has('partner');

export function assertPartner(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!isPartner(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}
