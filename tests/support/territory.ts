/**
 * Puts the shipped Gers data back before a test, cheaply: a full re-import costs about half a second on PGlite
 * (seconds on a busy machine), and most tests of a file change nothing in the territory's tables. So the state
 * right after a full restore is fingerprinted, and the next restore re-imports only when the fingerprint differs:
 * a test that corrected a figure, imported a DVF file or edited a row directly gets the full restore; the others
 * skip it. The fingerprint is the set of row versions (each visible row's ctid and xmin, the transaction that
 * wrote it) of every table involved: any insert or update writes a new version and any delete removes one, so an
 * equal fingerprint means no row was written since the last full restore. It reads no row content (the commune
 * boundaries are large), which keeps it at a few milliseconds.
 */
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../src/context.js';
import type { DB } from '../../src/db/schema.js';
import { restoreShippedTerritory as restoreByImport } from '../../src/domains/territory/territory.testing.js';

/** Every table the territory import writes or a staff change touches. */
const TABLES = ['dataset', 'epci', 'commune', 'commune_boundary', 'station', 'reference_point', 'price_reference', 'cinema', 'festival', 'figure_override', 'record_duplicate'] as const;

const restored = new WeakMap<Kysely<DB>, string>();

async function fingerprint(db: Kysely<DB>, territoryId: number): Promise<string> {
  const parts = TABLES.map(
    (t) => sql`(select md5(coalesce(string_agg(x.ctid::text || '/' || x.xmin::text, ',' order by x.ctid), '')) from ${sql.table(t)} x where x.territory_id = ${territoryId})`,
  );
  const { rows } = await sql<{ f: string }>`select concat_ws(',', ${sql.join(parts)}) as f`.execute(db);
  return rows[0].f;
}

export async function restoreShippedTerritory(ctx: AppContext) {
  const last = restored.get(ctx.db);
  if (last !== undefined && last === (await fingerprint(ctx.db, ctx.territory.id))) {
    ctx.pageCache.clear();
    return;
  }
  await restoreByImport(ctx);
  restored.set(ctx.db, await fingerprint(ctx.db, ctx.territory.id));
}
