/** The site's own pages: the home page and the language switch. Owns no table. */
import type { DomainModule } from '../../module.js';
import { siteRoutes } from './site.routes.js';

export const siteModule: DomainModule = {
  name: 'site',
  routes: siteRoutes,
};
