/** SQL for case documents: their metadata rows (the bytes are on disk, see newcomers.documents.storage.ts). */
import type { Executor } from '../../../context.js';
import type { DocumentType } from './documents.storage.js';

/** A case that still holds personal data (anonymised cases take no documents). */
export const findLiveCase = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'contact_user_id', 'adviser_id'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', caseId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();

export const findOwnLiveCase = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'contact_user_id', 'adviser_id'])
    .where('territory_id', '=', territoryId)
    .where('contact_user_id', '=', userId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();

/** Locks the case so two uploads arriving together cannot both take the last place. */
export const lockLiveCase = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', caseId)
    .where('anonymised_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();

export const countDocuments = async (db: Executor, caseId: string) =>
  Number((await db.selectFrom('case_document').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);

export const insertDocument = (
  db: Executor,
  d: { id: string; territoryId: number; caseId: string; name: string; type: DocumentType; size: number; sha256: string; by: string; fromStaff: boolean; now: Date },
) =>
  db
    .insertInto('case_document')
    .values({
      id: d.id,
      territory_id: d.territoryId,
      case_id: d.caseId,
      original_name: d.name,
      content_type: d.type,
      size_bytes: d.size,
      sha256: d.sha256,
      uploaded_by: d.by,
      from_staff: d.fromStaff,
      uploaded_at: d.now,
    })
    .execute();

export const listDocuments = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_document as d')
    .leftJoin('user_account as u', 'u.id', 'd.uploaded_by')
    .select(['d.id', 'd.original_name', 'd.content_type', 'd.size_bytes', 'd.sha256', 'd.from_staff', 'd.uploaded_at', 'u.display_name as uploaded_by_name'])
    .where('d.case_id', '=', caseId)
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id')
    .execute();
export type DocumentRow = Awaited<ReturnType<typeof listDocuments>>[number];

/** A document with what deciding who may read it needs: its case's contact, and whether the case is anonymised. */
export const findDocument = (db: Executor, territoryId: number, documentId: string) =>
  db
    .selectFrom('case_document as d')
    .innerJoin('newcomer_case as c', 'c.id', 'd.case_id')
    .select(['d.id', 'd.case_id', 'd.original_name', 'd.content_type', 'd.size_bytes', 'c.number', 'c.contact_user_id'])
    .where('d.territory_id', '=', territoryId)
    .where('d.id', '=', documentId)
    .where('c.anonymised_at', 'is', null)
    .executeTakeFirst();

export const deleteDocument = (db: Executor, caseId: string, documentId: string) =>
  db.deleteFrom('case_document').where('case_id', '=', caseId).where('id', '=', documentId).returning(['id', 'content_type', 'size_bytes']).executeTakeFirst();
