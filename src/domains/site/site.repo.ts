/** The only SQL of the site domain: the home page's highlights written by staff. */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import type { DB } from '../../db/schema.js';

const columns = ['id', 'position', 'figure', 'text_fr', 'text_en', 'source_note', 'source_url', 'created_at', 'updated_at'] as const;

export const listHighlights = (db: Executor, territoryId: number) =>
  db
    .selectFrom('home_highlight')
    .select(columns)
    .select(sql<string>`source_date::text`.as('source_date'))
    .where('territory_id', '=', territoryId)
    .orderBy('position')
    .orderBy('id')
    .execute();

export type HighlightRow = Awaited<ReturnType<typeof listHighlights>>[number];

export const findHighlight = (db: Executor, territoryId: number, id: number) =>
  db
    .selectFrom('home_highlight')
    .select(columns)
    .select(sql<string>`source_date::text`.as('source_date'))
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertHighlight = (db: Executor, row: Insertable<DB['home_highlight']>) => db.insertInto('home_highlight').values(row).returning('id').executeTakeFirstOrThrow();

export const updateHighlight = (db: Executor, territoryId: number, id: number, changes: Updateable<DB['home_highlight']>) =>
  db.updateTable('home_highlight').set(changes).where('territory_id', '=', territoryId).where('id', '=', id).returning('id').executeTakeFirst();

export const deleteHighlight = (db: Executor, territoryId: number, id: number) =>
  db.deleteFrom('home_highlight').where('territory_id', '=', territoryId).where('id', '=', id).returningAll().executeTakeFirst();
