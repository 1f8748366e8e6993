/** SQL of imports: the uploaded lists kept between dry run and apply, and what a dry run compares them with. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { ImportSource, PaymentMethod } from '../../../db/schema.js';

export interface NewImport {
  territoryId: number;
  uploadedBy: string;
  fileName: string;
  sha256: string;
  source: ImportSource;
  headers: string[];
  rows: string[][];
  mapping: Record<string, number> | null;
  defaultMethod: PaymentMethod;
  now: Date;
}

export const insertImport = (db: Executor, i: NewImport) =>
  db
    .insertInto('member_import')
    .values({
      territory_id: i.territoryId,
      uploaded_by: i.uploadedBy,
      file_name: i.fileName,
      file_sha256: i.sha256,
      source: i.source,
      headers: JSON.stringify(i.headers),
      rows: JSON.stringify(i.rows),
      line_count: i.rows.length,
      mapping: i.mapping ? JSON.stringify(i.mapping) : null,
      default_method: i.defaultMethod,
      created_at: i.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Drafts never applied, uploaded before `before`: their lines are personal data nobody is going to use. */
export const deleteStaleImports = (db: Executor, territoryId: number, before: Date) =>
  db.deleteFrom('member_import').where('territory_id', '=', territoryId).where('applied_at', 'is', null).where('created_at', '<', before).execute();

export const findImport = (db: Executor, territoryId: number, id: string) =>
  db.selectFrom('member_import').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export const lockImport = (db: Executor, territoryId: number, id: string) =>
  db.selectFrom('member_import').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).forUpdate().executeTakeFirst();

export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

export const setMapping = (db: Executor, id: string, mapping: Record<string, number>, defaultMethod: PaymentMethod) =>
  db.updateTable('member_import').set({ mapping: JSON.stringify(mapping), default_method: defaultMethod }).where('id', '=', id).execute();

/** Applied: the lines go (personal data no longer needed), the counts stay. */
export const markApplied = (db: Executor, id: string, by: string, summary: Record<string, number>, now: Date) =>
  db.updateTable('member_import').set({ applied_at: now, applied_by: by, summary: JSON.stringify(summary), rows: JSON.stringify([]) }).where('id', '=', id).execute();

/** The territory's members whose account has one of these addresses (lower case), with what an import may change. */
export const listMembersByEmail = (db: Executor, territoryId: number, emails: string[]) =>
  emails.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('member as m')
        .innerJoin('user_account as u', 'u.id', 'm.user_id')
        .select(['m.id', 'm.state', 'm.first_name', 'm.last_name', 'm.phone', 'm.activity', 'm.insee', 'm.plan_id', sql<string>`lower(u.email)`.as('email')])
        .where('m.territory_id', '=', territoryId)
        .where(sql<boolean>`lower(u.email) = any(${emails}::text[])`)
        .execute();

/** Accounts with one of these addresses (lower case), member or not: a disabled one cannot be given a membership. */
export const listAccountsByEmail = (db: Executor, emails: string[]) =>
  emails.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('user_account')
        .select([sql<string>`lower(email)`.as('email'), 'disabled_at'])
        .where(sql<boolean>`lower(email) = any(${emails}::text[])`)
        .execute();

/** The dues already recorded for these members: `member:day:cents` keys, and the import references in the territory. */
export async function listRecordedDues(db: Executor, territoryId: number, memberIds: string[]) {
  const refs = await db
    .selectFrom('member_payment')
    .select('import_reference')
    .where('territory_id', '=', territoryId)
    .where('import_reference', 'is not', null)
    .execute();
  const paid =
    memberIds.length === 0
      ? []
      : await db
          .selectFrom('member_payment')
          .select(['member_id', sql<string>`paid_on::text`.as('paid_on'), 'amount_cents'])
          .where('territory_id', '=', territoryId)
          .where(sql<boolean>`member_id = any(${memberIds}::uuid[])`)
          .execute();
  return { references: new Set(refs.map((r) => r.import_reference!)), paid: new Set(paid.map((p) => `${p.member_id}:${p.paid_on}:${p.amount_cents}`)) };
}

export const listCommunes = (db: Executor, territoryId: number) =>
  db.selectFrom('commune').select(['insee', 'name', 'postcodes']).where('territory_id', '=', territoryId).execute();

export interface MemberChanges {
  first_name?: string;
  last_name?: string;
  phone?: string;
  activity?: string;
  insee?: string;
  outside_territory?: boolean;
  plan_id?: number;
}

export const updateMember = (db: Executor, memberId: string, changes: MemberChanges, now: Date) =>
  db.updateTable('member').set({ ...changes, updated_at: now }).where('id', '=', memberId).execute();
