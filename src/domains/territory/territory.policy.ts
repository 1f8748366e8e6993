/** Pure permission checks for the territory guide. Reading is public; changing figures is the welcome team's job. */
import type { Actor } from '../../context.js';

/** Correct a figure, enter a comparison price: staff and admins. */
export const canCorrectFigures = (actor: Actor) => actor.userId !== null && (actor.roles.has('staff') || actor.roles.has('admin'));

/** Import a data file (DVF): staff and admins, or the command line, which acts as an administrator. */
export const canImportData = (actor: Actor) => actor.roles.has('staff') || actor.roles.has('admin');

/** The command line (npm run import:dvf) acts with administrator rights and no account. */
export const commandLineActor = (territoryId: number): Actor => ({ userId: null, territoryId, roles: new Set(['admin']) });
