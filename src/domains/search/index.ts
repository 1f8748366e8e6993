/** Site search across communes, guide articles and third places (/recherche). Owns no table. */
import type { DomainModule } from '../../module.js';
import * as searchI18n from './search.i18n.js';
import { searchRoutes } from './search.routes.js';

export { searchSite } from './search.service.js';

export const searchModule: DomainModule = {
  name: 'search',
  catalogues: [searchI18n],
  routes: searchRoutes,
};
