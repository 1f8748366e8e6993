/** Site search across communes, guide articles and third places (/recherche). Owns no table. */
export { searchRoutes } from './search.routes.js';
export { searchSite } from './search.service.js';
