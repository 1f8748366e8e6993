/** Pure permission checks for the outbox: who reads it and which mails may be sent again. */
import type { Actor } from '../../context.js';
import type { MailState } from '../../db/schema.js';
import { MINUTE } from '../../shared/time.js';

export const MAIL_STATES = ['pending', 'sending', 'sent', 'failed', 'held'] as const satisfies readonly MailState[];

/** Far longer than a delivery can take (SMTP timeouts add up to under a minute, a job's lease is 5). */
export const STUCK_SENDING_AFTER = 15 * MINUTE;

export const canReadOutbox = (actor: Actor) => actor.roles.has('admin');

/**
 * A mail may be sent again when nothing else will send it: kept for want of SMTP, failed for good, or
 * left "sending" by a process that stopped mid-conversation (the receiver may have it already; the resend
 * keeps the same Message-ID so mail systems can recognise it).
 */
export function canResend(mail: { state: MailState; last_attempt_at: Date | null }, now: Date) {
  if (mail.state === 'held' || mail.state === 'failed') return true;
  if (mail.state !== 'sending') return false;
  return !mail.last_attempt_at || now.getTime() - mail.last_attempt_at.getTime() >= STUCK_SENDING_AFTER;
}
