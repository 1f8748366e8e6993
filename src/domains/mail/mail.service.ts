/**
 * Mail through a transactional outbox (decision 0006): a mail is a row written in the same transaction as
 * the change that causes it, plus a delivery job. If the change rolls back, no mail exists; if SMTP is down,
 * the job retries; without SMTP_URL the mail simply stays in the outbox for admins to read.
 */
import type { Actor, AppContext, Executor } from '../../context.js';
import type { MailState } from '../../db/schema.js';
import { rescheduleJob } from '../../jobs/queue.js';
import { AppError } from '../../shared/app-error.js';
import { tFor, type Locale, type Params } from '../../web/i18n/index.js';
import { recordAudit } from '../audit/index.js';
import { canReadOutbox, canResend } from './mail.policy.js';
import * as repo from './mail.repo.js';
import type { NewMail } from './mail.repo.js';
import { redactSecretsInText } from '../../shared/redact.js';

export const DELIVER_MAIL_JOB = 'mail.deliver';
export const OUTBOX_PAGE_SIZE = 50;

const deliveryKey = (mailId: string) => `mail:${mailId}`;

/** Queues a mail in the caller's transaction (pass the transaction that makes the change). */
export async function queueMail(db: Executor, ctx: AppContext, mail: Omit<NewMail, 'territoryId'> & { territoryId?: number }) {
  const now = ctx.clock.now();
  // The mail and its delivery job in one statement (the job's key is `deliveryKey(id)`).
  return repo.insertOutboxMailWithJob(db, { ...mail, territoryId: mail.territoryId ?? ctx.territory.id }, now, { kind: DELIVER_MAIL_JOB, keyPrefix: deliveryKey('') });
}

export interface TemplatedMail {
  to: string;
  /** The recipient's language. */
  locale: Locale;
  /** Catalogue keys `<template>.subject` and `<template>.body`. */
  template: string;
  /** Placeholders of both texts; `{programme}` is always there. */
  params?: Params;
  /** The link the mail leads to, on a line of its own: a path on this site, or a whole URL (a token link). */
  path?: string;
  link?: string;
  territoryId?: number;
  /** Files sent with it (an event's `.ics`), content as text or bytes. */
  attachments?: { filename: string; contentType: string; content: string | Buffer }[];
  replyTo?: string;
  /** The one-click unsubscribe address, sent as `List-Unsubscribe` (a mail the person may choose not to receive). */
  listUnsubscribe?: string;
}

/** The subject and text of a templated mail as its recipient reads it (queued below, or shown as a preview). */
export function composeTemplatedMail(ctx: AppContext, mail: Pick<TemplatedMail, 'locale' | 'template' | 'params' | 'path' | 'link'>) {
  const t = tFor(mail.locale);
  const p = { programme: ctx.territory.programmeName, ...mail.params };
  const link = mail.link ?? (mail.path === undefined ? undefined : `${ctx.config.baseUrl}${mail.path}`);
  const text = `${[t(`${mail.template}.body`, p), link, t('mail.signature', p)].filter((part) => part !== undefined).join('\n\n')}\n`;
  return { subject: t(`${mail.template}.subject`, p), text };
}

/**
 * Queues a mail written from the catalogue in its recipient's language: the body, the link on its own line, then
 * the programme's signature. Every domain's mails take this shape, so their wording stays in their catalogue.
 */
export function queueTemplatedMail(db: Executor, ctx: AppContext, mail: TemplatedMail) {
  const { subject, text } = composeTemplatedMail(ctx, mail);
  const attachments = mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content).toString('base64') }));
  return queueMail(db, ctx, { to: mail.to, subject, text, territoryId: mail.territoryId, attachments, replyTo: mail.replyTo, listUnsubscribe: mail.listUnsubscribe });
}

/**
 * Several templated mails in one statement with their delivery jobs (a batch of registrations decided in one
 * transaction): each reads as `queueTemplatedMail` would write it.
 */
export function queueTemplatedMails(db: Executor, ctx: AppContext, mails: TemplatedMail[]) {
  const now = ctx.clock.now();
  const rows = mails.map((mail) => {
    const { subject, text } = composeTemplatedMail(ctx, mail);
    const attachments = mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content).toString('base64') }));
    return { to: mail.to, subject, text, territoryId: mail.territoryId ?? ctx.territory.id, attachments, replyTo: mail.replyTo, listUnsubscribe: mail.listUnsubscribe };
  });
  return repo.insertOutboxMailsWithJobs(db, rows, now, { kind: DELIVER_MAIL_JOB, keyPrefix: deliveryKey('') });
}

function checkReader(actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canReadOutbox(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

export async function listOutbox(ctx: AppContext, actor: Actor, opts: { page: number; state?: MailState }) {
  checkReader(actor);
  const { rows, total, byState } = await repo.listOutboxMails(ctx.db, {
    territoryId: actor.territoryId,
    state: opts.state,
    limit: OUTBOX_PAGE_SIZE,
    offset: (opts.page - 1) * OUTBOX_PAGE_SIZE,
  });
  return { rows, total, byState, page: opts.page, pages: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)), smtpConfigured: !!ctx.config.smtpUrl };
}

const notFound = () => new AppError('not_found', 'errors.not_found.text');

export async function getOutboxMail(ctx: AppContext, actor: Actor, id: string | null) {
  checkReader(actor);
  if (!id) throw notFound();
  const mail = await repo.findTerritoryMail(ctx.db, actor.territoryId, id);
  if (!mail) throw notFound();
  // An administrator may resend a mail, not use its one-time link: tokens are masked in what the page shows.
  const shown = { ...mail, text_body: redactSecretsInText(mail.text_body), html_body: mail.html_body === null ? null : redactSecretsInText(mail.html_body) };
  return { mail: shown, resendable: canResend(mail, ctx.clock.now()), smtpConfigured: !!ctx.config.smtpUrl };
}

/** One click sends at most this many held mails, so a long backlog goes out in bounded transactions. */
export const HELD_BATCH = 500;

/**
 * Once SMTP is configured, "Envoyer les courriels retenus" puts every mail kept for want of a server back in the
 * delivery queue (oldest first, in batches of HELD_BATCH). Refused while SMTP is still missing: they would only be
 * held again.
 */
export async function requeueHeldMails(ctx: AppContext, actor: Actor) {
  checkReader(actor);
  if (!ctx.config.smtpUrl) throw new AppError('conflict', 'mail.admin.heldNoSmtp');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const held = await repo.lockHeldMails(trx, actor.territoryId, HELD_BATCH);
    for (const { id } of held) {
      await repo.markPendingAgain(trx, id);
      await rescheduleJob(trx, now, DELIVER_MAIL_JOB, { mailId: id }, deliveryKey(id));
    }
    if (held.length) await recordAudit(trx, ctx, actor, { action: 'mail.held_requeued', subjectType: 'mail', data: { count: held.length } });
    return held.length;
  });
}

/** "Renvoyer": puts a held, failed or interrupted mail back in the delivery queue. */
export async function requeueMail(ctx: AppContext, actor: Actor, id: string | null) {
  checkReader(actor);
  if (!id) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const mail = await repo.findTerritoryMailForUpdate(trx, actor.territoryId, id);
    if (!mail) throw notFound();
    if (!canResend(mail, now)) throw new AppError('conflict', 'mail.admin.notResendable');
    await repo.markPendingAgain(trx, mail.id);
    await rescheduleJob(trx, now, DELIVER_MAIL_JOB, { mailId: mail.id }, deliveryKey(mail.id));
    await recordAudit(trx, ctx, actor, { action: 'mail.requeued', subjectType: 'mail', subjectId: mail.id, data: { from: mail.state, to: mail.to_address } });
    return mail.id;
  });
}

/** A household's personal data is anonymised: its mails waiting in the outbox (and the copies kept there) go too. */
export const discardMailsTo = (db: Executor, territoryId: number, address: string) => repo.deleteMailsTo(db, territoryId, address);
