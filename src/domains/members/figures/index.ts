/** The figures room: the association counted for the team (/admin/adherents/chiffres) and its CSV. */
export * as figuresI18n from './figures.i18n.js';
export { figuresRoutes } from './figures.routes.js';
