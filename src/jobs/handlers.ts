/** Every job kind the worker knows, mapped to the domain function that runs it. */
import { DELIVER_MAIL_JOB, deliverMailJob } from '../domains/mail/index.js';
import { BACKUP_JOB, backupJob } from './backup.js';
import type { JobHandler } from './worker.js';

export const jobHandlers: Record<string, JobHandler> = {
  [DELIVER_MAIL_JOB]: deliverMailJob,
  [BACKUP_JOB]: backupJob,
};
