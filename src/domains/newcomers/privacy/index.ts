/** The privacy room: deletion requests, retention dates, the anonymisation of a case (by staff or the nightly purge). */
export * as privacyI18n from './privacy.i18n.js';
export { privacyRoutes } from './privacy.routes.js';
export { recordsCaseSection, recordsExport, recordsHouseholdSection } from './privacy.sections.js';
export { anonymiseCasesPastRetention, eraseCasesOfContact } from './privacy.service.js';
