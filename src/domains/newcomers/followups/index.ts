/** The follow-ups room: check-ins 1, 6 and 12 months after settling, the daily round that sends them, the answers. */
export * as followupsI18n from './followups.i18n.js';
export { followupsRoutes } from './followups.routes.js';
export { followUpsCaseSection, followUpsExport, followUpsHouseholdSection, scheduleOnSettled } from './followups.sections.js';
export { FOLLOWUP_ROUND_JOB, followUpRoundJob, scheduleFollowUpRound } from './followups.service.js';
// For the anonymisation of a case (privacy room): answered check-ins keep their anonymous answers.
export { forgetFollowUpsOfCase } from './followups.repo.js';
// For the demo content (../newcomers.demo.ts).
export { caseFollowUps, recordFollowUpByPhone } from './followups.service.js';
