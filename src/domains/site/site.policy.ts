/** Pure permission checks for the site's own pages: the welcome team writes the home page's highlights. */
import type { Actor } from '../../context.js';
import { can } from '../../shared/roles.js';

export const canEditHomePage = (actor: Actor) => actor.userId !== null && can(actor, 'team');
