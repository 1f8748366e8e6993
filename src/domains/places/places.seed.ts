/**
 * The third places shipped with a territory (data/territories/<slug>/content/tiers-lieux.json), loaded on first
 * start and into the test template. They are real (curated by the programme), so they load whatever DEMO says;
 * loading happens only while the territory has no third place, so staff edits are never overwritten.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import * as repo from './places.repo.js';
import { INSEE_PATTERN, SERVICES, SLUG_PATTERN } from './places.schemas.js';

const SeedPlace = z.object({
  slug: z.string().regex(SLUG_PATTERN),
  name: z.string().min(1),
  commune_insee: z.string().regex(INSEE_PATTERN),
  commune_name: z.string().min(1),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  label: z.string().default(''),
  services: z.array(z.enum(SERVICES)),
  services_note: z.string().default(''),
  summary: z.string().default(''),
  description_md: z.string().default(''),
  source_url: z.string().regex(/^https?:\/\//).nullable().default(null),
});
const SeedFile = z.object({ places: z.array(SeedPlace) });

export function readSeedPlaces(territoryDir: string) {
  let raw: string;
  try {
    raw = readFileSync(path.join(territoryDir, 'content', 'tiers-lieux.json'), 'utf8');
  } catch {
    return [];
  }
  return SeedFile.parse(JSON.parse(raw)).places;
}

/** Returns how many places were added (0 when the territory already had some). */
export async function seedThirdPlaces(db: Kysely<DB>, territoryId: number, territoryDir: string, at: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if ((await repo.countPlaces(trx, territoryId)) > 0) return 0;
    const places = readSeedPlaces(territoryDir);
    let added = 0;
    for (const p of places) {
      // Coordinates are the commune's centre and the address is unknown: flagged approximate, hours unknown (null).
      const row = await repo.insertPlace(trx, territoryId, { ...p, location_approximate: true, opening_hours: null, status: 'published' }, null, at);
      if (row) added += 1;
    }
    return added;
  });
}

/**
 * Demo content only: the rural coworking rates documented in the data README (a Charente-Maritime third place),
 * shown on La Dynamo's page explicitly as an example, never as La Dynamo's prices. Real prices are set by staff,
 * and a price they entered is never replaced.
 */
export const DEMO_PRICES = '8 € la demi-journée, 15 € la journée, 100 € le mois (exemple : tarifs d’un tiers-lieu rural de Charente-Maritime).';

export const loadDemoPrices = (db: Kysely<DB>, territoryId: number) => repo.setExamplePricesIfEmpty(db, territoryId, 'la-dynamo', DEMO_PRICES);
