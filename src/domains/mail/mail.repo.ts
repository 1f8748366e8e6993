import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { MailAttachment, MailState } from '../../db/schema.js';

export interface NewMail {
  territoryId: number;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Where answers go (a relayed message: its sender's verified address). */
  replyTo?: string;
  /** The one-click unsubscribe address (`List-Unsubscribe`), for mails a person may choose not to receive. */
  listUnsubscribe?: string;
}

/**
 * Writes a mail and its delivery job in one statement (a data-modifying `with`): the job's payload and key carry the
 * id the outbox row was just given. Returns the mail's id.
 */
export async function insertOutboxMailWithJob(db: Executor, mail: NewMail, now: Date, job: { kind: string; keyPrefix: string }): Promise<string> {
  const [id] = await insertOutboxMailsWithJobs(db, [mail], now, job);
  return id;
}

/**
 * Several mails and their delivery jobs in one statement (a batch of registrations), the same way as
 * `insertOutboxMailWithJob`: each job's payload and key carry its mail's id. Returns the mails' ids (in no order).
 */
export async function insertOutboxMailsWithJobs(db: Executor, mails: NewMail[], now: Date, job: { kind: string; keyPrefix: string }): Promise<string[]> {
  if (!mails.length) return [];
  const rows = await db
    .with('m', (q) =>
      q
        .insertInto('outbox_mail')
        .values(
          mails.map((mail) => ({
            territory_id: mail.territoryId,
            to_address: mail.to,
            subject: mail.subject,
            text_body: mail.text,
            html_body: mail.html ?? null,
            attachments: JSON.stringify(mail.attachments ?? []),
            reply_to: mail.replyTo ?? null,
            list_unsubscribe: mail.listUnsubscribe ?? null,
            created_at: now,
          })),
        )
        .returning('id'),
    )
    .insertInto('job')
    .columns(['kind', 'payload', 'run_at', 'max_attempts', 'dedupe_key', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('m')
        .select([
          sql<string>`${job.kind}::text`.as('kind'),
          sql<string>`jsonb_build_object('mailId', m.id)`.as('payload'),
          sql<Date>`${now}::timestamptz`.as('run_at'),
          sql<number>`10`.as('max_attempts'),
          sql<string>`${job.keyPrefix}::text || m.id`.as('dedupe_key'),
          sql<Date>`${now}::timestamptz`.as('created_at'),
        ]),
    )
    .returning(sql<string>`payload->>'mailId'`.as('mail_id'))
    .execute();
  return rows.map((r) => r.mail_id);
}

export const findOutboxMail = (db: Executor, id: string) => db.selectFrom('outbox_mail').selectAll().where('id', '=', id).executeTakeFirst();

export const findTerritoryMailForUpdate = (db: Executor, territoryId: number, id: string) =>
  db.selectFrom('outbox_mail').selectAll().where('id', '=', id).where('territory_id', '=', territoryId).forUpdate().executeTakeFirst();

export const findTerritoryMail = (db: Executor, territoryId: number, id: string) =>
  db.selectFrom('outbox_mail').selectAll().where('id', '=', id).where('territory_id', '=', territoryId).executeTakeFirst();

/**
 * Takes a pending mail for sending: one atomic update moves it to "sending", so of two workers holding the
 * same mail only one gets it. Returns false when someone else has it or it is no longer pending.
 */
export async function markSending(db: Executor, id: string, now: Date, until: Date) {
  const res = await db
    .updateTable('outbox_mail')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), last_attempt_at: now, sending_until: until }))
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Takes over a mail whose delivery died mid-conversation (its "sending" lease has lapsed), counting the retry so
 * staff can see it. Of two runs doing this at once, one gets it.
 */
export async function retakeLapsedSending(db: Executor, id: string, now: Date, until: Date) {
  const res = await db
    .updateTable('outbox_mail')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), lease_retries: eb('lease_retries', '+', 1), last_attempt_at: now, sending_until: until }))
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where((eb) => eb.or([eb('sending_until', 'is', null), eb('sending_until', '<=', now)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const markSent = (db: Executor, id: string, messageId: string, now: Date) =>
  db
    .updateTable('outbox_mail')
    .set({ state: 'sent', sent_at: now, message_id: messageId, last_error: null, sending_until: null })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();

/** The SMTP server refused or could not be reached: back to pending for the next try, or failed for good. */
export const markAttemptFailed = (db: Executor, id: string, error: string, final: boolean) =>
  db
    .updateTable('outbox_mail')
    .set({ state: final ? 'failed' : 'pending', last_error: error.slice(0, 1000), sending_until: null })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();

/** Without SMTP the mail stays readable in the outbox, marked as held. */
export const markHeld = (db: Executor, id: string) =>
  db.updateTable('outbox_mail').set({ state: 'held', sending_until: null }).where('id', '=', id).where('state', 'in', ['pending', 'sending']).execute();

/** Held mails of a territory, oldest first, locked so two admins clicking at once requeue each mail once. */
export const lockHeldMails = (db: Executor, territoryId: number, limit: number) =>
  db
    .selectFrom('outbox_mail')
    .select('id')
    .where('territory_id', '=', territoryId)
    .where('state', '=', 'held')
    .orderBy('created_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();

/** An admin sends it again: pending, waiting for its delivery job. */
export const markPendingAgain = (db: Executor, id: string) =>
  db.updateTable('outbox_mail').set({ state: 'pending', sending_until: null }).where('id', '=', id).execute();

export interface OutboxFilter {
  territoryId: number;
  state?: MailState;
  limit: number;
  offset: number;
}

export async function listOutboxMails(db: Executor, f: OutboxFilter) {
  let q = db.selectFrom('outbox_mail').where('territory_id', '=', f.territoryId);
  if (f.state) q = q.where('state', '=', f.state);
  const [rows, counts] = await Promise.all([
    q
      .select(['id', 'created_at', 'to_address', 'subject', 'state', 'attempts', 'lease_retries', 'last_error', 'sent_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    db
      .selectFrom('outbox_mail')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('territory_id', '=', f.territoryId)
      .groupBy('state')
      .execute(),
  ]);
  const byState = Object.fromEntries(counts.map((c) => [c.state, Number(c.n)])) as Partial<Record<MailState, number>>;
  const total = f.state ? (byState[f.state] ?? 0) : counts.reduce((sum, c) => sum + Number(c.n), 0);
  return { rows, total, byState };
}

/**
 * Mails to an address that is being forgotten: all but the one a delivery may be sending at this instant. Their
 * delivery jobs find nothing and end quietly.
 */
export async function deleteMailsTo(db: Executor, territoryId: number, address: string) {
  const rows = await db.deleteFrom('outbox_mail').where('territory_id', '=', territoryId).where('to_address', '=', address).where('state', '!=', 'sending').returning('id').execute();
  return rows.length;
}
