/** Pure permission checks for third places: the welcome team and the third-place manager curate them. */
import type { Actor } from '../../context.js';

export const canEditPlaces = (actor: Actor) => actor.roles.has('staff') || actor.roles.has('admin') || actor.roles.has('space_manager');

export const canReadDraftPlaces = canEditPlaces;
