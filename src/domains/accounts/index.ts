export { accountsRoutes } from './accounts.routes.js';
export { accountsApi } from './accounts.api.js';
export { resolveSession, createAdmin, hashPassword, SESSION_COOKIE, findOrCreateUnverifiedUser, sendAccountLink } from './accounts.service.js';
export { canSeeBackOffice, isStaff, ALL_ROLES } from './accounts.policy.js';
export { insertUser, grantRoles, revokeRoles, findUserByEmail, listUsersWithAnyRole } from './accounts.repo.js';
