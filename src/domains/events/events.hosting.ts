/**
 * Events whose applications another domain hosts (discovery stays: the newcomers domain takes the applications
 * from the household's case and keeps what only it knows: the case, the persons coming, attendance). That domain
 * creates and updates the event here, reads events and registrations through these functions, and changes
 * registrations with the selection engine (`events.selection.ts`) under the event's lock; it never touches the
 * events' tables itself. Everything here runs in the caller's transaction.
 */
import type { AppContext, Executor } from '../../context.js';
import type { EventAudience, EventStatus } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { slugify } from '../../shared/input.js';
import { parisDay } from '../../shared/time.js';
import * as repo from './events.repo.js';
import { DEFAULT_TYPES } from './events.schemas.js';

/** Paths of the agenda that are not events. */
const RESERVED_SLUGS = new Set(['archives', 'flux', 'inscription']);

/** A slug from the title and the day, made unique with a number when needed. */
export async function freeSlug(db: Executor, territoryId: number, title: string, startsAt: Date) {
  const base = slugify(`${title} ${parisDay(startsAt)}`, 90) || 'evenement';
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!RESERVED_SLUGS.has(slug) && !(await repo.slugTaken(db, territoryId, slug))) return slug;
  }
}

export interface HostedEventInput {
  /** One of the default types (created if the territory's list lacks it). */
  typeKey: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  /** Seats, one per registration. */
  capacity: number;
  closesAt: Date | null;
  status: Exclude<EventStatus, 'cancelled'>;
  /** Where it takes place: a commune of the territory. */
  insee: string;
  audience: EventAudience;
}

async function typeId(db: Executor, territoryId: number, key: string) {
  // The first type a territory gets brings the whole default list, as the agenda's own seeding would (it seeds only
  // a territory with no type, so a lone hosted type would otherwise leave the agenda with none of the others).
  const first = (await repo.listTypes(db, territoryId)).length === 0;
  await repo.insertTypes(db, territoryId, first ? DEFAULT_TYPES : DEFAULT_TYPES.filter(([k]) => k === key));
  const type = await repo.findTypeByKey(db, territoryId, key);
  if (!type) throw new AppError('invalid', 'events.form.typeRequired');
  return type.id;
}

const valuesOf = (input: HostedEventInput, type_id: number, kept?: Partial<repo.EventValues>): repo.EventValues => ({
  title: input.title,
  description_md: input.description,
  type_id,
  place_kind: 'commune',
  third_place_id: null,
  insee: input.insee,
  address: null,
  online_url: null,
  starts_at: input.startsAt,
  ends_at: input.endsAt,
  all_day: input.allDay,
  audience: input.audience,
  capacity: input.capacity,
  max_seats: 1,
  registration_opens_at: null,
  registration_closes_at: input.closesAt,
  price_member_cents: kept?.price_member_cents ?? null,
  price_public_cents: kept?.price_public_cents ?? null,
  organiser: kept?.organiser ?? null,
  claim_window_hours: kept?.claim_window_hours ?? 48,
  registration_mode: 'selection',
});

/** A new event in selection mode for the hosting domain; published at once when asked. */
export async function createHostedEvent(db: Executor, ctx: AppContext, territoryId: number, by: string | null, input: HostedEventInput) {
  const now = ctx.clock.now();
  const values = valuesOf(input, await typeId(db, territoryId, input.typeKey));
  const row = await repo.insertEvent(db, { ...values, territoryId, slug: await freeSlug(db, territoryId, input.title, input.startsAt), by, now });
  if (input.status === 'published') await repo.setEventStatus(db, row.id, 'published', now);
  ctx.pageCache.clear();
  return row;
}

/**
 * Updates the hosted event, its row locked by the caller (`withEventLocked`): the capacity never drops below the
 * seats given (the caller words the refusal); a draft may be published and a published event set back to draft.
 */
export async function updateHostedEventLocked(db: Executor, ctx: AppContext, event: repo.LockedEvent, input: HostedEventInput) {
  const taken = await repo.sumSeats(db, event.id);
  if (input.capacity < taken) throw new AppError('invalid', 'events.staff.capacityBelowTaken', {}, { taken });
  const kept = (await repo.findEventValues(db, event.territory_id, event.id))!;
  await repo.updateEvent(db, event.id, { ...valuesOf(input, kept.type_id, kept), now: ctx.clock.now() });
  if (input.status !== event.status && event.status !== 'cancelled') await repo.setEventStatus(db, event.id, input.status, ctx.clock.now());
}

/** The hosted events (with their seats taken), by id. */
export const hostedEvents = (db: Executor, territoryId: number, ids: number[]) => (ids.length ? repo.findEventsByIds(db, territoryId, ids) : Promise.resolve([]));

/** Registrations by id (their state, seats, dates). */
export const hostedRegistrations = (db: Executor, territoryId: number, ids: string[]) => (ids.length ? repo.findRegistrationsByIds(db, territoryId, ids) : Promise.resolve([]));

/** Removes hosted events with all their registrations (the demo's removal). */
export const deleteHostedEvents = (db: Executor, territoryId: number, ids: number[]) => (ids.length ? repo.deleteEvents(db, territoryId, ids) : Promise.resolve());

/** The persons behind these registrations are forgotten (their case was anonymised): name and address blanked. */
export const forgetRegistrations = (db: Executor, ids: string[], now: Date) => (ids.length ? repo.anonymiseRegistrations(db, ids, now) : Promise.resolve());
