/** The only SQL of the appointments room: advisers' slots and the appointments booked in them. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { AppointmentMode, AppointmentOutcome, BookingStatus } from '../../../db/schema.js';

export interface NewSlot {
  territoryId: number;
  adviserId: string;
  start: Date;
  end: Date;
  mode: AppointmentMode;
  placeId: number | null;
  videoUrl: string | null;
  by: string;
  at: Date;
}

export const insertSlot = (db: Executor, s: NewSlot) =>
  db
    .insertInto('appointment_slot')
    .values({
      territory_id: s.territoryId,
      adviser_id: s.adviserId,
      period: sql<string>`tstzrange(${s.start}, ${s.end}, '[)')`,
      mode: s.mode,
      place_id: s.placeId,
      video_url: s.videoUrl,
      status: 'open',
      created_by: s.by,
      created_at: s.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export interface SlotRow {
  id: string;
  adviser_id: string;
  adviser_name: string;
  starts_at: Date;
  ends_at: Date;
  mode: AppointmentMode;
  place_id: number | null;
  place_name: string | null;
  video_url: string | null;
  status: 'open' | 'withdrawn';
}

const slotSelect = sql`
  select s.id, s.adviser_id, u.display_name as adviser_name, lower(s.period) as starts_at, upper(s.period) as ends_at,
    s.mode, s.place_id, p.name as place_name, s.video_url, s.status
  from appointment_slot s
  join user_account u on u.id = s.adviser_id
  left join third_place p on p.id = s.place_id`;

/** A live appointment: confirmed, or held and still within its hold. */
const live = (a: string, now: Date) => sql`(${sql.ref(`${a}.status`)} = 'confirmed' or (${sql.ref(`${a}.status`)} = 'held' and ${sql.ref(`${a}.hold_until`)} > ${now}))`;

/** Open slots starting in [from, to) that nobody holds. */
export async function listFreeSlots(db: Executor, territoryId: number, from: Date, to: Date, now: Date): Promise<SlotRow[]> {
  const { rows } = await sql<SlotRow>`${slotSelect}
    where s.territory_id = ${territoryId} and s.status = 'open' and lower(s.period) >= ${from} and lower(s.period) < ${to}
      and not exists (select 1 from appointment a where a.slot_id = s.id and ${live('a', now)})
    order by lower(s.period), u.display_name limit 500`.execute(db);
  return rows;
}

export async function findSlot(db: Executor, territoryId: number, id: string, opts: { lock?: boolean } = {}): Promise<SlotRow | undefined> {
  const { rows } = await sql<SlotRow>`${slotSelect} where s.territory_id = ${territoryId} and s.id = ${id} ${opts.lock ? sql`for update of s` : sql``}`.execute(db);
  return rows[0];
}

export const hasAnySlot = async (db: Executor, territoryId: number, adviserId: string) =>
  !!(await db.selectFrom('appointment_slot').select('id').where('territory_id', '=', territoryId).where('adviser_id', '=', adviserId).limit(1).executeTakeFirst());

export const withdrawSlot = (db: Executor, id: string) => db.updateTable('appointment_slot').set({ status: 'withdrawn' }).where('id', '=', id).executeTakeFirst();

/** The slot's hold that ran out is released first, in the booking's transaction, so it never stands in the way. */
export const releaseExpiredHold = (db: Executor, slotId: string, now: Date) =>
  sql`update appointment set status = 'released', hold_until = null, cancelled_at = ${now}
      where slot_id = ${slotId} and status = 'held' and hold_until <= ${now}`.execute(db);

export interface NewAppointment {
  territoryId: number;
  slotId: string;
  userId: string | null;
  visitorName: string | null;
  visitorEmail: string | null;
  audience: 'candidate' | 'member' | 'visitor';
  project: string;
  status: 'held' | 'confirmed';
  holdUntil: Date | null;
  confirmTokenHash: string | null;
  followUp: boolean;
  at: Date;
}

export const insertAppointment = (db: Executor, a: NewAppointment) =>
  db
    .insertInto('appointment')
    .values({
      territory_id: a.territoryId,
      slot_id: a.slotId,
      user_id: a.userId,
      visitor_name: a.visitorName,
      visitor_email: a.visitorEmail,
      audience: a.audience,
      project: a.project,
      status: a.status,
      hold_until: a.holdUntil,
      confirm_token_hash: a.confirmTokenHash,
      follow_up: a.followUp,
      created_at: a.at,
      confirmed_at: a.status === 'confirmed' ? a.at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Whether this person (account or e-mail) already met an adviser: the new appointment is then a follow-up. */
export async function hasEarlierAppointment(db: Executor, territoryId: number, who: { userId: string | null; email: string | null }) {
  const row = await db
    .selectFrom('appointment')
    .select('id')
    .where('territory_id', '=', territoryId)
    .where('status', '=', 'confirmed')
    .where((eb) => eb.or([...(who.userId ? [eb('user_id', '=', who.userId)] : []), ...(who.email ? [eb('visitor_email', '=', who.email)] : []), eb.lit(false)]))
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export interface AppointmentRow extends Omit<SlotRow, 'id' | 'status'> {
  id: string;
  territory_id: number;
  slot_id: string;
  user_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  audience: 'candidate' | 'member' | 'visitor';
  project: string;
  status: BookingStatus;
  hold_until: Date | null;
  follow_up: boolean;
  outcome: AppointmentOutcome | null;
  adviser_note: string | null;
  note_attached_to: 'newcomer_case' | 'member' | null;
  created_at: Date;
  person_name: string | null;
  person_email: string | null;
  person_locale: 'fr' | 'en' | null;
}

const appointmentSelect = sql`
  select a.id, a.territory_id, a.slot_id, s.adviser_id, adv.display_name as adviser_name, lower(s.period) as starts_at, upper(s.period) as ends_at,
    s.mode, s.place_id, p.name as place_name, s.video_url, a.user_id, a.visitor_name, a.visitor_email::text as visitor_email, a.audience,
    a.project, a.status, a.hold_until, a.follow_up, a.outcome, a.adviser_note, a.note_attached_to, a.created_at,
    u.display_name as person_name, u.email::text as person_email, u.locale as person_locale
  from appointment a
  join appointment_slot s on s.id = a.slot_id
  join user_account adv on adv.id = s.adviser_id
  left join third_place p on p.id = s.place_id
  left join user_account u on u.id = a.user_id`;

export async function findAppointment(db: Executor, territoryId: number, id: string, opts: { lock?: boolean } = {}): Promise<AppointmentRow | undefined> {
  const { rows } = await sql<AppointmentRow>`${appointmentSelect} where a.territory_id = ${territoryId} and a.id = ${id} ${opts.lock ? sql`for update of a` : sql``}`.execute(db);
  return rows[0];
}

export async function findAppointmentByTokenHash(db: Executor, hash: string, opts: { lock?: boolean } = {}): Promise<AppointmentRow | undefined> {
  const { rows } = await sql<AppointmentRow>`${appointmentSelect} where a.confirm_token_hash = ${hash} ${opts.lock ? sql`for update of a` : sql``}`.execute(db);
  return rows[0];
}

export async function listAppointmentsOfUser(db: Executor, territoryId: number, userId: string, limit = 200): Promise<AppointmentRow[]> {
  const { rows } = await sql<AppointmentRow>`${appointmentSelect} where a.territory_id = ${territoryId} and a.user_id = ${userId}
    order by lower(s.period) desc limit ${limit}`.execute(db);
  return rows;
}

/** The team's list: every slot starting in [from, to), with its live or past appointment if any. */
export async function listSlotsWithAppointments(db: Executor, territoryId: number, from: Date, to: Date, now: Date) {
  const { rows } = await sql<SlotRow & { appointment_id: string | null; person: string | null; project: string | null; appointment_status: BookingStatus | null; outcome: AppointmentOutcome | null; follow_up: boolean | null; note_attached_to: string | null }>`
    select s.id, s.adviser_id, u.display_name as adviser_name, lower(s.period) as starts_at, upper(s.period) as ends_at,
      s.mode, s.place_id, p.name as place_name, s.video_url, s.status,
      a.id as appointment_id, coalesce(pu.display_name, a.visitor_name) as person, a.project, a.status as appointment_status, a.outcome, a.follow_up, a.note_attached_to
    from appointment_slot s
    join user_account u on u.id = s.adviser_id
    left join third_place p on p.id = s.place_id
    left join appointment a on a.slot_id = s.id and ${live('a', now)}
    left join user_account pu on pu.id = a.user_id
    where s.territory_id = ${territoryId} and lower(s.period) >= ${from} and lower(s.period) < ${to} and (s.status = 'open' or a.id is not null)
    order by lower(s.period), u.display_name limit 500`.execute(db);
  return rows;
}

export const setStatus = (db: Executor, id: string, s: { status: BookingStatus; at: Date; by?: string | null }) =>
  db
    .updateTable('appointment')
    .set({
      status: s.status,
      hold_until: null,
      ...(s.status === 'confirmed' ? { confirmed_at: s.at } : {}),
      ...(s.status === 'cancelled' ? { cancelled_at: s.at, cancelled_by: s.by ?? null, confirm_token_hash: null } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();

export const setOutcome = (db: Executor, id: string, o: { outcome: AppointmentOutcome; note: string | null; attachedTo: 'newcomer_case' | 'member' | null; at: Date }) =>
  db.updateTable('appointment').set({ outcome: o.outcome, outcome_at: o.at, adviser_note: o.note, note_attached_to: o.attachedTo }).where('id', '=', id).executeTakeFirst();

export interface MonthFigures {
  month: string;
  booked: number;
  attended: number;
  no_show: number;
  follow_up: number;
}

/** Per month of the appointment (Paris), from `from`: confirmed appointments, attended, no-shows, follow-ups. */
export async function figuresByMonth(db: Executor, territoryId: number, from: Date, to: Date): Promise<MonthFigures[]> {
  const { rows } = await sql<MonthFigures>`
    select to_char(lower(s.period) at time zone 'Europe/Paris', 'YYYY-MM') as month,
      count(*)::int as booked,
      count(*) filter (where a.outcome = 'attended')::int as attended,
      count(*) filter (where a.outcome = 'no_show')::int as no_show,
      count(*) filter (where a.follow_up)::int as follow_up
    from appointment a join appointment_slot s on s.id = a.slot_id
    where a.territory_id = ${territoryId} and a.status = 'confirmed' and lower(s.period) >= ${from} and lower(s.period) < ${to}
    group by 1 order by 1`.execute(db);
  return rows;
}

/** Personal data: a person's appointments as plain rows (export). */
export const exportAppointmentsOfUser = async (db: Executor, territoryId: number, userId: string) =>
  (await listAppointmentsOfUser(db, territoryId, userId, 10_000)).map((a) => ({
    id: a.id,
    adviser: a.adviser_name,
    start: a.starts_at.toISOString(),
    end: a.ends_at.toISOString(),
    mode: a.mode,
    place: a.place_name,
    project: a.project,
    status: a.status,
    outcome: a.outcome,
    adviserNote: a.adviser_note,
    createdAt: a.created_at.toISOString(),
  }));

/**
 * Erasure: the person's coming appointments are cancelled (the slots go back to others); every appointment of
 * theirs loses its link to them, its project and the adviser's note; visitor appointments made with their e-mail
 * lose name and e-mail. Outcomes and follow-up flags stay, unlinked, for the figures.
 */
export async function eraseAppointmentsOfUser(db: Executor, territoryId: number, userId: string, now: Date) {
  const theirs = sql`(user_id = ${userId} or visitor_email = (select email from user_account where id = ${userId}))`;
  await sql`update appointment a set status = 'cancelled', hold_until = null, cancelled_at = ${now}, confirm_token_hash = null
    from appointment_slot s
    where s.id = a.slot_id and a.territory_id = ${territoryId} and ${theirs} and a.status in ('held', 'confirmed') and upper(s.period) > ${now}`.execute(db);
  const res = await sql`update appointment set user_id = null, visitor_name = null, visitor_email = null, project = '', adviser_note = null,
      cancelled_by = case when cancelled_by = ${userId} then null else cancelled_by end
    where territory_id = ${territoryId} and ${theirs}`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
