/** People, sessions and roles per territory. Other domains use only this file. */
import type { DomainModule } from '../../module.js';
import * as accountsI18n from './accounts.i18n.js';
import { accountsApi } from './accounts.api.js';
import { disableDemo, loadDemoAccounts, removeDemo } from './accounts.demo.js';
import { accountsRoutes } from './accounts.routes.js';
import { exportAccountData, resolveSession, SESSION_COOKIE } from './accounts.service.js';
import { startSessionCache } from './accounts.session-cache.js';

export { resolveSession, createAdmin, hashPassword, SESSION_COOKIE, findOrCreateUnverifiedUser, findOrCreateUnverifiedUsers, sendAccountLink } from './accounts.service.js';
export { canSeeBackOffice, isStaff, ALL_ROLES } from './accounts.policy.js';
export { insertUser, grantRoles, grantRolesToUsers, revokeRoles, findUserByEmail, listUsersWithAnyRole, markDemoAccounts } from './accounts.repo.js';
export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.demo.js';
export { sessionCacheOf } from './accounts.session-cache.js';

export const accountsModule: DomainModule = {
  name: 'accounts',
  catalogues: [accountsI18n],
  routes: accountsRoutes,
  api: accountsApi,
  session: { cookie: SESSION_COOKIE, resolve: resolveSession, start: startSessionCache },
  nav: { admin: [{ href: '/admin/utilisateurs', key: 'admin.nav.users', order: 10, roles: ['admin'] }] },
  // First in the list's order: every other domain's demo content finds the demo people by e-mail.
  demo: loadDemoAccounts,
  demoDisable: disableDemo,
  demoRemove: removeDemo,
  personalData: { export: exportAccountData },
};
