/** The newcomer journey: household applications and case files. Other domains use only this file. */
export { newcomersRoutes } from './newcomers.routes.js';
export { taskReminderJob } from './newcomers.jobs.js';
export { TASK_REMINDER_JOB } from './newcomers.service.js';
export { canManageCases } from './newcomers.policy.js';
export { loadNewcomersDemo } from './newcomers.demo.js';
export { loadDemoPartnerProfile } from './newcomers.partners.service.js';
export { FOLLOWUP_ROUND_JOB, followUpRoundJob, scheduleFollowUpRound } from './newcomers.followups.service.js';
export { anonymiseCasesPastRetention } from './newcomers.privacy.service.js';
export { loadDemoOffers } from './newcomers.offers.demo.js';
