import { sql } from 'kysely';
import type { Executor } from '../../context.js';

export interface AuditEntry {
  territoryId: number | null;
  actorId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
  at: Date;
}

export async function insertAuditEvent(db: Executor, e: AuditEntry) {
  await db
    .insertInto('audit_event')
    .values({
      territory_id: e.territoryId,
      actor_id: e.actorId,
      action: e.action,
      subject_type: e.subjectType ?? null,
      subject_id: e.subjectId ?? null,
      data: JSON.stringify(e.data ?? {}),
      at: e.at,
    })
    .execute();
}

/** Several entries in one statement (an import's payments). */
export async function insertAuditEvents(db: Executor, entries: AuditEntry[]) {
  if (!entries.length) return;
  await db
    .insertInto('audit_event')
    .values(entries.map((e) => ({ territory_id: e.territoryId, actor_id: e.actorId, action: e.action, subject_type: e.subjectType ?? null, subject_id: e.subjectId ?? null, data: JSON.stringify(e.data ?? {}), at: e.at })))
    .execute();
}

export interface AuditFilter {
  territoryId: number;
  action?: string;
  actorEmail?: string;
  subjectId?: string;
  limit: number;
  offset: number;
}

export async function listAuditEvents(db: Executor, f: AuditFilter) {
  let q = db
    .selectFrom('audit_event as a')
    .leftJoin('user_account as u', 'u.id', 'a.actor_id')
    .where('a.territory_id', '=', f.territoryId);
  if (f.action) q = q.where('a.action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.actorEmail) q = q.where('u.email', '=', f.actorEmail);
  if (f.subjectId) q = q.where('a.subject_id', '=', f.subjectId);
  const [rows, total] = await Promise.all([
    q
      .select(['a.id', 'a.action', 'a.subject_type', 'a.subject_id', 'a.data', 'a.at', 'u.email as actor_email', 'u.display_name as actor_name'])
      .orderBy('a.at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The entries about one subject lose a person as actor and the given keys of their data; the entries stay. */
export async function forgetPersonInEntries(db: Executor, e: { subjectType: string; subjectId: string; personId: string | null; keys: readonly string[] }) {
  if (e.personId) {
    await db.updateTable('audit_event').set({ actor_id: null }).where('subject_type', '=', e.subjectType).where('subject_id', '=', e.subjectId).where('actor_id', '=', e.personId).execute();
  }
  if (e.keys.length) {
    await sql`update audit_event set data = data - ${sql.val([...e.keys])}::text[] where subject_type = ${e.subjectType} and subject_id = ${e.subjectId} and data ?| ${sql.val([...e.keys])}::text[]`.execute(db);
  }
}
