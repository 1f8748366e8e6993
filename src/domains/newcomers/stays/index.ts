/** The discovery stays room: stays, their programme and seats, households' applications and attendance. */
export * as staysI18n from './stays.i18n.js';
export { staysRoutes } from './stays.routes.js';
export { staysCaseSection, staysExport, staysHouseholdSection } from './stays.sections.js';
// For the demo content (../newcomers.demo.ts).
export { addProgrammeItem, createStay, decideApplication, enrolCase, recordAttendance, updateStay } from './stays.service.js';
export type { StayInput } from './stays.schemas.js';
export { deleteDemoStays, markAllStaysDemo } from './stays.repo.js';
