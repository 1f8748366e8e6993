/** Pure permission checks for the audit log. */
import type { Actor } from '../../context.js';

/** The log shows every person's actions: the programme's lead reads it, nobody else. */
export const canReadAudit = (actor: Actor) => actor.roles.has('admin');
