/** The SMTP side of the outbox: one nodemailer transport per process, built from SMTP_URL. */
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

let cached: { url: string; transport: Transporter } | null = null;

/**
 * Bounds on one SMTP conversation. A silent server costs one mail-lane slot at most CONNECT + GREETING before the
 * attempt fails and is retried with backoff; a server that stalls mid-conversation is cut after SOCKET of silence.
 */
export const SMTP_TIMEOUTS = { dnsTimeout: 5_000, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 } as const;

/** An upper bound of a conversation's length, for the "sending" lease (mail.deliver.ts) to outlast. */
export const SMTP_CONVERSATION_MAX_MS = SMTP_TIMEOUTS.dnsTimeout + SMTP_TIMEOUTS.connectionTimeout + SMTP_TIMEOUTS.greetingTimeout + 4 * SMTP_TIMEOUTS.socketTimeout;

/**
 * Timeouts must reach the SMTP connection itself: given next to a URL string, nodemailer would take them as
 * message defaults and wait minutes on a silent server, longer than a job's lease.
 */
export function smtpTransport(url: string): Transporter {
  if (cached?.url !== url) {
    const transport = new SMTPTransport({ url, ...SMTP_TIMEOUTS });
    cached = { url, transport: nodemailer.createTransport(transport) };
  }
  return cached.transport;
}
