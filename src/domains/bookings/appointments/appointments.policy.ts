/**
 * Who advises: the programme's team (`ROLE_GROUPS.team`: staff and admins) publishes creator-support slots and
 * records what happened; each slot names its adviser (the person who published it). No separate role: the team is
 * small and anyone in it may meet a creator.
 */
import type { Actor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { can } from '../../../shared/roles.js';

export const isAdviser = (actor: Pick<Actor, 'roles'>) => can(actor, 'team');

export function assertAdviser(actor: Actor): asserts actor is Actor & { userId: string } {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!isAdviser(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}
