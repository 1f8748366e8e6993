import type { Executor } from '../../context.js';

export interface NewMail {
  territoryId: number | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export async function insertOutboxMail(db: Executor, mail: NewMail, now: Date): Promise<string> {
  const row = await db
    .insertInto('outbox_mail')
    .values({
      territory_id: mail.territoryId,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const findOutboxMail = (db: Executor, id: string) => db.selectFrom('outbox_mail').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Takes the mail for sending: only a pending (or previously failed attempt) mail moves to "sending", so two
 * workers can never both send it. Returns false when someone else has it or it is already sent.
 */
export async function markSending(db: Executor, id: string) {
  const res = await db
    .updateTable('outbox_mail')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('state', 'in', ['pending', 'held'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const markSent = (db: Executor, id: string, messageId: string, now: Date) =>
  db.updateTable('outbox_mail').set({ state: 'sent', sent_at: now, message_id: messageId, last_error: null }).where('id', '=', id).execute();

export const markAttemptFailed = (db: Executor, id: string, error: string, final: boolean) =>
  db
    .updateTable('outbox_mail')
    .set({ state: final ? 'failed' : 'pending', last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute();

/** Without SMTP the mail stays readable in the outbox, marked as held. */
export const markHeld = (db: Executor, id: string) =>
  db.updateTable('outbox_mail').set({ state: 'held' }).where('id', '=', id).where('state', '=', 'pending').execute();
