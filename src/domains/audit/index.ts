/** The audit log: every use case records who did what (/admin/journal). Other domains use only this file. */
import type { DomainModule } from '../../module.js';
import * as auditI18n from './audit.i18n.js';
import { auditRoutes } from './audit.routes.js';

export { recordAudit, recordAudits, recordAuditsBy, forgetPersonInAudit, type AuditRecord } from './audit.service.js';

export const auditModule: DomainModule = {
  name: 'audit',
  catalogues: [auditI18n],
  routes: auditRoutes,
  nav: { admin: [{ href: '/admin/journal', key: 'admin.nav.audit', order: 20, roles: ['admin'] }] },
};
