/** SQL of the imported feeds: the sources, and the events each one brought. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';

export const listSources = (db: Executor, territoryId: number) =>
  db.selectFrom('event_import_source').selectAll().where('territory_id', '=', territoryId).orderBy('name').orderBy('id').execute();
export type SourceRow = Awaited<ReturnType<typeof listSources>>[number];

export const findSource = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('event_import_source').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export const insertSource = (db: Executor, v: { territoryId: number; name: string; url: string; insee: string; refreshHours: number; now: Date }) =>
  db
    .insertInto('event_import_source')
    .values({ territory_id: v.territoryId, name: v.name, url: v.url, insee: v.insee, refresh_hours: v.refreshHours, created_at: v.now })
    .returning(['id'])
    .executeTakeFirstOrThrow();

export const recordOutcome = (db: Executor, id: number, v: { now: Date; error: string | null; count: number | null }) =>
  db
    .updateTable('event_import_source')
    .set({ last_fetched_at: v.now, last_error: v.error, ...(v.count === null ? {} : { last_count: v.count }) })
    .where('id', '=', id)
    .execute();

/** Imports of one source run one at a time: the row is locked for the import's transaction. */
export const lockSource = (db: Executor, id: number) => db.selectFrom('event_import_source').select('id').where('id', '=', id).forUpdate().executeTakeFirst();

/** Sources due for a refresh at `now`: never fetched, or fetched `refresh_hours` ago or more. */
export const listDueSources = (db: Executor, territoryId: number, now: Date) =>
  db
    .selectFrom('event_import_source')
    .select(['id'])
    .where('territory_id', '=', territoryId)
    .where('refresh_hours', '>', 0)
    .where((eb) => eb.or([eb('last_fetched_at', 'is', null), eb('last_fetched_at', '<=', sql<Date>`${now}::timestamptz - make_interval(hours => refresh_hours)`)]))
    .orderBy('id')
    .execute();

/** The source's events, by UID: what the feed brought last time. */
export const listImported = (db: Executor, sourceId: number) =>
  db.selectFrom('event').select(['id', 'import_uid', 'status', 'ends_at']).where('import_source_id', '=', sourceId).execute();

export const markImported = (db: Executor, id: number, sourceId: number, uid: string) =>
  db.updateTable('event').set({ import_source_id: sourceId, import_uid: uid }).where('id', '=', id).execute();
