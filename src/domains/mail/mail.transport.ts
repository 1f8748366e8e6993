/** The SMTP side of the outbox: one nodemailer transport per process, built from SMTP_URL. */
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

let cached: { url: string; transport: Transporter } | null = null;

/**
 * Timeouts must reach the SMTP connection itself: given next to a URL string, nodemailer would take them as
 * message defaults and wait minutes on a silent server, longer than a job's lease.
 */
export function smtpTransport(url: string): Transporter {
  if (cached?.url !== url) {
    const transport = new SMTPTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    cached = { url, transport: nodemailer.createTransport(transport) };
  }
  return cached.transport;
}
