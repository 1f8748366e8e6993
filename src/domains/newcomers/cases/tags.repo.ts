/** SQL for funder tags: the territory's list, the tags a case carries, the tag of a task. */
import type { Executor } from '../../../context.js';

export async function ensureFunderTags(db: Executor, territoryId: number, keys: readonly string[], now: Date) {
  await db
    .insertInto('funder_tag')
    .values(keys.map((key, i) => ({ territory_id: territoryId, key, label: null, position: (i + 1) * 10, created_at: now })))
    .onConflict((oc) => oc.columns(['territory_id', 'key']).doNothing())
    .execute();
}

export const listFunderTags = (db: Executor, territoryId: number, includeArchived: boolean) => {
  let q = db.selectFrom('funder_tag').select(['id', 'key', 'label', 'position', 'archived_at']).where('territory_id', '=', territoryId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('position').orderBy('id').execute();
};
export type FunderTagRow = Awaited<ReturnType<typeof listFunderTags>>[number];

export const findFunderTag = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('funder_tag').select(['id', 'key', 'label', 'archived_at']).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export async function insertFunderTag(db: Executor, territoryId: number, label: string, now: Date) {
  const { max } = await db
    .selectFrom('funder_tag')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .where('territory_id', '=', territoryId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('funder_tag')
    .values({ territory_id: territoryId, key: null, label, position: (max ?? 0) + 10, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export const updateFunderTag = (db: Executor, territoryId: number, id: number, patch: { label?: string; archived_at?: Date | null }) =>
  db.updateTable('funder_tag').set(patch).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export const listCaseTagIds = async (db: Executor, caseId: string) =>
  (await db.selectFrom('case_funder_tag').select('tag_id').where('case_id', '=', caseId).orderBy('tag_id').execute()).map((r) => r.tag_id);

export async function replaceCaseTags(db: Executor, territoryId: number, caseId: string, tagIds: number[], now: Date) {
  await db.deleteFrom('case_funder_tag').where('case_id', '=', caseId).$if(tagIds.length > 0, (q) => q.where('tag_id', 'not in', tagIds)).execute();
  if (!tagIds.length) return;
  await db
    .insertInto('case_funder_tag')
    .values(tagIds.map((tag_id) => ({ territory_id: territoryId, case_id: caseId, tag_id, added_at: now })))
    .onConflict((oc) => oc.columns(['case_id', 'tag_id']).doNothing())
    .execute();
}

export const setTaskTag = (db: Executor, taskId: number, tagId: number | null) => db.updateTable('case_task').set({ funder_tag_id: tagId }).where('id', '=', taskId).execute();

/** The tag of each task of a case (tasks without one are absent). */
export const listTaskTags = async (db: Executor, caseId: string) =>
  new Map(
    (await db.selectFrom('case_task').select(['id', 'funder_tag_id']).where('case_id', '=', caseId).where('funder_tag_id', 'is not', null).execute()).map((r) => [r.id, r.funder_tag_id!]),
  );
