/**
 * The migrated database every test starts from, built once per test run by scripts/test.ts:
 * - PGlite: a data-dir dump loaded by each test file in ~0.3 s (creating and migrating takes seconds);
 * - PostgreSQL: a template database each test file copies with CREATE DATABASE ... TEMPLATE.
 * Whatever every test needs (migrations, the territory, its reference data) goes in `prepareTemplate`.
 */
import type { Kysely } from 'kysely';
import { ensureTerritory, territoryDataDir } from '../../src/bootstrap.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { DB } from '../../src/db/schema.js';
import { seedGuideArticles } from '../../src/domains/guide/index.js';
import { seedThirdPlaces } from '../../src/domains/places/index.js';
import { importTerritory } from '../../src/domains/territory/index.js';

export const TEST_TERRITORY = 'gers';

export async function prepareTemplate(db: Kysely<DB>) {
  await migrateToLatest(db);
  const territory = await ensureTerritory(db, TEST_TERRITORY);
  await importTerritory(db, territory, { now: new Date('2026-11-27T08:00:00Z') });
  // The shipped guide articles and third places. Domain tables are emptied by reset(), so tests that need them
  // call the same seed functions again after reset.
  await seedGuideArticles(db, territory.id, territoryDataDir(territory.slug), new Date('2026-11-27T08:00:00Z'));
  await seedThirdPlaces(db, territory.id, territoryDataDir(territory.slug), new Date('2026-11-27T08:00:00Z'));
}
