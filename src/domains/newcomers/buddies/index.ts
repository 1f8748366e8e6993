/** The buddies room (parrainage): members who offer to accompany households, and the pairings staff confirm. */
export * as buddiesI18n from './buddies.i18n.js';
export { buddiesRoutes } from './buddies.routes.js';
export { buddiesCaseSection, buddiesExport, buddiesHouseholdSection } from './buddies.sections.js';
// For the demo content (../newcomers.demo.ts).
export { confirmBuddyPairing, saveMyBuddyOffer } from './buddies.service.js';
export { buddyOptInPoint, type BuddyOptIns } from './buddies.optin.js';
