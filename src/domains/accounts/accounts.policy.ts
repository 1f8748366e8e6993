/** Pure permission checks for accounts: who may manage people and roles. */
import type { Actor } from '../../context.js';
import type { Role } from '../../db/schema.js';
import { can } from '../../shared/roles.js';

export const ALL_ROLES: readonly Role[] = ['candidate', 'member', 'staff', 'space_manager', 'partner', 'admin'];

/** Roles an admin hands out by invitation (candidates and members come through their own applications). */
export const INVITABLE_ROLES: readonly Role[] = ['staff', 'space_manager', 'partner', 'admin', 'member'];

export const canManageUsers = (actor: Actor) => actor.roles.has('admin');
export const isStaff = (actor: Actor) => can(actor, 'team');
export const canSeeBackOffice = (actor: Actor) => can(actor, 'backOffice');
