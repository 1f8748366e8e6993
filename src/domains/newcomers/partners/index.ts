/** The partners room: partner profiles, cases shared with partners (with the household's consent), the partner area. */
export * as partnersI18n from './partners.i18n.js';
export { partnersRoutes } from './partners.routes.js';
export { partnersCaseSection } from './partners.sections.js';
// For the demo content (../newcomers.demo.ts).
export { addPartnerNote, getSharedCase, loadDemoPartnerProfile, shareCaseWithPartner } from './partners.service.js';
