/**
 * SQL of the events domain: types, events, registrations and personal feeds. The seats an event has given are
 * never stored: they are summed from its confirmed and offered registrations, under the event row's lock when a
 * decision depends on them.
 */
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { EventAudience, EventPlaceKind, EventStatus, RegistrationMode, RegistrationStatus } from '../../db/schema.js';

/**
 * An event's figures over its registrations, in one pass over them (one index scan per event listed):
 * - `taken`: seats held, confirmed registrations and offers still open;
 * - `waiting`: registrations in line;
 * - `attended` (the archives): seats of confirmed registrations;
 * - `present`: counted at the door, seats ticked present and walk-ins;
 * - `checked_in`: whether anyone was ticked at the door (present or absent): then attendance is a count, not the
 *   registrations.
 */
const eventFigures = sql<{ taken: number; waiting: number; attended: number; present: number; checked_in: boolean }>`(
  select coalesce(sum(r.seats) filter (where r.status in ('confirmed', 'offered')), 0)::int as taken,
    (count(*) filter (where r.status = 'waiting'))::int as waiting,
    coalesce(sum(r.seats) filter (where r.status = 'confirmed'), 0)::int as attended,
    coalesce(sum(r.seats) filter (where r.attendance in ('present', 'walk_in')), 0)::int as present,
    coalesce(bool_or(r.attendance is not null), false) as checked_in
  from event_registration r where r.event_id = e.id)`;

// ---------------------------------------------------------------------------------------------- types

export const listTypes = (db: Executor, territoryId: number) =>
  db.selectFrom('event_type').selectAll().where('territory_id', '=', territoryId).orderBy('position').orderBy('id').execute();
export type EventTypeRow = Awaited<ReturnType<typeof listTypes>>[number];

export const findTypeByKey = (db: Executor, territoryId: number, key: string) =>
  db.selectFrom('event_type').selectAll().where('territory_id', '=', territoryId).where('key', '=', key).executeTakeFirst();

/** Adds the types missing from the list (first start, demo); existing ones are left as staff made them. */
export async function insertTypes(db: Executor, territoryId: number, types: readonly (readonly [string, string, string])[]) {
  if (!types.length) return 0;
  const rows = await db
    .insertInto('event_type')
    .values(types.map(([key, fr, en], i) => ({ territory_id: territoryId, key, label_fr: fr, label_en: en, position: (i + 1) * 10 })))
    .onConflict((oc) => oc.columns(['territory_id', 'key']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export const insertType = (db: Executor, territoryId: number, v: { key: string; labelFr: string; labelEn: string }) =>
  db
    .insertInto('event_type')
    .values({ territory_id: territoryId, key: v.key, label_fr: v.labelFr, label_en: v.labelEn, position: 500 })
    .onConflict((oc) => oc.columns(['territory_id', 'key']).doUpdateSet({ label_fr: v.labelFr, label_en: v.labelEn, hidden: false }))
    .returning('id')
    .executeTakeFirstOrThrow();

export const setTypeHidden = (db: Executor, territoryId: number, key: string, hidden: boolean) =>
  db.updateTable('event_type').set({ hidden }).where('territory_id', '=', territoryId).where('key', '=', key).executeTakeFirst();

// ---------------------------------------------------------------------------------------------- events

export interface EventValues {
  title: string;
  description_md: string;
  type_id: number;
  place_kind: EventPlaceKind;
  third_place_id: number | null;
  insee: string | null;
  address: string | null;
  online_url: string | null;
  starts_at: Date;
  ends_at: Date;
  all_day: boolean;
  audience: EventAudience;
  capacity: number;
  max_seats: number;
  registration_opens_at: Date | null;
  registration_closes_at: Date | null;
  price_member_cents: number | null;
  price_public_cents: number | null;
  organiser: string | null;
  claim_window_hours: number;
  registration_mode: RegistrationMode;
}

const EVENT_VALUE_KEYS = [
  'title', 'description_md', 'type_id', 'place_kind', 'third_place_id', 'insee', 'address', 'online_url', 'starts_at', 'ends_at', 'all_day',
  'audience', 'capacity', 'max_seats', 'registration_opens_at', 'registration_closes_at', 'price_member_cents', 'price_public_cents', 'organiser',
  'claim_window_hours', 'registration_mode',
] as const satisfies readonly (keyof EventValues)[];
// Fails to compile when EventValues gains a field the list above lacks (it would not be written).
const everyEventValueListed: Exclude<keyof EventValues, (typeof EVENT_VALUE_KEYS)[number]> extends never ? true : never = true;
void everyEventValueListed;

/** The event's editable columns from `v` (which may carry more: the insert's territory, slug, author…). */
const eventValues = (v: EventValues): EventValues => Object.fromEntries(EVENT_VALUE_KEYS.map((k) => [k, v[k]])) as unknown as EventValues;

const eventColumns = [
  'e.id',
  'e.slug',
  'e.title',
  'e.description_md',
  'e.place_kind',
  'e.third_place_id',
  'e.insee',
  'e.address',
  'e.online_url',
  'e.starts_at',
  'e.ends_at',
  'e.all_day',
  'e.audience',
  'e.capacity',
  'e.max_seats',
  'e.registration_opens_at',
  'e.registration_closes_at',
  'e.price_member_cents',
  'e.price_public_cents',
  'e.organiser',
  'e.claim_window_hours',
  'e.registration_mode',
  'e.status',
  'e.published_at',
  'e.cancelled_at',
  'e.created_at',
  'e.updated_at',
  'e.series_id',
  'e.occurrence_key',
  'e.cover_id',
  'e.cover_alt',
  't.key as type_key',
  't.label_fr as type_fr',
  't.label_en as type_en',
  'c.name as commune_name',
] as const;

/** An event's own columns, its type and commune, without the figures counted over its registrations. */
const eventsCoreQuery = (db: Executor, territoryId: number) =>
  db
    .selectFrom('event as e')
    .innerJoin('event_type as t', 't.id', 'e.type_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'e.territory_id').onRef('c.insee', '=', 'e.insee'))
    .select(eventColumns)
    .where('e.territory_id', '=', territoryId);

/**
 * The version of the event's row: the transaction that wrote it (`xmin`), which changes at every update of the row,
 * whoever makes it, even within one millisecond (decision 0033: a one-click registration's cached read of the event
 * is checked against it under the lock).
 */
const rowVersion = (alias: string) => sql<string>`${sql.ref(`${alias}.xmin`)}::text`.as('row_version');

const eventsQuery = (db: Executor, territoryId: number) =>
  db
    .selectFrom('event as e')
    .innerJoin('event_type as t', 't.id', 'e.type_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'e.territory_id').onRef('c.insee', '=', 'e.insee'))
    .innerJoinLateral(eventFigures.as('f'), (j) => j.onTrue())
    .select(eventColumns)
    .select(['f.taken', 'f.waiting', 'f.attended', 'f.present', 'f.checked_in'])
    .where('e.territory_id', '=', territoryId);

export interface EventFilter {
  statuses: EventStatus[];
  /** Events still running or to come at this instant (ends after it), or past ones (ended before it). */
  upcomingAt?: Date;
  pastAt?: Date;
  from?: Date;
  to?: Date;
  typeKey?: string;
  thirdPlaceId?: number;
  insee?: string;
  audience?: EventAudience;
  limit?: number;
}

/**
 * The communes where a published event is on from `now` (placed there, or at one of its third places), by name, for
 * the agenda's filter; `keep` (the commune the visitor chose) is listed even when nothing is on there any more.
 */
export async function listEventCommunes(db: Executor, territoryId: number, now: Date, keep?: string): Promise<{ insee: string; name: string }[]> {
  const { rows } = await sql<{ insee: string; name: string }>`
    select c.insee, c.name from commune c
    where c.territory_id = ${territoryId}
      and (c.insee = ${keep ?? null} or c.insee in (
        select coalesce(p.commune_insee, e.insee) from event e left join third_place p on p.id = e.third_place_id
        where e.territory_id = ${territoryId} and e.status = 'published' and e.ends_at > ${now}))
    order by c.sort_name, c.insee`.execute(db);
  return rows;
}

export function listEvents(db: Executor, territoryId: number, f: EventFilter) {
  let q = eventsQuery(db, territoryId).where('e.status', 'in', f.statuses);
  if (f.upcomingAt) q = q.where('e.ends_at', '>', f.upcomingAt);
  if (f.pastAt) q = q.where('e.ends_at', '<=', f.pastAt);
  if (f.from) q = q.where('e.ends_at', '>', f.from);
  if (f.to) q = q.where('e.starts_at', '<', f.to);
  if (f.typeKey) q = q.where('t.key', '=', f.typeKey);
  if (f.thirdPlaceId) q = q.where('e.third_place_id', '=', f.thirdPlaceId);
  // A commune filter finds events in that commune, and those at a third place of it (the caller passes its ids).
  if (f.insee) q = q.where('e.insee', '=', f.insee);
  if (f.audience) q = q.where('e.audience', '=', f.audience);
  q = f.pastAt ? q.orderBy('e.starts_at', 'desc') : q.orderBy('e.starts_at');
  return q.orderBy('e.id').limit(f.limit ?? 500).execute();
}
export type EventRow = Awaited<ReturnType<typeof listEvents>>[number];

export function listEventsAtPlaces(db: Executor, territoryId: number, f: EventFilter, placeIds: number[], insee: string) {
  let q = eventsQuery(db, territoryId)
    .where('e.status', 'in', f.statuses)
    .where((eb) => (placeIds.length ? eb.or([eb('e.insee', '=', insee), eb('e.third_place_id', 'in', placeIds)]) : eb('e.insee', '=', insee)));
  if (f.upcomingAt) q = q.where('e.ends_at', '>', f.upcomingAt);
  if (f.pastAt) q = q.where('e.ends_at', '<=', f.pastAt);
  if (f.from) q = q.where('e.ends_at', '>', f.from);
  if (f.to) q = q.where('e.starts_at', '<', f.to);
  if (f.typeKey) q = q.where('t.key', '=', f.typeKey);
  if (f.audience) q = q.where('e.audience', '=', f.audience);
  q = f.pastAt ? q.orderBy('e.starts_at', 'desc') : q.orderBy('e.starts_at');
  return q.orderBy('e.id').limit(f.limit ?? 500).execute();
}

export const findEventsByIds = (db: Executor, territoryId: number, ids: number[]) => eventsQuery(db, territoryId).where('e.id', 'in', ids).execute();

export const deleteEvents = async (db: Executor, territoryId: number, ids: number[]) => {
  await db.deleteFrom('event').where('territory_id', '=', territoryId).where('id', 'in', ids).execute();
};

export const findEventBySlug = (db: Executor, territoryId: number, slug: string) => eventsQuery(db, territoryId).where('e.slug', '=', slug).executeTakeFirst();

/**
 * What a registration needs before it locks the event: its id, status and type, by slug. The figures over its
 * registrations (`eventsQuery`) would read every registration of the event, on each registration.
 */
export const findEventHeadBySlug = (db: Executor, territoryId: number, slug: string) =>
  db
    .selectFrom('event as e')
    .innerJoin('event_type as t', 't.id', 'e.type_id')
    .select(['e.id', 'e.status', 't.key as type_key'])
    .where('e.territory_id', '=', territoryId)
    .where('e.slug', '=', slug)
    .executeTakeFirst();

/** The event without its figures (a confirmation's .ics). */
export const findEventCoreById = (db: Executor, territoryId: number, id: number) => eventsCoreQuery(db, territoryId).where('e.id', '=', id).executeTakeFirst();
export type EventCoreRow = NonNullable<Awaited<ReturnType<typeof findEventCoreById>>>;

/**
 * What a signed-in registration reads before it locks the event, in one query: the event without its figures (its
 * status and type to refuse early, and what a confirmation's `.ics` says, built outside the lock), with its row's
 * version, which the locked row is compared with (the read is kept per process: decision 0033).
 */
export const findEventVersionedBySlug = (db: Executor, territoryId: number, slug: string) => eventsCoreQuery(db, territoryId).select(rowVersion('e')).where('e.slug', '=', slug).executeTakeFirst();
export const findEventVersionedById = (db: Executor, territoryId: number, id: number) => eventsCoreQuery(db, territoryId).select(rowVersion('e')).where('e.id', '=', id).executeTakeFirst();
export type EventVersionedRow = NonNullable<Awaited<ReturnType<typeof findEventVersionedById>>>;
export const findEventById = (db: Executor, territoryId: number, id: number) => eventsQuery(db, territoryId).where('e.id', '=', id).executeTakeFirst();

/** Locks the event row: seats are counted and given one transaction at a time (lock order: event, then registrations). */
const LOCKED_COLUMNS = ['id', 'territory_id', 'slug', 'title', 'status', 'audience', 'capacity', 'max_seats', 'starts_at', 'ends_at', 'all_day', 'registration_opens_at', 'registration_closes_at', 'claim_window_hours', 'registration_mode', 'place_kind', 'online_url', 'updated_at'] as const;

export const lockEvent = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('event').select(LOCKED_COLUMNS).select(rowVersion('event')).where('territory_id', '=', territoryId).where('id', '=', id).forUpdate().executeTakeFirst();

/**
 * Several events locked at once, in id order (rows are locked in the order the sort returns them), so two
 * transactions locking overlapping sets never wait on each other in a cycle.
 */
export const lockEvents = (db: Executor, territoryId: number, ids: number[]) =>
  db.selectFrom('event').select(LOCKED_COLUMNS).select(rowVersion('event')).where('territory_id', '=', territoryId).where('id', 'in', ids).orderBy('id').forUpdate().execute();
export type LockedEvent = NonNullable<Awaited<ReturnType<typeof lockEvent>>>;

/** The key of an event's type (read apart from the lock, which would otherwise lock the type's row too). */
export const typeKeyOf = async (db: Executor, eventId: number) =>
  (await db.selectFrom('event as e').innerJoin('event_type as t', 't.id', 'e.type_id').select('t.key').where('e.id', '=', eventId).executeTakeFirst())?.key;

export const slugTaken = async (db: Executor, territoryId: number, slug: string) =>
  !!(await db.selectFrom('event').select('id').where('territory_id', '=', territoryId).where('slug', '=', slug).executeTakeFirst());

export const insertEvent = (db: Executor, v: EventValues & { territoryId: number; slug: string; by: string | null; now: Date; seriesId?: number; occurrenceKey?: string; status?: EventStatus }) =>
  db
    .insertInto('event')
    .values({
      territory_id: v.territoryId,
      slug: v.slug,
      ...eventValues(v),
      status: v.status ?? 'draft',
      published_at: v.status === 'published' ? v.now : null,
      series_id: v.seriesId ?? null,
      occurrence_key: v.occurrenceKey ?? null,
      created_by: v.by,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();

export const updateEvent = (db: Executor, id: number, v: EventValues & { now: Date }) =>
  db
    .updateTable('event')
    .set({
      ...eventValues(v),
      updated_at: v.now,
    })
    .where('id', '=', id)
    .execute();

export const setEventStatus = (db: Executor, id: number, status: EventStatus, now: Date) =>
  db
    .updateTable('event')
    .set({
      status,
      updated_at: now,
      ...(status === 'published' ? { published_at: now } : {}),
      ...(status === 'cancelled' ? { cancelled_at: now } : {}),
    })
    .where('id', '=', id)
    .execute();

/** The row a duplicate copies (everything but identity, dates of publication and status). */
export const findEventValues = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('event').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

// ---------------------------------------------------------------------------------------------- registrations

const registrationColumns = [
  'r.id',
  'r.event_id',
  'r.user_id',
  'r.email',
  'r.name',
  'r.locale',
  'r.seats',
  'r.status',
  'r.queue_position',
  'r.offer_expires_at',
  'r.offers_made',
  'r.passed_over_notified',
  'r.created_at',
  'r.confirmed_at',
  'r.cancelled_at',
  'r.attendance',
  'r.attendance_at',
  'r.decided_at',
] as const;

export const findRegistration = (db: Executor, territoryId: number, id: string) =>
  db.selectFrom('event_registration as r').select(registrationColumns).where('r.territory_id', '=', territoryId).where('r.id', '=', id).executeTakeFirst();
export type RegistrationRow = NonNullable<Awaited<ReturnType<typeof findRegistration>>>;

export const findRegistrationsByIds = (db: Executor, territoryId: number, ids: string[]) =>
  db.selectFrom('event_registration as r').select(registrationColumns).where('r.territory_id', '=', territoryId).where('r.id', 'in', ids).execute();

/** The live registration (not cancelled nor lapsed) of an account, or of an e-mail address, at an event. */
export const findLiveRegistration = (db: Executor, eventId: number, who: { userId?: string; email?: string }) =>
  db
    .selectFrom('event_registration as r')
    .select(registrationColumns)
    .where('r.event_id', '=', eventId)
    .where('r.status', 'not in', ['cancelled', 'lapsed'])
    .where((eb) => {
      const ors = [];
      if (who.userId) ors.push(eb('r.user_id', '=', who.userId));
      if (who.email) ors.push(eb('r.email', '=', who.email));
      return eb.or(ors);
    })
    .orderBy('r.created_at')
    .executeTakeFirst();

export const sumSeats = async (db: Executor, eventId: number) =>
  Number(
    (
      await db
        .selectFrom('event_registration')
        .select(sql<number>`coalesce(sum(seats), 0)`.as('n'))
        .where('event_id', '=', eventId)
        .where('status', 'in', ['confirmed', 'offered'])
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * What a group of one-click registrations needs once its events are locked, in one query: per event, the seats held
 * (confirmed and offered), the next place in line, the number waiting, and the live registrations (oldest first) any
 * of these accounts or addresses already has. Read after the lock, in its own statement, so it sees what the
 * transaction that held the lock before committed. An event with no registration yet has no row: nothing taken.
 */
export async function seatStatesOf(db: Executor, eventIds: number[], who: { userIds: string[]; emails: string[] }) {
  const live = sql<boolean>`r.status not in ('cancelled', 'lapsed') and (r.user_id = any(${who.userIds}::uuid[]) or r.email = any(${who.emails}::citext[]))`;
  const rows = await db
    .selectFrom('event_registration as r')
    .select([
      'r.event_id',
      sql<number>`coalesce(sum(r.seats) filter (where r.status in ('confirmed', 'offered')), 0)`.as('taken'),
      sql<number>`coalesce(max(r.queue_position), 0) + 1`.as('next'),
      sql<number>`count(*) filter (where r.status = 'waiting')`.as('waiting'),
      sql<{ id: string; status: RegistrationStatus; user_id: string | null; email: string }[]>`coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'status', r.status, 'user_id', r.user_id, 'email', r.email) order by r.created_at) filter (where ${live}), '[]'::jsonb)`.as('existing'),
    ])
    .where('r.event_id', 'in', eventIds)
    .groupBy('r.event_id')
    .execute();
  const states = new Map(eventIds.map((id) => [id, { taken: 0, next: 1, waiting: 0, existing: [] as (typeof rows)[number]['existing'] }]));
  for (const row of rows) {
    const existing = typeof row.existing === 'string' ? (JSON.parse(row.existing) as typeof row.existing) : row.existing;
    states.set(row.event_id, { taken: Number(row.taken), next: Number(row.next), waiting: Number(row.waiting), existing });
  }
  return states;
}
export type SeatState = ReturnType<Awaited<ReturnType<typeof seatStatesOf>>['get']> & {};

export const nextQueuePosition = async (db: Executor, eventId: number) =>
  Number(
    (
      await db
        .selectFrom('event_registration')
        .select(sql<number>`coalesce(max(queue_position), 0) + 1`.as('n'))
        .where('event_id', '=', eventId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A new registration's columns. */
export interface NewRegistration {
  territoryId: number;
  eventId: number;
  userId: string | null;
  email: string;
  name: string;
  locale: 'fr' | 'en';
  seats: number;
  status: RegistrationStatus;
  queuePosition: number | null;
  now: Date;
}

const registrationRow = (v: NewRegistration) => ({
  territory_id: v.territoryId,
  event_id: v.eventId,
  user_id: v.userId,
  email: v.email,
  name: v.name,
  locale: v.locale,
  seats: v.seats,
  status: v.status,
  queue_position: v.queuePosition,
  created_at: v.now,
  confirmed_at: v.status === 'confirmed' ? v.now : null,
  updated_at: v.now,
});

export const insertRegistration = (db: Executor, v: NewRegistration) => db.insertInto('event_registration').values(registrationRow(v)).returning('id').executeTakeFirstOrThrow();

/** Several registrations of one event in one statement; their ids come back with their place in line. */
export const insertRegistrations = (db: Executor, rows: (NewRegistration & { queuePosition: number })[]) =>
  db
    .insertInto('event_registration')
    .values(rows.map(registrationRow))
    .returning(['id', 'event_id', 'queue_position'])
    .execute();

export const setRegistration = (
  db: Executor,
  id: string,
  v: { status: RegistrationStatus; now: Date; queuePosition?: number | null; offerExpiresAt?: Date | null; seats?: number; offersMade?: number; decided?: boolean },
) =>
  db
    .updateTable('event_registration')
    .set({
      status: v.status,
      updated_at: v.now,
      offer_expires_at: v.status === 'offered' ? (v.offerExpiresAt ?? null) : null,
      ...(v.queuePosition !== undefined ? { queue_position: v.queuePosition } : {}),
      ...(v.seats !== undefined ? { seats: v.seats } : {}),
      ...(v.offersMade !== undefined ? { offers_made: v.offersMade } : {}),
      ...(v.decided ? { decided_at: v.now } : {}),
      ...(v.status === 'confirmed' ? { confirmed_at: v.now } : {}),
      ...(v.status === 'cancelled' || v.status === 'lapsed' ? { cancelled_at: v.now } : {}),
    })
    .where('id', '=', id)
    .execute();

export const markPassedOverNotified = (db: Executor, id: string) => db.updateTable('event_registration').set({ passed_over_notified: true }).where('id', '=', id).execute();

/** The waiting list in its order. */
export const listWaiting = (db: Executor, eventId: number) =>
  db
    .selectFrom('event_registration as r')
    .select(registrationColumns)
    .where('r.event_id', '=', eventId)
    .where('r.status', '=', 'waiting')
    .orderBy('r.queue_position')
    .orderBy('r.created_at')
    .execute();

/** Every registration of an event, for staff: confirmed and offered first, then the waiting list in order. */
export const listRegistrationsOfEvent = (db: Executor, eventId: number) =>
  db
    .selectFrom('event_registration as r')
    .select(registrationColumns)
    .where('r.event_id', '=', eventId)
    .orderBy(sql`case r.status when 'confirmed' then 0 when 'offered' then 1 when 'applied' then 2 when 'waiting' then 3 when 'pending' then 4 when 'declined' then 5 else 6 end`)
    .orderBy('r.queue_position')
    .orderBy('r.created_at')
    .execute();

/** Registrations that hold, wait or applied for a seat (who is told when the event changes or is cancelled). */
export const listLiveRegistrations = (db: Executor, eventId: number) =>
  db
    .selectFrom('event_registration as r')
    .select(registrationColumns)
    .where('r.event_id', '=', eventId)
    .where('r.status', 'in', ['confirmed', 'offered', 'waiting', 'applied'])
    .orderBy('r.created_at')
    .execute();

export const cancelAllLive = (db: Executor, eventId: number, now: Date) =>
  db
    .updateTable('event_registration')
    .set({ status: 'cancelled', cancelled_at: now, updated_at: now, offer_expires_at: null })
    .where('event_id', '=', eventId)
    .where('status', 'in', ['confirmed', 'offered', 'waiting', 'pending', 'applied'])
    .execute();

/** A person's registrations, with their events, newest event first. */
export const listRegistrationsOfUser = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('event_registration as r')
    .innerJoin('event as e', 'e.id', 'r.event_id')
    .select(registrationColumns)
    .select(['e.slug', 'e.title', 'e.starts_at', 'e.ends_at', 'e.all_day', 'e.status as event_status', 'e.place_kind', 'e.online_url'])
    .where('r.territory_id', '=', territoryId)
    .where('r.user_id', '=', userId)
    .orderBy('e.starts_at', 'desc')
    .execute();
export type UserRegistrationRow = Awaited<ReturnType<typeof listRegistrationsOfUser>>[number];

/** Offers whose window has ended and nobody claimed (the sweep that backs up the expiry jobs). */
export const listLapsedOffers = (db: Executor, territoryId: number, now: Date) =>
  db
    .selectFrom('event_registration')
    .select(['id', 'event_id'])
    .where('territory_id', '=', territoryId)
    .where('status', '=', 'offered')
    .where('offer_expires_at', '<=', now)
    .execute();

export const swapQueuePositions = async (db: Executor, a: { id: string; queue_position: number | null }, b: { id: string; queue_position: number | null }) => {
  await db.updateTable('event_registration').set({ queue_position: b.queue_position }).where('id', '=', a.id).execute();
  await db.updateTable('event_registration').set({ queue_position: a.queue_position }).where('id', '=', b.id).execute();
};

export const anonymiseRegistrations = async (db: Executor, ids: string[], now: Date) => {
  await db
    .updateTable('event_registration')
    .set((eb) => ({ user_id: null, name: '—', email: sql<string>`'efface-' || ${eb.ref('id')} || '@invalid.invalid'`, updated_at: now }))
    .where('id', 'in', ids)
    .execute();
};

export const anonymiseRegistrationsOfUser = (db: Executor, userId: string, now: Date) =>
  db
    .updateTable('event_registration')
    .set((eb) => ({ user_id: null, name: '—', email: sql<string>`'efface-' || ${eb.ref('id')} || '@invalid.invalid'`, updated_at: now }))
    .where('user_id', '=', userId)
    .returning('id')
    .execute();

// ---------------------------------------------------------------------------------------------- series

export const insertSeries = (db: Executor, v: { territoryId: number; rule: string; firstLocal: string; durationMinutes: number; allDay: boolean; by: string; now: Date }) =>
  db
    .insertInto('event_series')
    .values({ territory_id: v.territoryId, rrule: v.rule, first_local: v.firstLocal, duration_minutes: v.durationMinutes, all_day: v.allDay, horizon_at: v.now, created_by: v.by, created_at: v.now, updated_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Locks a series: its horizon moves one transaction at a time, so an occurrence is never made twice. */
export const lockSeries = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('event_series').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).forUpdate().executeTakeFirst();
export type SeriesRow = NonNullable<Awaited<ReturnType<typeof lockSeries>>>;

export const findSeries = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('event_series').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export const listSeriesIds = async (db: Executor, territoryId: number) =>
  (await db.selectFrom('event_series').select('id').where('territory_id', '=', territoryId).orderBy('id').execute()).map((r) => r.id);

export const setSeriesHorizon = (db: Executor, id: number, horizon: Date, now: Date) => db.updateTable('event_series').set({ horizon_at: horizon, updated_at: now }).where('id', '=', id).execute();

export const listOccurrenceKeys = async (db: Executor, seriesId: number) =>
  new Set((await db.selectFrom('event').select('occurrence_key').where('series_id', '=', seriesId).execute()).map((r) => r.occurrence_key!));

/** A series' occurrences in date order, with their seats, for the team. */
export const listOccurrences = (db: Executor, territoryId: number, seriesId: number) => eventsQuery(db, territoryId).where('e.series_id', '=', seriesId).orderBy('e.starts_at').orderBy('e.id').execute();

/** What new occurrences copy: the last one not cancelled (so a change made "from a date onward" carries on). */
export const findSeriesTemplate = (db: Executor, territoryId: number, seriesId: number) =>
  db
    .selectFrom('event')
    .selectAll()
    .where('territory_id', '=', territoryId)
    .where('series_id', '=', seriesId)
    .orderBy(sql`status = 'cancelled'`)
    .orderBy('starts_at', 'desc')
    .executeTakeFirst();
export type EventValuesRow = NonNullable<Awaited<ReturnType<typeof findSeriesTemplate>>>;

// ---------------------------------------------------------------------------------------------- attendance

/** The door list: seats given and walk-ins, by name, optionally those whose name holds `q` (accents ignored). */
export function listDoorList(db: Executor, eventId: number, q?: string) {
  let query = db
    .selectFrom('event_registration as r')
    .select(registrationColumns)
    .where('r.event_id', '=', eventId)
    .where('r.status', 'in', ['confirmed', 'walk_in']);
  if (q) query = query.where(sql<boolean>`unaccent(r.name) ilike unaccent(${'%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%'})`);
  return query.orderBy(sql`lower(unaccent(r.name))`).orderBy('r.created_at').limit(500).execute();
}

export const setAttendance = (db: Executor, id: string, v: { attendance: 'present' | 'absent' | null; by: string; now: Date }) =>
  db
    .updateTable('event_registration')
    .set({ attendance: v.attendance, attendance_at: v.attendance ? v.now : null, attendance_by: v.attendance ? v.by : null, updated_at: v.now })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();

export const insertWalkIn = (db: Executor, v: { territoryId: number; eventId: number; name: string; email: string | null; by: string; now: Date }) =>
  db
    .insertInto('event_registration')
    .values({
      territory_id: v.territoryId,
      event_id: v.eventId,
      email: v.email,
      name: v.name,
      seats: 1,
      status: 'walk_in',
      attendance: 'walk_in',
      attendance_at: v.now,
      attendance_by: v.by,
      created_at: v.now,
      confirmed_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Walk-ins per event. */
export async function countWalkIns(db: Executor, eventIds: number[]) {
  if (!eventIds.length) return new Map<number, number>();
  const rows = await db
    .selectFrom('event_registration')
    .select(['event_id', sql<number>`count(*)::int`.as('n')])
    .where('event_id', 'in', eventIds)
    .where('status', '=', 'walk_in')
    .groupBy('event_id')
    .execute();
  return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
}

/** Past published events between two instants with their registrations and door counts, for the figures. */
export const listAttendanceFigures = (db: Executor, territoryId: number, from: Date, to: Date) =>
  eventsQuery(db, territoryId).where('e.status', '=', 'published').where('e.ends_at', '<=', to).where('e.starts_at', '>=', from).orderBy('e.starts_at').orderBy('e.id').limit(5000).execute();

// ---------------------------------------------------------------------------------------------- personal feeds

export const findFeedUser = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('event_feed as f')
    .innerJoin('user_account as u', 'u.id', 'f.user_id')
    .select(['f.user_id', 'f.territory_id', 'f.created_at'])
    .where('f.token_hash', '=', tokenHash)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();

export const findFeedOf = (db: Executor, userId: string) => db.selectFrom('event_feed').select(['created_at']).where('user_id', '=', userId).executeTakeFirst();

export const upsertFeed = (db: Executor, territoryId: number, userId: string, tokenHash: string, now: Date) =>
  db
    .insertInto('event_feed')
    .values({ user_id: userId, territory_id: territoryId, token_hash: tokenHash, created_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: now }))
    .execute();

export const deleteFeed = (db: Executor, userId: string) => db.deleteFrom('event_feed').where('user_id', '=', userId).executeTakeFirst();

/** The roles an account holds in a territory (a personal feed has no session to carry them). */
export const rolesOf = async (db: Executor, territoryId: number, userId: string) =>
  (await db.selectFrom('role_grant').select('role').where('territory_id', '=', territoryId).where('user_id', '=', userId).execute()).map((r) => r.role);

export const findUserContact = (db: Executor, userId: string) =>
  db.selectFrom('user_account').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirst();

// ---------------------------------------------------------------------------------------------- cover images

/** Replaces the event's cover (bytes and id on the event, in the caller's transaction). */
export async function setCover(db: Executor, v: { territoryId: number; eventId: number; id: string; image: Buffer; alt: string | null; now: Date }) {
  await db.deleteFrom('event_cover').where('event_id', '=', v.eventId).execute();
  await db.insertInto('event_cover').values({ id: v.id, event_id: v.eventId, territory_id: v.territoryId, image: v.image, created_at: v.now }).execute();
  await db.updateTable('event').set({ cover_id: v.id, cover_alt: v.alt, updated_at: v.now }).where('id', '=', v.eventId).execute();
}

export async function removeCover(db: Executor, eventId: number, now: Date) {
  const gone = await db.deleteFrom('event_cover').where('event_id', '=', eventId).executeTakeFirst();
  await db.updateTable('event').set({ cover_id: null, cover_alt: null, updated_at: now }).where('id', '=', eventId).execute();
  return Number(gone.numDeletedRows) > 0;
}

/** Who may change an event's cover: its status and who proposed it. */
export const findCoverOwnership = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('event').select(['status', 'proposed_by', 'proposal_status']).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

/** A cover's bytes with its event's status and proposer (who may see it). */
export const findCover = (db: Executor, territoryId: number, id: string) =>
  db
    .selectFrom('event_cover as c')
    .innerJoin('event as e', 'e.id', 'c.event_id')
    .select(['c.image', 'e.status', 'e.proposed_by'])
    .where('c.territory_id', '=', territoryId)
    .where('c.id', '=', id)
    .where('e.cover_id', '=', id)
    .executeTakeFirst();
