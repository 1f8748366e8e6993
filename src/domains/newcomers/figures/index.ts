/** The figures room: the funnel figures of the programme (/admin/accueil/chiffres) and the CSV exports. */
export * as figuresI18n from './figures.i18n.js';
export { figuresRoutes } from './figures.routes.js';
