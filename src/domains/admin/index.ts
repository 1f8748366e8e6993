/** The back office's home (/admin): what waits for each role. */
import type { DomainModule } from '../../module.js';
import * as adminI18n from './admin.i18n.js';
import { adminRoutes } from './admin.routes.js';

export const adminModule: DomainModule = {
  name: 'admin',
  catalogues: [adminI18n],
  routes: adminRoutes,
  nav: { admin: [{ href: '/admin', key: 'admin.nav.dashboard', order: 0, roles: ['staff', 'admin', 'space_manager'], exact: true }] },
};
