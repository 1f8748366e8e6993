/** Who may offer to be a buddy: members (the programme's solos), for themselves. Staff pair them with households. */
import type { Actor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { assertSignedIn } from '../newcomers.policy.js';

export const canOfferAsBuddy = (actor: Actor) => actor.roles.has('member');

export function assertMember(actor: Actor): asserts actor is Actor & { userId: string } {
  assertSignedIn(actor);
  if (!canOfferAsBuddy(actor)) throw new AppError('forbidden', 'newcomers.buddies.membersOnly');
}
