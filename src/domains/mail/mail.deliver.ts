/**
 * Delivers one outbox mail (job "mail.deliver"). The mail row's state guards against double sending: one
 * atomic update moves it pending → sending before the SMTP conversation, holding it for SENDING_LEASE, and
 * sending → sent after. A failed conversation puts it back to pending and the job retries with backoff.
 * A delivery that dies mid-conversation (a crash, a kill -9) leaves "sending": while its lease runs, another run
 * of the job leaves it alone and looks again later; once the lease has lapsed, the next run takes it over and
 * sends it again with the same Message-ID (derived from the mail id), so receiving systems can recognise a
 * duplicate, and counts the retry for staff to see (the recipient may have had it already).
 */
import type { AppContext } from '../../context.js';
import type { ClaimedJob } from '../../jobs/queue.js';
import { MINUTE } from '../../shared/time.js';
import { findOutboxMail, markAttemptFailed, markHeld, markSending, markSent, retakeLapsedSending } from './mail.repo.js';
import { SMTP_CONVERSATION_MAX_MS, smtpTransport } from './mail.transport.js';

/** Longer than any SMTP conversation can last (its timeouts are bounded), shorter than a job's lease (5 min). */
export const SENDING_LEASE = 3 * MINUTE;
if (SENDING_LEASE <= SMTP_CONVERSATION_MAX_MS) throw new Error('the sending lease must outlast an SMTP conversation');

export const messageIdFor = (mailId: string, baseUrl: string) => `<${mailId}@${new URL(baseUrl).hostname || 'localhost'}>`;

/** Thrown while another delivery holds the mail: the job is tried again after its backoff. */
export class MailBeingSentError extends Error {
  constructor(mailId: string) {
    super(`mail ${mailId} is being sent by another delivery; looked at again later`);
    this.name = 'MailBeingSentError';
  }
}

export async function deliverMailJob(ctx: AppContext, job: ClaimedJob) {
  const mailId = String(job.payload.mailId ?? '');
  const mail = await findOutboxMail(ctx.db, mailId);
  if (!mail || (mail.state !== 'pending' && mail.state !== 'sending')) return;
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + SENDING_LEASE);
  const smtpUrl = ctx.config.smtpUrl;
  if (mail.state === 'sending') {
    if (mail.sending_until && mail.sending_until > now) throw new MailBeingSentError(mail.id);
    if (!(await retakeLapsedSending(ctx.db, mail.id, now, until))) return;
    ctx.log.warn({ mail: mail.id }, 'mail left "sending" by an interrupted delivery: sent again with the same Message-ID');
    if (!smtpUrl) {
      await markHeld(ctx.db, mail.id);
      return;
    }
  } else {
    if (!smtpUrl) {
      await markHeld(ctx.db, mail.id);
      return;
    }
    if (!(await markSending(ctx.db, mail.id, now, until))) return;
  }
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
      attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') })),
      // Tells receiving systems not to answer with vacation replies; a mail one may stop receiving says how, in one
      // click (RFC 8058: the mail client posts to the address, no page to read).
      headers: {
        'Auto-Submitted': 'auto-generated',
        ...(mail.list_unsubscribe ? { 'List-Unsubscribe': `<${mail.list_unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markAttemptFailed(ctx.db, mail.id, message, job.attempts >= job.max_attempts);
    throw error; // the job is retried with backoff
  }
  await markSent(ctx.db, mail.id, messageId, ctx.clock.now());
}
