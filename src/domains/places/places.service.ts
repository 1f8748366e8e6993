/**
 * Third-place use cases: read the published places, find those near a commune, and for staff curate them.
 * The commune is checked against the territory's communes; a place without its own coordinates is put at its
 * commune's centre and flagged approximate, so the map never pretends to know an address it does not.
 */
import type { Actor, AppContext } from '../../context.js';
import type { OpeningHours, PublicationStatus } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError } from '../../shared/app-error.js';
import type { SearchQuery } from '../../shared/french-search.js';
import { slugify } from '../../shared/input.js';
import { recordAudit } from '../audit/index.js';
import { findCommune, getMapGeometry } from '../territory/index.js';
import { dayHoursToInput, isOpeningHours, parseWeekHours, WEEKDAYS } from './places.hours.js';
import { canEditPlaces, canReadDraftPlaces } from './places.policy.js';
import * as repo from './places.repo.js';
import type { PlaceInput } from './places.schemas.js';
import { placesMap, type PlacesMapData } from './places.map.js';
import type { PlaceSection } from './places.sections.js';
import { renderSections } from '../../web/page-sections.js';

const notFound = () => new AppError('not_found', 'places.errors.notFound');

/** Ids come from the address; a malformed one (NaN from the route) is simply not found. */
const isId = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647;

function assertEditor(actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canEditPlaces(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

/** Hours as stored, or null when the stored value is not usable (shown as "à confirmer" rather than wrong). */
const hoursOf = <T extends { opening_hours: unknown }>(p: T) => ({ ...p, opening_hours: isOpeningHours(p.opening_hours) ? (p.opening_hours as OpeningHours) : null });

// ---------------------------------------------------------------------------------------------- readers

/** The public list and, when the territory has a map, each place projected onto its outline. */
export async function getPlacesOverview(ctx: AppContext) {
  const places = (await repo.listPlaces(ctx.db, ctx.territory.id, { status: 'published' })).map(hoursOf);
  let map: PlacesMapData | null = null;
  try {
    map = places.length ? placesMap(getMapGeometry(ctx.territory.slug), places) : null;
  } catch (error) {
    // A territory shipped without boundaries still gets its list; the map is an extra.
    ctx.log.warn({ err: error }, 'third places map unavailable');
  }
  return { places, map };
}

/** A place's page; `sections` are those other domains add to it (public data only: the page is cached). */
export async function getPlaceForReader(ctx: AppContext, actor: Actor, slug: string, sections: readonly PlaceSection[] = []) {
  const place = await repo.findPlaceBySlug(ctx.db, ctx.territory.id, slug);
  if (!place || (place.status !== 'published' && !canReadDraftPlaces(actor))) throw notFound();
  const [near, added] = await Promise.all([listThirdPlacesNear(ctx, place, { limit: 3, maxKm: 40 }), renderSections(ctx, sections, { id: place.id, slug: place.slug, name: place.name })]);
  const nearby = near.filter((p) => p.slug !== place.slug);
  return { place: hoursOf(place), nearby, canEdit: canEditPlaces(actor), demo: ctx.demo, sections: added };
}

export const searchPlaces = (ctx: AppContext, q: SearchQuery, limit = 10) => repo.searchPublishedPlaces(ctx.db, ctx.territory.id, q, limit);

export interface NearbyThirdPlace {
  slug: string;
  name: string;
  communeInsee: string;
  communeName: string;
  services: string[];
  /** Straight-line distance from the given point, one decimal. */
  distanceKm: number;
  /** True when the place is drawn at its commune's centre (address not known yet). */
  locationApproximate: boolean;
}

const rad = (deg: number) => (deg * Math.PI) / 180;
function straightLineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Published third places nearest to a point (a commune's centre), closest first. A territory has a few dozen
 * places at most, so distances are computed here rather than in SQL, identically on both databases.
 */
export async function listThirdPlacesNear(ctx: AppContext, point: { lat: number; lon: number }, opts: { limit?: number; maxKm?: number } = {}): Promise<NearbyThirdPlace[]> {
  const { limit = 5, maxKm = 50 } = opts;
  const places = await repo.listPlaces(ctx.db, ctx.territory.id, { status: 'published' });
  return places
    .map((p) => ({
      slug: p.slug,
      name: p.name,
      communeInsee: p.commune_insee,
      communeName: p.commune_name,
      services: p.services,
      distanceKm: Math.round(straightLineKm(point, p) * 10) / 10,
      locationApproximate: p.location_approximate,
    }))
    .filter((p) => p.distanceKm <= maxKm)
    .sort((a, b) => a.distanceKm - b.distanceKm || a.name.localeCompare(b.name, 'fr'))
    .slice(0, limit);
}

/** Every published place with its position, for maps drawn by other domains. */
export async function listThirdPlacesForMap(ctx: AppContext) {
  return (await repo.listPlaces(ctx.db, ctx.territory.id, { status: 'published' })).map((p) => ({
    slug: p.slug,
    name: p.name,
    communeInsee: p.commune_insee,
    lat: p.lat,
    lon: p.lon,
    locationApproximate: p.location_approximate,
  }));
}

/**
 * The third places other domains may point at (an event held there): every place with its id, name, commune and
 * postal address, published or not (an event or a resource keeps its place if the place is later unpublished), by name; `published` says
 * whether its own page may be linked.
 */
export async function listThirdPlaceChoices(ctx: AppContext) {
  return (await repo.listPlaces(ctx.db, ctx.territory.id)).map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    communeInsee: p.commune_insee,
    communeName: p.commune_name,
    address: p.address,
    postcode: p.postcode,
    published: p.status === 'published',
  })).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}
export type ThirdPlaceChoice = Awaited<ReturnType<typeof listThirdPlaceChoices>>[number];

// ---------------------------------------------------------------------------------------------- staff

export async function listPlacesForEditors(ctx: AppContext, actor: Actor) {
  assertEditor(actor);
  return repo.listPlaces(ctx.db, ctx.territory.id);
}

export function startPlace(_ctx: AppContext, actor: Actor) {
  assertEditor(actor);
  return { status: 'draft', locationApproximate: '1' };
}

/** The place and its values for the edit form (hours as one line per day). */
export async function getPlaceForEditing(ctx: AppContext, actor: Actor, id: number) {
  assertEditor(actor);
  if (!isId(id)) throw notFound();
  const row = await repo.findPlaceById(ctx.db, ctx.territory.id, id);
  if (!row) throw notFound();
  const place = hoursOf(row);
  const values: Record<string, string | string[]> = {
    name: place.name,
    slug: place.slug,
    summary: place.summary,
    description: place.description_md,
    label: place.label,
    commune: place.commune_insee,
    address: place.address ?? '',
    postcode: place.postcode ?? '',
    lat: String(place.lat),
    lon: String(place.lon),
    locationApproximate: place.location_approximate ? '1' : '',
    services: place.services,
    servicesNote: place.services_note,
    hoursNote: place.hours_note,
    prices: place.prices,
    pricesAreExample: place.prices_are_example ? '1' : '',
    website: place.website ?? '',
    email: place.email ?? '',
    phone: place.phone ?? '',
    sourceUrl: place.source_url ?? '',
    status: place.status,
  };
  for (const d of WEEKDAYS) values[`hours_${d}`] = dayHoursToInput(place.opening_hours, d);
  return { place, values };
}

/** The form's values → the row, checking the commune and the hours; errors come back per field. */
async function fieldsOf(ctx: AppContext, input: PlaceInput): Promise<repo.PlaceFields> {
  const errors: Record<string, string> = {};
  const hours = parseWeekHours({ 1: input.hours_1, 2: input.hours_2, 3: input.hours_3, 4: input.hours_4, 5: input.hours_5, 6: input.hours_6, 7: input.hours_7 });
  if (!hours.ok) Object.assign(errors, hours.errors);
  const commune = await findCommune(ctx.db, ctx.territory.id, input.commune);
  if (!commune) errors.commune = 'places.errors.unknownCommune';
  const slug = input.slug ?? slugify(input.name, 100);
  if (!slug) errors.slug = 'places.errors.slug';
  const located = input.lat !== undefined && input.lon !== undefined;
  // A position more than 30 km from its commune's centre is almost always a typo (or latitude and longitude swapped).
  if (commune && located && straightLineKm(commune, { lat: input.lat!, lon: input.lon! }) > 30) errors.lat = 'places.errors.farFromCommune';
  if (Object.keys(errors).length || !commune || !hours.ok) throw new AppError('invalid', 'errors.invalid', errors);
  return {
    slug,
    name: input.name,
    summary: input.summary,
    description_md: input.description,
    label: input.label,
    commune_insee: commune.insee,
    commune_name: commune.name,
    address: input.address ?? null,
    postcode: input.postcode ?? null,
    lat: located ? input.lat! : commune.lat,
    lon: located ? input.lon! : commune.lon,
    location_approximate: located ? input.locationApproximate : true,
    services: [...new Set(input.services)],
    services_note: input.servicesNote,
    opening_hours: hours.hours ? JSON.stringify(hours.hours) : null,
    hours_note: input.hoursNote,
    prices: input.prices,
    prices_are_example: input.pricesAreExample,
    website: input.website ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    source_url: input.sourceUrl ?? null,
    status: input.status,
  };
}

const slugTaken = () => new AppError('conflict', 'places.errors.slugTaken', { slug: 'places.errors.slugTaken' });

function auditAction(before: PublicationStatus, after: PublicationStatus) {
  if (before !== 'published' && after === 'published') return 'third_place.published';
  if (before === 'published' && after !== 'published') return 'third_place.unpublished';
  return 'third_place.updated';
}

export async function createPlace(ctx: AppContext, actor: Actor, input: PlaceInput) {
  assertEditor(actor);
  const fields = await fieldsOf(ctx, input);
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const row = await repo.insertPlace(trx, ctx.territory.id, fields, actor.userId, ctx.clock.now());
      if (!row) throw slugTaken();
      const subject = { subjectType: 'third_place', subjectId: String(row.id) };
      await recordAudit(trx, ctx, actor, { action: 'third_place.created', ...subject, data: { slug: fields.slug, name: fields.name } });
      if (fields.status === 'published') await recordAudit(trx, ctx, actor, { action: 'third_place.published', ...subject, data: { slug: fields.slug } });
      return row.id;
    });
    ctx.pageCache.clear();
    return { id, slug: fields.slug };
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

export async function updatePlace(ctx: AppContext, actor: Actor, id: number, input: PlaceInput) {
  assertEditor(actor);
  if (!isId(id)) throw notFound();
  const fields = await fieldsOf(ctx, input);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const before = await repo.findPlaceById(trx, ctx.territory.id, id);
      if (!before) throw notFound();
      await repo.updatePlace(trx, ctx.territory.id, id, fields, actor.userId, ctx.clock.now());
      await recordAudit(trx, ctx, actor, {
        action: auditAction(before.status, input.status),
        subjectType: 'third_place',
        subjectId: String(id),
        data: { slug: fields.slug, ...(before.slug !== fields.slug ? { previousSlug: before.slug } : {}) },
      });
    });
    ctx.pageCache.clear();
    return { id, slug: fields.slug };
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}
