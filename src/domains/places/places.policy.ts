/** Pure permission checks for third places: the welcome team and the third-place manager curate them. */
import type { Actor } from '../../context.js';
import { can } from '../../shared/roles.js';

export const canEditPlaces = (actor: Actor) => can(actor, 'backOffice');

export const canReadDraftPlaces = canEditPlaces;
