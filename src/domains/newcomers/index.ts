/** The newcomer journey: household applications and case files. Other domains use only this file. */
export { newcomersRoutes } from './newcomers.routes.js';
export { taskReminderJob } from './newcomers.jobs.js';
export { TASK_REMINDER_JOB } from './newcomers.service.js';
export { canManageCases } from './newcomers.policy.js';
export { loadDemoOffers } from './newcomers.offers.demo.js';
