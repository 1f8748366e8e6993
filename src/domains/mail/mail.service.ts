/**
 * Mail through a transactional outbox (decision 0006): a mail is a row written in the same transaction as
 * the change that causes it, plus a delivery job. If the change rolls back, no mail exists; if SMTP is down,
 * the job retries; without SMTP_URL the mail simply stays in the outbox for admins to read.
 */
import type { AppContext, Executor } from '../../context.js';
import { enqueueJob } from '../../jobs/queue.js';
import { insertOutboxMail, type NewMail } from './mail.repo.js';

export const DELIVER_MAIL_JOB = 'mail.deliver';

export async function queueMail(db: Executor, ctx: AppContext, mail: Omit<NewMail, 'territoryId'> & { territoryId?: number | null }) {
  const now = ctx.clock.now();
  const id = await insertOutboxMail(db, { territoryId: ctx.territory.id, ...mail }, now);
  await enqueueJob(db, now, DELIVER_MAIL_JOB, { mailId: id }, { dedupeKey: `mail:${id}` });
  return id;
}
