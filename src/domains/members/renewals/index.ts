/** The renewals room: reminder offsets, the daily reminder round, the member's renewal. The others use only this file. */
export { renewalsRoutes } from './renewals.routes.js';
export { MAX_LATENESS_DAYS, REMINDER_ROUND_JOB, dueOffset, reminderRoundJob, requestRenewal, runReminderRound, saveReminderSettings, scheduleReminderRound } from './renewals.service.js';
export * as renewalsI18n from './renewals.i18n.js';
