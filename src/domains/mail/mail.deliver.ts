/**
 * Delivers one outbox mail (job "mail.deliver"). The mail row's state guards against double sending: one
 * atomic update moves it pending → sending before the SMTP conversation, and sending → sent after it. A
 * failed conversation puts it back to pending and the job retries with backoff. A crash in the middle leaves
 * "sending", which is never retried by itself (an admin sees it and may resend): a possibly lost mail is
 * visible, a duplicate cannot happen behind anyone's back. The Message-ID is derived from the mail id, so a
 * resend carries the same one and receiving systems can recognise it.
 */
import type { AppContext } from '../../context.js';
import type { ClaimedJob } from '../../jobs/queue.js';
import { findOutboxMail, markAttemptFailed, markHeld, markSending, markSent } from './mail.repo.js';
import { smtpTransport } from './mail.transport.js';

export const messageIdFor = (mailId: string, baseUrl: string) => `<${mailId}@${new URL(baseUrl).hostname || 'localhost'}>`;

export async function deliverMailJob(ctx: AppContext, job: ClaimedJob) {
  const mailId = String(job.payload.mailId ?? '');
  const mail = await findOutboxMail(ctx.db, mailId);
  if (!mail || mail.state !== 'pending') {
    if (mail?.state === 'sending') ctx.log.warn({ mail: mail.id }, 'mail left "sending" by an interrupted delivery: not sent again automatically');
    return;
  }
  const smtpUrl = ctx.config.smtpUrl;
  if (!smtpUrl) {
    await markHeld(ctx.db, mail.id);
    return;
  }
  if (!(await markSending(ctx.db, mail.id, ctx.clock.now()))) return;
  const messageId = messageIdFor(mail.id, ctx.config.baseUrl);
  try {
    await smtpTransport(smtpUrl).sendMail({
      from: ctx.config.mailFrom,
      to: mail.to_address,
      replyTo: mail.reply_to ?? undefined,
      subject: mail.subject,
      text: mail.text_body,
      html: mail.html_body ?? undefined,
      messageId,
      // Tells receiving systems not to answer with vacation replies.
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markAttemptFailed(ctx.db, mail.id, message, job.attempts >= job.max_attempts);
    throw error; // the job is retried with backoff
  }
  await markSent(ctx.db, mail.id, messageId, ctx.clock.now());
}
