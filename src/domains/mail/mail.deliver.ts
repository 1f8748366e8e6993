/**
 * Delivers one outbox mail (job "mail.deliver"). The mail row's state guards against double sending: it
 * moves pending → sending before the SMTP conversation and sending → sent after it. A crash in between
 * leaves "sending", which is never retried automatically (an admin sees it): a possible lost mail is
 * visible, a duplicate is impossible. The Message-ID is derived from the mail id, so receiving servers
 * can recognise a resend.
 */
import type { AppContext } from '../../context.js';
import type { ClaimedJob } from '../../jobs/queue.js';
import { findOutboxMail, markAttemptFailed, markHeld, markSending, markSent } from './mail.repo.js';
import { smtpTransport } from './mail.transport.js';

export async function deliverMailJob(ctx: AppContext, job: ClaimedJob) {
  const mailId = String(job.payload.mailId ?? '');
  const mail = await findOutboxMail(ctx.db, mailId);
  if (!mail || mail.state === 'sent' || mail.state === 'failed') return;
  if (!ctx.config.smtpUrl) {
    await markHeld(ctx.db, mail.id);
    return;
  }
  if (!(await markSending(ctx.db, mail.id))) return;
  const host = new URL(ctx.config.baseUrl).hostname || 'localhost';
  const messageId = `<${mail.id}@${host}>`;
  try {
    await smtpTransport(ctx.config.smtpUrl).sendMail({
      from: ctx.config.mailFrom,
      to: mail.to_address,
      subject: mail.subject,
      text: mail.text_body,
      html: mail.html_body ?? undefined,
      messageId,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markAttemptFailed(ctx.db, mail.id, message, job.attempts >= job.max_attempts);
    throw error; // the job is retried with backoff
  }
  await markSent(ctx.db, mail.id, messageId, ctx.clock.now());
}
