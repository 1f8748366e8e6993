/** Who may propose events (members) and who moderates the proposals (the team). Pure checks. */
import type { Actor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';

export const canProposeEvents = (actor: Pick<Actor, 'roles'>) => actor.roles.has('member');

export function assertCanPropose(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canProposeEvents(actor)) throw new AppError('forbidden', 'events.proposals.membersOnly');
}
