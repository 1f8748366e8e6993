/**
 * Attendance: the door list of an event (search by name, tick present or absent, add a walk-in), the check-in page a
 * registration's QR code opens, and the attendance figures per event, type and month (page and CSV). Attendance is
 * kept on the registration with who recorded it and when; a walk-in holds no seat, so the door never overbooks.
 */
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { toCsv } from '../../../shared/csv.js';
import { isRowId, isUuid } from '../../../shared/input.js';
import { DAY, formatDateTime, parisDay } from '../../../shared/time.js';
import { recordAudit } from '../../audit/index.js';
import { isCheckinToken } from '../events.common.js';
import { canManageEvents } from '../events.policy.js';
import { assertEventStaff } from '../events.policy.js';
import * as repo from '../events.repo.js';
import type { FiguresQuery, WalkInInput } from './attendance.schemas.js';

const notFound = () => new AppError('not_found', 'events.notFound');

async function doorEvent(ctx: AppContext, actor: Actor, id: number) {
  assertEventStaff(actor);
  if (!isRowId(id)) throw notFound();
  const event = await repo.findEventById(ctx.db, actor.territoryId, id);
  if (!event) throw notFound();
  return event;
}

/** The door list, those whose name holds `q` when given, with the counts so far. */
export async function getDoorList(ctx: AppContext, actor: Actor, id: number, q?: string) {
  const event = await doorEvent(ctx, actor, id);
  const [people, all] = await Promise.all([repo.listDoorList(ctx.db, id, q), q ? repo.listDoorList(ctx.db, id) : undefined]);
  const everyone = all ?? people;
  const present = everyone.filter((r) => r.attendance === 'present' || r.attendance === 'walk_in').reduce((n, r) => n + r.seats, 0);
  const expected = everyone.filter((r) => r.status === 'confirmed').reduce((n, r) => n + r.seats, 0);
  return { event, people, q: q ?? '', present, expected, now: ctx.clock.now() };
}
export type DoorList = Awaited<ReturnType<typeof getDoorList>>;

function assertOpenForCheckIn(event: { status: string }) {
  if (event.status !== 'published') throw new AppError('conflict', 'events.door.notPublished');
}

/** Ticks a confirmed registration present or absent (or clears it), with who and when; audited. */
export async function markAttendance(ctx: AppContext, actor: Actor, id: number, registrationId: string, attendance: 'present' | 'absent' | null) {
  const event = await doorEvent(ctx, actor, id);
  assertOpenForCheckIn(event);
  if (!isUuid(registrationId)) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const r = await repo.findRegistration(trx, actor.territoryId, registrationId);
    if (!r || r.event_id !== id) throw notFound();
    if (r.status !== 'confirmed') throw new AppError('conflict', 'events.door.notConfirmed');
    await repo.setAttendance(trx, r.id, { attendance, by: actor.userId!, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, { action: 'event_registration.attendance_recorded', subjectType: 'event', subjectId: String(id), data: { registration: r.id, attendance } });
  });
  ctx.pageCache.clear();
}

/** Someone who came without registering: a walk-in, present, holding no seat. */
export async function addWalkIn(ctx: AppContext, actor: Actor, id: number, input: WalkInInput) {
  const event = await doorEvent(ctx, actor, id);
  assertOpenForCheckIn(event);
  await ctx.db.transaction().execute(async (trx) => {
    // Someone already registered under this address is ticked present instead of counted twice.
    const existing = input.email ? await repo.findLiveRegistration(trx, id, { email: input.email }) : undefined;
    if (existing?.status === 'confirmed') await repo.setAttendance(trx, existing.id, { attendance: 'present', by: actor.userId!, now: ctx.clock.now() });
    else if (existing?.status === 'walk_in') return;
    else if (existing) throw new AppError('conflict', 'events.door.alreadyListed');
    else await repo.insertWalkIn(trx, { territoryId: actor.territoryId, eventId: id, name: input.name, email: input.email ?? null, by: actor.userId!, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, { action: 'event_registration.walk_in_added', subjectType: 'event', subjectId: String(id), data: { existing: existing?.id ?? null } });
  });
  ctx.pageCache.clear();
}

/**
 * What a check-in QR code opens. A forged or guessed token is "not found"; anyone but the team sees a harmless page
 * (no name, no event); the team sees the person and can tick them present.
 */
export async function getCheckin(ctx: AppContext, actor: Actor, registrationId: string, token: string) {
  if (!isCheckinToken(ctx, registrationId, token)) throw new AppError('not_found', 'events.checkin.invalid');
  if (!actor.userId || !canManageEvents(actor)) return { forTeam: false as const };
  const r = await repo.findRegistration(ctx.db, actor.territoryId, registrationId);
  if (!r) throw new AppError('not_found', 'events.checkin.invalid');
  const event = (await repo.findEventById(ctx.db, actor.territoryId, r.event_id))!;
  return { forTeam: true as const, registration: r, event };
}

export async function checkInByToken(ctx: AppContext, actor: Actor, registrationId: string, token: string) {
  if (!isCheckinToken(ctx, registrationId, token)) throw new AppError('not_found', 'events.checkin.invalid');
  assertEventStaff(actor);
  const r = await repo.findRegistration(ctx.db, actor.territoryId, registrationId);
  if (!r) throw new AppError('not_found', 'events.checkin.invalid');
  await markAttendance(ctx, actor, r.event_id, r.id, 'present');
}

// ---------------------------------------------------------------------------------------------- figures

interface Tally {
  key: string;
  label: string;
  events: number;
  checked: number;
  registered: number;
  present: number;
  walkIns: number;
}
const tally = (key: string, label: string): Tally => ({ key, label, events: 0, checked: 0, registered: 0, present: 0, walkIns: 0 });

/**
 * Past published events of the period with their confirmed seats and, where the door list was used, the people
 * present (walk-ins included); summed per type and per month (Paris). An event nobody ticked counts no one present.
 */
export async function getAttendanceFigures(ctx: AppContext, actor: Actor, query: FiguresQuery) {
  assertEventStaff(actor);
  const now = ctx.clock.now();
  const to = query.to && query.to < now ? query.to : now;
  const from = query.from ?? new Date(now.getTime() - 365 * DAY);
  const rows = await repo.listAttendanceFigures(ctx.db, actor.territoryId, from, to);
  const walkIns = await repo.countWalkIns(ctx.db, rows.map((e) => e.id));
  const events = rows.map((e) => ({
    id: e.id,
    title: e.title,
    startsAt: e.starts_at,
    month: parisDay(e.starts_at).slice(0, 7),
    typeKey: e.type_key,
    typeLabel: e.type_fr,
    typeLabelEn: e.type_en,
    capacity: e.capacity,
    registered: e.attended,
    checked: e.checked_in,
    present: e.checked_in ? e.present : null,
    walkIns: walkIns.get(e.id) ?? 0,
  }));
  const byType = new Map<string, Tally>();
  const byMonth = new Map<string, Tally>();
  for (const e of events) {
    for (const [map, key, label] of [
      [byType, e.typeKey, e.typeLabel],
      [byMonth, e.month, e.month],
    ] as const) {
      const t = map.get(key) ?? tally(key, label);
      t.events += 1;
      t.registered += e.registered;
      if (e.checked) {
        t.checked += 1;
        t.present += e.present ?? 0;
        t.walkIns += e.walkIns;
      }
      map.set(key, t);
    }
  }
  return { events, byType: [...byType.values()].sort((a, b) => b.present - a.present || a.label.localeCompare(b.label)), byMonth: [...byMonth.values()].sort((a, b) => a.key.localeCompare(b.key)), from, to, asOf: now };
}
export type AttendanceFigures = Awaited<ReturnType<typeof getAttendanceFigures>>;

/** The figures as CSV (French Excel): one row per event, its source and date in the last lines; audited. */
export async function attendanceCsv(ctx: AppContext, actor: Actor, query: FiguresQuery) {
  const f = await getAttendanceFigures(ctx, actor, query);
  const rows = [
    ['Événement', 'Date', 'Type', 'Mois', 'Capacité', 'Places confirmées', 'Pointage à la porte', 'Présents', 'Dont venus sans inscription'],
    ...f.events.map((e) => [e.title, formatDateTime(e.startsAt, 'fr-FR'), e.typeLabel, e.month, e.capacity, e.registered, e.checked ? 'oui' : 'non', e.present, e.checked ? e.walkIns : null]),
    [],
    [`Source : registres du programme (inscriptions et pointage à la porte enregistrés sur ce site), au ${formatDateTime(f.asOf, 'fr-FR')}.`],
  ];
  await recordAudit(ctx.db, ctx, actor, { action: 'event.attendance_exported', subjectType: 'event', subjectId: 'figures', data: { events: f.events.length } });
  return { name: `participation-${parisDay(f.from)}-${parisDay(f.to)}.csv`, body: toCsv(rows) };
}
