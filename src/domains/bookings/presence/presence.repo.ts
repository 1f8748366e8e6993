/** The only SQL of the presence room: the day's bookings with who booked, presence marks, a month's bookings. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { BookingPresence } from '../../../db/schema.js';

export interface DayBooking {
  id: string;
  resource_id: number;
  resource_name: string;
  place_name: string;
  starts_at: Date;
  ends_at: Date;
  person_name: string | null;
  visitor_name: string | null;
  note: string;
  presence: BookingPresence | null;
}

/** Confirmed bookings (not blocks) starting in [from, to), by start then resource. */
export async function listBookingsStarting(db: Executor, territoryId: number, from: Date, to: Date): Promise<DayBooking[]> {
  const { rows } = await sql<DayBooking>`
    select b.id, b.resource_id, r.name as resource_name, p.name as place_name, lower(b.period) as starts_at, upper(b.period) as ends_at,
           u.display_name as person_name, b.visitor_name, b.note, b.presence
    from booking b
    join booking_resource r on r.id = b.resource_id
    join third_place p on p.id = r.place_id
    left join user_account u on u.id = b.user_id
    where b.territory_id = ${territoryId} and b.kind = 'booking' and b.status = 'confirmed'
      and lower(b.period) >= ${from} and lower(b.period) < ${to}
    order by lower(b.period), r.name, b.id`.execute(db);
  return rows;
}

export const findBookingForPresence = (db: Executor, territoryId: number, id: string) =>
  db
    .selectFrom('booking')
    .select(['id', 'kind', 'status', 'resource_id', 'presence', sql<Date>`lower(period)`.as('starts_at')])
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export const setPresence = (db: Executor, id: string, presence: BookingPresence | null, at: Date, by: string | null) =>
  db.updateTable('booking').set({ presence, presence_at: presence ? at : null, presence_by: presence ? by : null }).where('id', '=', id).execute();

export interface MonthBooking {
  resource_id: number;
  audience: 'member' | 'visitor' | 'staff';
  starts_at: Date;
  ends_at: Date;
  presence: BookingPresence | null;
}

/** Confirmed bookings (not blocks) overlapping [from, to). */
export async function listBookingsOverlapping(db: Executor, territoryId: number, from: Date, to: Date): Promise<MonthBooking[]> {
  const { rows } = await sql<MonthBooking>`
    select resource_id, audience, lower(period) as starts_at, upper(period) as ends_at, presence from booking
    where territory_id = ${territoryId} and kind = 'booking' and status = 'confirmed' and period && tstzrange(${from}, ${to}, '[)')`.execute(db);
  return rows;
}
