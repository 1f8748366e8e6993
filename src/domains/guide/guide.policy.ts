/** Pure permission checks for the guide: the welcome team writes, everybody reads what is published. */
import type { Actor } from '../../context.js';

export const canEditGuide = (actor: Actor) => actor.roles.has('staff') || actor.roles.has('admin');

/** Drafts stay with the people who can edit them; anyone else is told the page does not exist. */
export const canReadDrafts = canEditGuide;
