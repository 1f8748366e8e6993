/** The discovery stays room: stays, their programme and seats, households' applications and attendance. */
import { hostApplications, type DecisionHost } from '../../events/index.js';
import { STAY_EVENT_TYPE, stayDecidedLocked } from './stays.service.js';

// Discovery stays are events whose applications are made from the household's case: the agenda points there.
hostApplications('discovery_stay', { href: '/mon-projet#sejours', labelKey: 'newcomers.stays.applyFromProject' });

export * as staysI18n from './stays.i18n.js';
export { staysRoutes } from './stays.routes.js';
export { staysCaseSection, staysExport, staysHouseholdSection } from './stays.sections.js';
// For the demo content (../newcomers.demo.ts).
export { addProgrammeItem, createStay, decideApplication, enrolCase, recordAttendance, updateStay, deleteDemoStays } from './stays.service.js';
// For the case's anonymisation (../privacy).
export { forgetStaysOfCase } from './stays.service.js';
/** The events domain calls it back for every decision on a stay's application, from its pages or this room's. */
export const staysDecisionHost: DecisionHost = { typeKey: STAY_EVENT_TYPE, decided: stayDecidedLocked };
export type { StayInput } from './stays.schemas.js';
export { markAllStaysDemo } from './stays.repo.js';
