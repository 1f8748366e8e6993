/** Every job kind the worker knows, mapped to the function that runs it. */
import { DELIVER_MAIL_JOB, deliverMailJob } from '../domains/mail/index.js';
import { FOLLOWUP_ROUND_JOB, followUpRoundJob, TASK_REMINDER_JOB, taskReminderJob } from '../domains/newcomers/index.js';
import { BACKUP_JOB, backupJob } from './backup.js';
import { PURGE_JOB, purgeJob } from './maintenance.js';
import type { JobHandler } from './worker.js';

export const jobHandlers: Record<string, JobHandler> = {
  [DELIVER_MAIL_JOB]: deliverMailJob,
  [PURGE_JOB]: purgeJob,
  [BACKUP_JOB]: backupJob,
  [TASK_REMINDER_JOB]: taskReminderJob,
  [FOLLOWUP_ROUND_JOB]: followUpRoundJob,
};
