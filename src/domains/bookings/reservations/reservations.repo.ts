/** The only SQL of the reservations room: bookings, read by period, written one at a time. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { BookingStatus } from '../../../db/schema.js';

export interface LiveBooking {
  id: string;
  resource_id: number;
  kind: 'booking' | 'block';
  starts_at: Date;
  ends_at: Date;
}

/** Live bookings (confirmed, or held and still within their hold) of these resources overlapping [from, to). */
export async function listLiveBookings(db: Executor, resourceIds: readonly number[], from: Date, to: Date, now: Date): Promise<LiveBooking[]> {
  if (!resourceIds.length) return [];
  const { rows } = await sql<LiveBooking>`
    select id, resource_id, kind, lower(period) as starts_at, upper(period) as ends_at from booking
    where resource_id in (${sql.join([...resourceIds])}) and status in ('held', 'confirmed')
      and (status = 'confirmed' or hold_until > ${now}) and period && tstzrange(${from}, ${to}, '[)')`.execute(db);
  return rows;
}

/**
 * Releases the holds of these resources that ran out, in the booking's own transaction, so an expired hold never
 * stands in the way while its release job is still to run.
 */
export const releaseExpiredHolds = (db: Executor, resourceIds: readonly number[], now: Date) =>
  sql`update booking set status = 'released', hold_until = null, cancelled_at = ${now}
      where resource_id in (${sql.join([...resourceIds])}) and status = 'held' and hold_until <= ${now}`.execute(db);

/** Takes the resource's row lock: bookings of a shared space, or of a room and its machines, queue here. */
export const lockResource = (db: Executor, id: number) => db.selectFrom('booking_resource').select('id').where('id', '=', id).forUpdate().executeTakeFirst();

export interface NewBooking {
  territoryId: number;
  resourceId: number;
  start: Date;
  end: Date;
  exclusive: boolean;
  kind: 'booking' | 'block';
  status: 'held' | 'confirmed';
  audience: 'member' | 'visitor' | 'staff';
  userId: string | null;
  visitorName: string | null;
  visitorEmail: string | null;
  confirmTokenHash: string | null;
  holdUntil: Date | null;
  note: string;
  bookedBy: string | null;
  at: Date;
  /** The weekly series it belongs to, when the back office created it as one. */
  seriesId?: string | null;
}

export const insertBooking = (db: Executor, b: NewBooking) =>
  db
    .insertInto('booking')
    .values({
      territory_id: b.territoryId,
      resource_id: b.resourceId,
      period: sql<string>`tstzrange(${b.start}, ${b.end}, '[)')`,
      exclusive: b.exclusive,
      kind: b.kind,
      status: b.status,
      audience: b.audience,
      user_id: b.userId,
      visitor_name: b.visitorName,
      visitor_email: b.visitorEmail,
      confirm_token_hash: b.confirmTokenHash,
      hold_until: b.holdUntil,
      note: b.note,
      booked_by: b.bookedBy,
      created_at: b.at,
      confirmed_at: b.status === 'confirmed' ? b.at : null,
      series_id: b.seriesId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export interface BookingRow {
  id: string;
  territory_id: number;
  resource_id: number;
  resource_name: string;
  resource_slug: string;
  place_name: string;
  cancel_hours: number;
  kind: 'booking' | 'block';
  status: BookingStatus;
  audience: 'member' | 'visitor' | 'staff';
  starts_at: Date;
  ends_at: Date;
  user_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  hold_until: Date | null;
  note: string;
  created_at: Date;
  person_name: string | null;
  person_email: string | null;
  person_locale: 'fr' | 'en' | null;
  series_id: string | null;
}

const bookingSelect = sql`
  select b.id, b.territory_id, b.resource_id, r.name as resource_name, r.slug as resource_slug, p.name as place_name, r.cancel_hours,
    b.kind, b.status, b.audience, lower(b.period) as starts_at, upper(b.period) as ends_at, b.user_id, b.visitor_name,
    b.visitor_email::text as visitor_email, b.hold_until, b.note, b.created_at,
    u.display_name as person_name, u.email::text as person_email, u.locale as person_locale, b.series_id
  from booking b
  join booking_resource r on r.id = b.resource_id
  join third_place p on p.id = r.place_id
  left join user_account u on u.id = b.user_id`;

export async function findBooking(db: Executor, territoryId: number, id: string, opts: { lock?: boolean } = {}): Promise<BookingRow | undefined> {
  const { rows } = await sql<BookingRow>`${bookingSelect} where b.territory_id = ${territoryId} and b.id = ${id} ${opts.lock ? sql`for update of b` : sql``}`.execute(db);
  return rows[0];
}

export async function findBookingByTokenHash(db: Executor, hash: string, opts: { lock?: boolean } = {}): Promise<BookingRow | undefined> {
  const { rows } = await sql<BookingRow>`${bookingSelect} where b.confirm_token_hash = ${hash} ${opts.lock ? sql`for update of b` : sql``}`.execute(db);
  return rows[0];
}

/** A person's bookings, the coming ones first, then the last past ones. */
export async function listBookingsOfUser(db: Executor, territoryId: number, userId: string, limit = 200): Promise<BookingRow[]> {
  const { rows } = await sql<BookingRow>`${bookingSelect} where b.territory_id = ${territoryId} and b.user_id = ${userId}
    order by lower(b.period) desc limit ${limit}`.execute(db);
  return rows;
}

/** Every booking and block of the territory in [from, to), for the back office's list. */
export async function listBookingsBetween(db: Executor, territoryId: number, from: Date, to: Date, limit = 500): Promise<BookingRow[]> {
  const { rows } = await sql<BookingRow>`${bookingSelect} where b.territory_id = ${territoryId} and b.period && tstzrange(${from}, ${to}, '[)')
    and b.status in ('held', 'confirmed') order by lower(b.period), r.name limit ${limit}`.execute(db);
  return rows;
}

export const setStatus = (db: Executor, id: string, s: { status: BookingStatus; at: Date; by?: string | null }) =>
  db
    .updateTable('booking')
    .set({
      status: s.status,
      hold_until: null,
      ...(s.status === 'confirmed' ? { confirmed_at: s.at } : {}),
      ...(s.status === 'cancelled' ? { cancelled_at: s.at, cancelled_by: s.by ?? null, confirm_token_hash: null } : {}),
      // A released hold keeps its link's hash, so the link can still say it expired.
      ...(s.status === 'released' ? { cancelled_at: s.at } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();

/** Personal data: a person's bookings as plain rows (export). */
export const exportBookingsOfUser = async (db: Executor, territoryId: number, userId: string) =>
  (await listBookingsOfUser(db, territoryId, userId, 10_000)).map((b) => ({
    id: b.id,
    resource: b.resource_name,
    place: b.place_name,
    start: b.starts_at.toISOString(),
    end: b.ends_at.toISOString(),
    status: b.status,
    note: b.note,
    createdAt: b.created_at.toISOString(),
  }));

/**
 * Erasure: the person's future live bookings are cancelled (the slots go back to others), and every booking of
 * theirs loses its link to them and its note; visitor bookings made with their e-mail lose name and e-mail.
 */
export async function eraseBookingsOfUser(db: Executor, territoryId: number, userId: string, now: Date) {
  const theirs = sql`(user_id = ${userId} or visitor_email = (select email from user_account where id = ${userId}))`;
  await sql`update booking set status = 'cancelled', hold_until = null, cancelled_at = ${now}, confirm_token_hash = null
    where territory_id = ${territoryId} and ${theirs} and status in ('held', 'confirmed') and upper(period) > ${now}`.execute(db);
  const res = await sql`update booking set user_id = null, visitor_name = null, visitor_email = null, note = '',
      booked_by = case when booked_by = ${userId} then null else booked_by end
    where territory_id = ${territoryId} and ${theirs}`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/** Held bookings, for the start-up check that each has its release job. */
export const listHeldBookingIds = async (db: Executor) =>
  (await db.selectFrom('booking').select(['id', 'hold_until']).where('status', '=', 'held').execute()).map((b) => ({ id: b.id, holdUntil: b.hold_until! }));

// ---------------------------------------------------------------------------------------------- weekly series

export const insertSeries = (
  db: Executor,
  s: { territoryId: number; resourceId: number; kind: 'booking' | 'block'; weekdays: number[]; startMinutes: number; endMinutes: number; firstDay: string; lastDay: string; createdBy: string | null; at: Date },
) =>
  db
    .insertInto('booking_series')
    .values({
      territory_id: s.territoryId,
      resource_id: s.resourceId,
      kind: s.kind,
      weekdays: sql<number[]>`${`{${s.weekdays.join(',')}}`}::integer[]`,
      start_minutes: s.startMinutes,
      end_minutes: s.endMinutes,
      first_day: s.firstDay,
      last_day: s.lastDay,
      created_by: s.createdBy,
      created_at: s.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export interface SeriesRow {
  id: string;
  resource_id: number;
  resource_name: string;
  resource_slug: string;
  kind: 'booking' | 'block';
  weekdays: number[];
  start_minutes: number;
  end_minutes: number;
  first_day: string;
  last_day: string;
  created_at: Date;
  cancelled_at: Date | null;
}

export async function findSeries(db: Executor, territoryId: number, id: string, opts: { lock?: boolean } = {}): Promise<SeriesRow | undefined> {
  const { rows } = await sql<SeriesRow>`
    select s.id, s.resource_id, r.name as resource_name, r.slug as resource_slug, s.kind, s.weekdays, s.start_minutes, s.end_minutes,
      s.first_day::text as first_day, s.last_day::text as last_day, s.created_at, s.cancelled_at
    from booking_series s join booking_resource r on r.id = s.resource_id
    where s.territory_id = ${territoryId} and s.id = ${id} ${opts.lock ? sql`for update of s` : sql``}`.execute(db);
  return rows[0];
}

export async function listBookingsOfSeries(db: Executor, seriesId: string): Promise<BookingRow[]> {
  const { rows } = await sql<BookingRow>`${bookingSelect} where b.series_id = ${seriesId} order by lower(b.period)`.execute(db);
  return rows;
}

/** The series' confirmed occurrences that have not started yet become cancelled; returns them, soonest first. */
export async function cancelRemainingOfSeries(db: Executor, seriesId: string, now: Date, by: string | null) {
  const { rows } = await sql<{ id: string; starts_at: Date }>`
    update booking set status = 'cancelled', hold_until = null, cancelled_at = ${now}, cancelled_by = ${by}
    where series_id = ${seriesId} and status = 'confirmed' and lower(period) > ${now}
    returning id, lower(period) as starts_at`.execute(db);
  return rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime());
}

export const markSeriesCancelled = (db: Executor, id: string, now: Date) => db.updateTable('booking_series').set({ cancelled_at: now }).where('id', '=', id).execute();

// ---------------------------------------------------------------------------------------------- personal feed

export const findFeedUser = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('booking_feed as f')
    .innerJoin('user_account as u', 'u.id', 'f.user_id')
    .select(['f.user_id', 'f.territory_id', 'u.locale'])
    .where('f.token_hash', '=', tokenHash)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();

export const findFeedOf = (db: Executor, userId: string) => db.selectFrom('booking_feed').select(['created_at']).where('user_id', '=', userId).executeTakeFirst();

export const upsertFeed = (db: Executor, territoryId: number, userId: string, tokenHash: string, now: Date) =>
  db
    .insertInto('booking_feed')
    .values({ user_id: userId, territory_id: territoryId, token_hash: tokenHash, created_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: now, territory_id: territoryId }))
    .execute();

export const deleteFeed = (db: Executor, userId: string) => db.deleteFrom('booking_feed').where('user_id', '=', userId).executeTakeFirst();
