/**
 * Funder tags: the programme's funders (Département, Région, LEADER, État/ANCT, and any staff add) attached to
 * cases and to actions (tasks), so the figures can be cut per funder. Staff manage the list and the tags of each
 * case; every change is audited. Tags say who pays, nothing about the household: an anonymised case keeps them.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { recordAudit } from '../../audit/index.js';
import { listEpcis } from '../../territory/index.js';
import { assertCaseStaff } from '../newcomers.policy.js';
import * as repo from './cases.repo.js';
import * as tags from './tags.repo.js';
import { isRowId, isUuid, notFound } from '../newcomers.common.js';

/** Seeded for every territory on first use; staff rename, archive or add to them. */
export const DEFAULT_FUNDER_TAGS = ['departement', 'region', 'leader', 'etat_anct'] as const;


/** The territory's tags, the built-in ones seeded on first use (archived ones included when asked). */
export async function loadFunderTags(db: Executor, ctx: AppContext, territoryId: number, includeArchived: boolean) {
  // Read first: once seeded (every time but the first), a page showing the tags writes nothing.
  const all = await tags.listFunderTags(db, territoryId, true);
  const keys = new Set(all.map((t) => t.key));
  if (DEFAULT_FUNDER_TAGS.every((key) => keys.has(key))) return includeArchived ? all : all.filter((t) => !t.archived_at);
  await tags.ensureFunderTags(db, territoryId, DEFAULT_FUNDER_TAGS, ctx.clock.now());
  return tags.listFunderTags(db, territoryId, includeArchived);
}

export async function listFunderTagsForStaff(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  return loadFunderTags(ctx.db, ctx, actor.territoryId, true);
}

export async function addFunderTag(ctx: AppContext, actor: Actor, label: string) {
  assertCaseStaff(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await tags.insertFunderTag(trx, actor.territoryId, label, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'funder_tag.created', subjectType: 'funder_tag', subjectId: String(row.id), data: { label } });
    return row;
  });
}

export async function updateFunderTag(ctx: AppContext, actor: Actor, tagId: number, change: { label?: string; archived?: boolean }) {
  assertCaseStaff(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const tag = isRowId(tagId) ? await tags.findFunderTag(trx, actor.territoryId, tagId) : undefined;
    if (!tag) throw notFound();
    const patch: { label?: string; archived_at?: Date | null } = {};
    if (change.label !== undefined) patch.label = change.label;
    if (change.archived !== undefined) patch.archived_at = change.archived ? ctx.clock.now() : null;
    await tags.updateFunderTag(trx, actor.territoryId, tag.id, patch);
    await recordAudit(trx, ctx, actor, { action: 'funder_tag.updated', subjectType: 'funder_tag', subjectId: String(tag.id), data: change });
  });
}

/**
 * What the case page shows and offers: the active tags, plus archived ones still on this case or its tasks. The case's
 * tag ids and its tasks' tags come with the case file (`findCaseFile`); only the territory's list is read here.
 */
export async function caseFunderTags(db: Executor, ctx: AppContext, territoryId: number, caseTagIds: number[], taskTags: Map<number, number>) {
  const all = await loadFunderTags(db, ctx, territoryId, true);
  const used = new Set([...caseTagIds, ...taskTags.values()]);
  return { offered: all.filter((t) => !t.archived_at || used.has(t.id)), active: all.filter((t) => !t.archived_at), caseTagIds, taskTags: Object.fromEntries(taskTags) as Record<number, number> };
}
export type CaseFunderTags = Awaited<ReturnType<typeof caseFunderTags>>;

/**
 * Sets the tags a case carries (the whole set, as the form's checkboxes say). A tag must belong to the territory;
 * an archived one can stay on the case but cannot be newly added.
 */
export async function setCaseFunderTags(ctx: AppContext, actor: Actor, caseId: string, tagIds: number[]) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  const wanted = [...new Set(tagIds)];
  if (!wanted.every(isRowId)) throw new AppError('invalid', 'newcomers.tags.unknown', { tags: 'newcomers.tags.unknown' });
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockCase(trx, actor.territoryId, caseId);
    if (!c) throw notFound();
    const [all, before] = await Promise.all([loadFunderTags(trx, ctx, actor.territoryId, true), tags.listCaseTagIds(trx, c.id)]);
    const byId = new Map(all.map((t) => [t.id, t]));
    for (const id of wanted) {
      const tag = byId.get(id);
      if (!tag || (tag.archived_at && !before.includes(id))) throw new AppError('invalid', 'newcomers.tags.unknown', { tags: 'newcomers.tags.unknown' });
    }
    const added = wanted.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !wanted.includes(id));
    if (!added.length && !removed.length) return;
    await tags.replaceCaseTags(trx, actor.territoryId, c.id, wanted, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.funder_tags_changed', subjectType: 'newcomer_case', subjectId: c.id, data: { number: c.number, added, removed } });
  });
}

/** A task's tag, checked inside the task's transaction: an active tag of the territory, or none. */
export async function checkedTaskTag(db: Executor, territoryId: number, tagId: number | undefined) {
  if (tagId === undefined) return null;
  const tag = isRowId(tagId) ? await tags.findFunderTag(db, territoryId, tagId) : undefined;
  if (!tag || tag.archived_at) throw new AppError('invalid', 'newcomers.tags.unknown', { funderTagId: 'newcomers.tags.unknown' });
  return tag.id;
}

export const setTaskTag = tags.setTaskTag;

/**
 * The staff list's extra filter choices: the territory's EPCIs, every tag (archived ones still filter old cases) and
 * the villages cases target or settled in, by name.
 */
export async function listFilterOptions(db: Executor, territoryId: number) {
  const [epcis, all, communes] = await Promise.all([listEpcis(db, territoryId), tags.listFunderTags(db, territoryId, true), repo.listCaseCommunes(db, territoryId)]);
  return { epcis, tags: all, communes };
}
