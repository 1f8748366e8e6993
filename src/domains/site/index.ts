/**
 * The site's own pages: the home page (its key figures: computed by other domains through `homeHighlightsPoint`,
 * or written by staff with their source), the language switch. Other domains use only this file.
 */
import type { DomainModule } from '../../module.js';
import * as siteI18n from './site.i18n.js';
import { siteRoutes } from './site.routes.js';

export { homeHighlightsPoint, homeSectionsPoint, type HomeHighlight, type HomeHighlightsProvider, type HighlightSource, type HighlightText } from './site.highlights.js';

export const siteModule: DomainModule = {
  name: 'site',
  catalogues: [siteI18n],
  routes: siteRoutes,
  nav: {
    admin: [{ href: '/admin/page-accueil', key: 'site.highlights.nav', order: 45, roles: ['staff', 'admin'] }],
  },
};
