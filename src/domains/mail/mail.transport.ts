/** The SMTP side of the outbox: one nodemailer transport per process, built from SMTP_URL. */
import nodemailer, { type Transporter } from 'nodemailer';

let cached: { url: string; transport: Transporter } | null = null;

export function smtpTransport(url: string): Transporter {
  if (cached?.url !== url) {
    cached = {
      url,
      transport: nodemailer.createTransport(url, {
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      } as never),
    };
  }
  return cached.transport;
}
