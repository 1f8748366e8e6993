/** Test helpers for the territory domain (imported by tests only). */
import type { AppContext } from '../../context.js';
import { importTerritory } from './territory.import.js';
import { countTerritoryRows, forgetStaffChanges } from './territory.repo.js';

/** Puts the shipped Gers data back after a test corrected figures or imported a DVF file. */
export async function restoreShippedTerritory(ctx: AppContext) {
  await ctx.db.transaction().execute((trx) => forgetStaffChanges(trx, ctx.territory.id));
  await importTerritory(ctx.db, ctx.territory, { now: ctx.clock.now() });
  ctx.pageCache.clear();
}

export const territoryRowCounts = (ctx: AppContext) => countTerritoryRows(ctx.db, ctx.territory.id);
