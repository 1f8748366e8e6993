/**
 * Role groups and the one question every policy starts from: does this person hold a role of the group?
 * Domain rules (who may see a case, edit a place...) stay in each domain's policy.ts and are written with `can`.
 */
import type { Role } from '../db/schema.js';

export const ROLE_GROUPS = {
  /** The programme's team: welcome staff, with admins able to step in. */
  team: ['staff', 'admin'],
  /** Everyone with a back office: the team and the third place's space managers. */
  backOffice: ['staff', 'admin', 'space_manager'],
  /** People, roles, the audit log and the mail outbox. */
  administration: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type RoleGroup = keyof typeof ROLE_GROUPS;

export const hasAnyRole = (roles: ReadonlySet<Role>, wanted: readonly Role[]) => wanted.some((r) => roles.has(r));

/** True when whoever holds `roles` (an actor, or a page's viewer) belongs to the group. */
export const can = (who: { roles: ReadonlySet<Role> }, group: RoleGroup) => hasAnyRole(who.roles, ROLE_GROUPS[group]);
