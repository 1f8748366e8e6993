/** The card room: the member card and its public verification. The others use only this file. */
export { cardRoutes } from './card.routes.js';
export { getMyCard, verifyCard, verificationUrl } from './card.service.js';
export * as cardI18n from './card.i18n.js';
