/**
 * The site's menus, gathered from the modules' manifests at start (src/modules.ts calls `registerNavigation`).
 * The layout and the back-office shell read them here, so they never name a domain's pages.
 */
import type { Role } from '../db/schema.js';
import type { Navigation, NavEntry } from '../module.js';
import { hasAnyRole } from '../shared/roles.js';

const menus: Required<Navigation> = { main: [], account: [], admin: [] };

export function registerNavigation(nav: Navigation) {
  for (const menu of ['main', 'account', 'admin'] as const) {
    for (const entry of nav[menu] ?? []) {
      if (!menus[menu].some((e) => e.href === entry.href)) menus[menu].push(entry);
    }
    menus[menu].sort((a, b) => a.order - b.order);
  }
}

/** The links of a menu this person may see. */
export const menuFor = (menu: keyof Navigation, roles: ReadonlySet<Role>): readonly NavEntry[] =>
  menus[menu].filter((e) => !e.roles || hasAnyRole(roles, e.roles));

/** Whether a menu link points at the page being shown (`path` without its query). */
export const isCurrent = (entry: NavEntry, path: string) => path === entry.href || (!entry.exact && path.startsWith(entry.href + '/'));
