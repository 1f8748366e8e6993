/**
 * The home page's use cases: its highlights (computed by other domains, written by staff), and the staff's edits of
 * them, each audited and clearing the cached pages.
 */
import type { Actor, AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { recordAudit } from '../audit/index.js';
import { renderSections } from '../../web/page-sections.js';
import { homeHighlightsPoint, homeSectionsPoint, sourcedOnly, type HomeHighlight } from './site.highlights.js';
import { canEditHomePage } from './site.policy.js';
import * as repo from './site.repo.js';
import type { HighlightInput } from './site.schemas.js';

export type HighlightRow = repo.HighlightRow;

/** Staff highlights come after the computed ones, in their own order. */
const STAFF_ORDER = 1000;

const staffHighlight = (row: repo.HighlightRow): HomeHighlight => ({
  key: `staff.${row.id}`,
  order: STAFF_ORDER + row.position,
  label: { text: row.text_fr, en: row.text_en },
  value: { kind: 'text', text: row.figure },
  sources: [{ title: row.source_note, url: row.source_url, date: row.source_date }],
});

/** Everything the home page shows as a figure, each with its sources; a highlight without one is left out. */
export async function getHomeHighlights(ctx: AppContext): Promise<HomeHighlight[]> {
  const [computed, staff] = await Promise.all([
    Promise.all(ctx.extensions.all(homeHighlightsPoint).map((provide) => provide(ctx))),
    repo.listHighlights(ctx.db, ctx.territory.id),
  ]);
  return sourcedOnly([...computed.flat(), ...staff.map(staffHighlight)]).sort((a, b) => a.order - b.order);
}

/** The home page: its figures, and the sections other domains add (public data only: the page is cached). */
export async function getHomePage(ctx: AppContext) {
  const [highlights, sections] = await Promise.all([getHomeHighlights(ctx), renderSections(ctx, ctx.extensions.all(homeSectionsPoint), null)]);
  return { highlights, sections };
}

function assertCanEdit(actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canEditHomePage(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

/** The back office's page: the staff highlights, and what the computed ones show today (read-only). */
export async function getHighlightsAdmin(ctx: AppContext, actor: Actor) {
  assertCanEdit(actor);
  const [rows, all] = await Promise.all([repo.listHighlights(ctx.db, actor.territoryId), getHomeHighlights(ctx)]);
  return { rows, computed: all.filter((h) => !h.key.startsWith('staff.')) };
}

export async function getHighlightForEdit(ctx: AppContext, actor: Actor, id: number) {
  assertCanEdit(actor);
  if (!Number.isSafeInteger(id)) throw new AppError('not_found', 'site.highlights.notFound');
  const row = await repo.findHighlight(ctx.db, actor.territoryId, id);
  if (!row) throw new AppError('not_found', 'site.highlights.notFound');
  return row;
}

const toRow = (input: HighlightInput) => ({
  figure: input.figure,
  text_fr: input.textFr,
  text_en: input.textEn ?? null,
  source_note: input.sourceNote,
  source_url: input.sourceUrl ?? null,
  source_date: input.sourceDate,
  position: input.position,
});

export async function addHighlight(ctx: AppContext, actor: Actor, input: HighlightInput) {
  assertCanEdit(actor);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const { id } = await repo.insertHighlight(trx, { territory_id: actor.territoryId, ...toRow(input), created_at: now, updated_at: now });
    await recordAudit(trx, ctx, actor, { action: 'home_highlight.added', subjectType: 'home_highlight', subjectId: String(id), data: { ...input } });
    return id;
  });
  ctx.pageCache.clear();
  return id;
}

export async function changeHighlight(ctx: AppContext, actor: Actor, id: number, input: HighlightInput) {
  assertCanEdit(actor);
  if (!Number.isSafeInteger(id)) throw new AppError('not_found', 'site.highlights.notFound');
  await ctx.db.transaction().execute(async (trx) => {
    const changed = await repo.updateHighlight(trx, actor.territoryId, id, { ...toRow(input), updated_at: ctx.clock.now() });
    if (!changed) throw new AppError('not_found', 'site.highlights.notFound');
    await recordAudit(trx, ctx, actor, { action: 'home_highlight.changed', subjectType: 'home_highlight', subjectId: String(id), data: { ...input } });
  });
  ctx.pageCache.clear();
}

export async function removeHighlight(ctx: AppContext, actor: Actor, id: number) {
  assertCanEdit(actor);
  if (!Number.isSafeInteger(id)) throw new AppError('not_found', 'site.highlights.notFound');
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteHighlight(trx, actor.territoryId, id);
    if (!removed) throw new AppError('not_found', 'site.highlights.notFound');
    await recordAudit(trx, ctx, actor, { action: 'home_highlight.removed', subjectType: 'home_highlight', subjectId: String(id), data: { figure: removed.figure, text: removed.text_fr } });
  });
  ctx.pageCache.clear();
}
