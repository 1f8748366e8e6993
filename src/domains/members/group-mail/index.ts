/** The group mail room: the team writes to a filtered group of members; members unsubscribe in one click or from their page. */
export * as groupMailI18n from './group-mail.i18n.js';
export { groupMailRoutes } from './group-mail.routes.js';
export { unsubscribePath } from './group-mail.service.js';
