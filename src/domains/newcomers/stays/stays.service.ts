/**
 * Discovery stays (séjours découverte), on the events engine (decision 0025): each stay is an event of type
 * `discovery_stay` in `selection` mode, each application a registration of it, and the events domain counts the
 * seats under the event's lock, so two advisers selecting at the same moment never give more seats than there are.
 * What only this domain knows stays here: the dated programme, the case behind each application, the persons
 * coming and the household's message, the stage change on selection and the attendance. Households apply from
 * their case, the team selects, puts on the waiting list or declines (each decision mailed by this domain, with a
 * link to the household's page), and records who came. A household selected while its case may start the
 * `discovery` stage moves to `sejour_decouverte` in the same transaction (locks: event, registrations, case).
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import type { StayApplicationStatus, StayStatus } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { addDays, parisDay, parisTime } from '../../../shared/time.js';
import { recordAudit } from '../../audit/index.js';
import {
  applyLocked,
  createHostedEvent,
  decideHostedLocked,
  deleteHostedEvents,
  forgetRegistrations,
  hostedEvents,
  hostedRegistrations,
  updateHostedEventLocked,
  withdrawLocked,
  withEventLocked,
  type EventRow,
  type HostedEventInput,
  type LockedEvent,
  type RegistrationRow,
} from '../../events/index.js';
import { listCommunesForMap } from '../../territory/index.js';
import { assertCaseStaff, assertSignedIn } from '../newcomers.policy.js';
import { allowedTransitions, communesByCode, findCase, findCaseIdOfContact, lockCase, transitionLockedCase, type CaseRow } from '../cases/index.js';
import type { ProgrammeItemInput, StayApplyInput, StayEnrolInput, StayInput } from './stays.schemas.js';
import * as repo from './stays.repo.js';
import { caseMailer, isRowId, isUuid, notFound, staffToNotify } from '../newcomers.common.js';

const stayMail = caseMailer('newcomers.stays.mail');

export type { ProgrammeItem } from './stays.repo.js';

const today = (ctx: AppContext) => parisDay(ctx.clock.now());
const HOUSEHOLD_PAGE = '/mon-projet#sejours';
export const STAY_EVENT_TYPE = 'discovery_stay';

// ---------------------------------------------------------------------------------------------- a stay, from its event

/** A stay as the team and households see it, read from its event. */
export interface Stay {
  id: number;
  event_id: number;
  title: string;
  summary: string | null;
  starts_on: string;
  ends_on: string;
  apply_by: string;
  seats: number;
  taken: number;
  status: StayStatus;
  /** When applications close (or closed): an open stay is shown closed from then on. */
  closes_at: Date | null;
  created_at: Date;
}
export interface StaySummary extends Stay {
  /** Applications awaiting a seat (applied or on the waiting list). */
  pending: number;
}

type EventSide = Pick<EventRow, 'title' | 'starts_at' | 'ends_at' | 'capacity' | 'status' | 'registration_closes_at'> & { description_md?: string; taken?: number };
const lastDay = (end: Date) => parisDay(new Date(end.getTime() - 1));

function stayOf(row: { id: number; event_id: number; created_at: Date }, e: EventSide, now: Date): Stay {
  const startsOn = parisDay(e.starts_at);
  const closes = e.registration_closes_at;
  return {
    id: row.id,
    event_id: row.event_id,
    title: e.title,
    summary: e.description_md ? e.description_md : null,
    starts_on: startsOn,
    ends_on: lastDay(e.ends_at),
    apply_by: closes ? lastDay(closes) : startsOn,
    seats: e.capacity,
    taken: e.taken ?? 0,
    // Draft events are draft stays; a published one takes applications until its deadline (or its closing).
    status: e.status === 'draft' ? 'draft' : e.status === 'cancelled' || (closes && closes <= now) ? 'closed' : 'open',
    closes_at: closes,
    created_at: row.created_at,
  };
}

/** The application's state, from its registration's. */
export function applicationStatus(r: Pick<RegistrationRow, 'status'> | undefined): StayApplicationStatus {
  if (!r) return 'withdrawn';
  if (r.status === 'confirmed') return 'selected';
  if (r.status === 'applied' || r.status === 'waiting' || r.status === 'declined') return r.status;
  return 'withdrawn';
}

async function firstCommune(db: Executor, territoryId: number) {
  const communes = await listCommunesForMap(db, territoryId);
  if (!communes.length) throw new AppError('invalid', 'newcomers.stays.communeRequired');
  return communes[0].insee;
}

/** The event's values from the stay's form; "closed" closes the applications now (or at the deadline if earlier). */
function eventInput(ctx: AppContext, input: StayInput, insee: string): HostedEventInput {
  const deadline = parisTime(addDays(input.applyBy, 1), 0);
  const now = ctx.clock.now();
  return {
    typeKey: STAY_EVENT_TYPE,
    title: input.title,
    description: input.summary ?? '',
    startsAt: parisTime(input.startsOn, 0),
    endsAt: parisTime(addDays(input.endsOn, 1), 0),
    allDay: true,
    capacity: input.seats,
    closesAt: input.status === 'closed' && now < deadline ? now : deadline,
    status: input.status === 'draft' ? 'draft' : 'published',
    insee,
    audience: 'candidates',
  };
}

/** The case's adviser hears about its stay applications; the whole team while nobody follows it. */
async function mailTeam(db: Executor, ctx: AppContext, c: CaseRow, kind: string, stay: { id: number; title: string }) {
  for (const person of await staffToNotify(db, ctx, c.adviser_id)) {
    await stayMail(db, ctx, person.email, person.locale, kind, { name: c.contact_name, number: c.number, stay: stay.title }, `/admin/accueil/sejours/${stay.id}`);
  }
}

interface LockedStay extends Stay {
  event: LockedEvent;
}

/** Runs a change on one stay, its event locked for the transaction. */
async function onLockedStay<T>(ctx: AppContext, territoryId: number, stayId: number, change: (trx: Executor, stay: LockedStay) => Promise<T>) {
  if (!isRowId(stayId)) throw notFound();
  const row = await repo.findStayRow(ctx.db, territoryId, stayId);
  if (!row) throw notFound();
  return withEventLocked(ctx, territoryId, row.event_id, async (trx, event) => {
    const [withSeats] = await hostedEvents(trx, territoryId, [event.id]);
    return change(trx, { ...stayOf(row, { ...event, description_md: withSeats.description_md, taken: withSeats.taken }, ctx.clock.now()), event });
  });
}

/** A staff change to one stay: role first, then the stay's event locked for the transaction. */
async function withLockedStay<T>(ctx: AppContext, actor: Actor, stayId: number, change: (trx: Executor, stay: LockedStay, actor: Actor & { userId: string }) => Promise<T>) {
  assertCaseStaff(actor);
  return onLockedStay(ctx, actor.territoryId, stayId, (trx, stay) => change(trx, stay, actor));
}

/** The event takes place where the programme begins (the territory's first commune until it has one). */
async function placeStayLocked(trx: Executor, ctx: AppContext, stay: LockedStay) {
  const insee = (await repo.firstItemInsee(trx, stay.id)) ?? (await firstCommune(trx, ctx.territory.id));
  await updateHostedEventLocked(trx, ctx, stay.event, {
    ...eventInput(ctx, { title: stay.title, summary: stay.summary ?? undefined, startsOn: stay.starts_on, endsOn: stay.ends_on, applyBy: stay.apply_by, seats: stay.seats, status: stay.status }, insee),
    // Keep the closing as it is (a stay closed early stays closed at that moment).
    closesAt: stay.event.registration_closes_at,
  });
}

// ---------------------------------------------------------------------------------------------- reading

/** Every stay of the territory with its event, its applications and their registrations, read once. */
async function loadStays(db: Executor, territoryId: number) {
  const rows = await repo.listStayRows(db, territoryId);
  const [events, applications] = await Promise.all([hostedEvents(db, territoryId, rows.map((r) => r.event_id)), repo.listApplicationsOfStays(db, rows.map((r) => r.id))]);
  const registrations = new Map((await hostedRegistrations(db, territoryId, applications.map((a) => a.registration_id))).map((r) => [r.id, r]));
  return { rows, byEvent: new Map(events.map((e) => [e.id, e])), applications, registrations };
}
type LoadedStays = Awaited<ReturnType<typeof loadStays>>;

/** Every stay of the territory with its event, seats and pending applications. */
function summariseStays({ rows, byEvent, applications, registrations }: LoadedStays, now: Date): StaySummary[] {
  return rows
    .filter((r) => byEvent.has(r.event_id))
    .map((r) => ({
      ...stayOf(r, byEvent.get(r.event_id)!, now),
      pending: applications.filter((a) => a.stay_id === r.id && ['applied', 'waiting'].includes(registrations.get(a.registration_id)?.status ?? '')).length,
    }));
}

const allStays = async (db: Executor, territoryId: number, now: Date) => summariseStays(await loadStays(db, territoryId), now);

const byStartDesc = (a: Stay, b: Stay) => (a.starts_on === b.starts_on ? b.id - a.id : a.starts_on < b.starts_on ? 1 : -1);
const byStart = (a: Stay, b: Stay) => (a.starts_on === b.starts_on ? a.id - b.id : a.starts_on < b.starts_on ? -1 : 1);

/**
 * A case's applications with their stay and state, newest stay first. Given the territory's stays already read
 * (`loadStays`: every stay's event and every application's registration), it reads only the case's applications.
 */
async function applicationsOfCase(db: Executor, territoryId: number, caseId: string, now: Date, loaded?: LoadedStays) {
  const rows = await repo.listApplicationsOfCase(db, caseId);
  const [byEvent, byId] = loaded
    ? [loaded.byEvent, loaded.registrations]
    : await Promise.all([
        hostedEvents(db, territoryId, rows.map((a) => a.event_id)).then((events) => new Map(events.map((e) => [e.id, e]))),
        hostedRegistrations(db, territoryId, rows.map((a) => a.registration_id)).then((registrations) => new Map(registrations.map((r) => [r.id, r]))),
      ]);
  return rows
    .filter((a) => byEvent.has(a.event_id))
    .map((a) => {
      const stay = stayOf({ id: a.stay_id, event_id: a.event_id, created_at: a.applied_at }, byEvent.get(a.event_id)!, now);
      const r = byId.get(a.registration_id);
      return { id: a.id, stay_id: a.stay_id, status: applicationStatus(r), people: a.people, message: a.message, applied_at: a.applied_at, decided_at: r?.decided_at ?? null, attended: a.attended, title: stay.title, starts_on: stay.starts_on, ends_on: stay.ends_on };
    })
    .sort((x, y) => (x.starts_on === y.starts_on ? 0 : x.starts_on < y.starts_on ? 1 : -1));
}
export type CaseStayApplication = Awaited<ReturnType<typeof applicationsOfCase>>[number];

/**
 * What the household's page shows: the open stays with their programme and seats left, and its own applications.
 * What the staff case page shows: the case's applications and the stays it could still be enrolled into.
 * Called after the page's own check.
 */
export async function staysOfCase(ctx: AppContext, territoryId: number, caseId: string, day: string) {
  const now = ctx.clock.now();
  // The territory's stays are read once: the case's applications take their events and registrations from them.
  const loaded = await loadStays(ctx.db, territoryId);
  const stays = summariseStays(loaded, now);
  const mine = await applicationsOfCase(ctx.db, territoryId, caseId, now, loaded);
  const open = stays.filter((s) => s.status === 'open' && s.apply_by >= day).sort(byStart);
  const items = await repo.listItems(ctx.db, open.map((s) => s.id));
  const applied = new Set(mine.map((a) => a.stay_id));
  return {
    open: open.map((s) => ({ ...s, items: items.filter((i) => i.stay_id === s.id), applied: applied.has(s.id) })),
    mine,
    enrollable: stays.filter((s) => s.ends_on >= day && !applied.has(s.id)).sort(byStart),
  };
}
export type StaysOfCase = Awaited<ReturnType<typeof staysOfCase>>;

/** The case's applications, for the household's export, after the owner check. */
export const stayApplicationsOfCase = (ctx: AppContext, caseId: string) => applicationsOfCase(ctx.db, ctx.territory.id, caseId, ctx.clock.now());

// ---------------------------------------------------------------------------------------------- staff: stays and programme

export async function listStaysForStaff(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  return { stays: (await allStays(ctx.db, actor.territoryId, ctx.clock.now())).sort(byStartDesc), today: today(ctx) };
}

const ORDER: Record<StayApplicationStatus, number> = { selected: 0, applied: 1, waiting: 2, declined: 3, withdrawn: 4 };

/** The stay's page: its settings, programme, applications, and the communes its programme can visit. */
export async function getStayForStaff(ctx: AppContext, actor: Actor, stayId: number) {
  assertCaseStaff(actor);
  if (!isRowId(stayId)) throw notFound();
  const row = await repo.findStayRow(ctx.db, actor.territoryId, stayId);
  const [event] = row ? await hostedEvents(ctx.db, actor.territoryId, [row.event_id]) : [];
  if (!row || !event) throw notFound();
  const [items, rows, communes] = await Promise.all([repo.listItems(ctx.db, [row.id]), repo.listApplicationsOfStay(ctx.db, row.id), listCommunesForMap(ctx.db, actor.territoryId)]);
  const registrations = new Map((await hostedRegistrations(ctx.db, actor.territoryId, rows.map((a) => a.registration_id))).map((r) => [r.id, r]));
  const applications = rows
    .map((a) => {
      const r = registrations.get(a.registration_id);
      return { id: a.id, case_id: a.case_id, status: applicationStatus(r), people: a.people, message: a.message, applied_at: a.applied_at, decided_at: r?.decided_at ?? null, attended: a.attended, number: a.number, contact_name: a.contact_name, stage: a.stage };
    })
    .sort((x, y) => ORDER[x.status] - ORDER[y.status] || (x.decided_at?.getTime() ?? Infinity) - (y.decided_at?.getTime() ?? Infinity) || x.applied_at.getTime() - y.applied_at.getTime() || x.id - y.id);
  return { stay: stayOf(row, event, ctx.clock.now()), items, applications, communes: communes.map((c) => ({ insee: c.insee, name: c.name })), today: today(ctx) };
}
export type StayForStaff = Awaited<ReturnType<typeof getStayForStaff>>;

export async function createStay(ctx: AppContext, actor: Actor, input: StayInput) {
  assertCaseStaff(actor);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const event = await createHostedEvent(trx, ctx, actor.territoryId, actor.userId, eventInput(ctx, input, await firstCommune(trx, actor.territoryId)));
    const stay = await repo.insertStay(trx, { territoryId: actor.territoryId, eventId: event.id, by: actor.userId, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, { action: 'discovery_stay.created', subjectType: 'discovery_stay', subjectId: String(stay.id), data: { title: input.title, status: input.status, event: event.id } });
    return stay;
  });
  ctx.pageCache.clear();
  return row;
}

/** Seats cannot drop below the households already selected; dates cannot leave programme days outside. */
export async function updateStay(ctx: AppContext, actor: Actor, stayId: number, input: StayInput) {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    if (input.seats < stay.taken) throw new AppError('invalid', 'newcomers.stays.seatsBelowSelected', { seats: 'newcomers.stays.seatsBelowSelected' }, { count: stay.taken });
    if ((await repo.itemDaysOutside(trx, stay.id, input.startsOn, input.endsOn)) > 0) {
      throw new AppError('invalid', 'newcomers.stays.itemsOutside', { startsOn: 'newcomers.stays.itemsOutside' });
    }
    const insee = (await repo.firstItemInsee(trx, stay.id)) ?? (await firstCommune(trx, staff.territoryId));
    await updateHostedEventLocked(trx, ctx, stay.event, eventInput(ctx, input, insee));
    await recordAudit(trx, ctx, staff, { action: 'discovery_stay.updated', subjectType: 'discovery_stay', subjectId: String(stay.id), data: { status: input.status, seats: input.seats, from: stay.status } });
  });
}

export async function addProgrammeItem(ctx: AppContext, actor: Actor, stayId: number, input: ProgrammeItemInput) {
  assertCaseStaff(actor);
  if (!isRowId(stayId)) throw notFound();
  const known = await communesByCode(ctx.db, actor.territoryId, [input.insee]);
  if (!known.length) throw new AppError('invalid', 'newcomers.stays.communeUnknown', { insee: 'newcomers.stays.communeUnknown' });
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    if (input.day < stay.starts_on || input.day > stay.ends_on) throw new AppError('invalid', 'newcomers.stays.dayOutside', { day: 'newcomers.stays.dayOutside' });
    const item = await repo.insertItem(trx, {
      territoryId: staff.territoryId,
      stayId: stay.id,
      day: input.day,
      startsAt: input.startsAt,
      kind: input.kind,
      title: input.itemTitle,
      place: input.place ?? null,
      insee: input.insee,
      now: ctx.clock.now(),
    });
    await placeStayLocked(trx, ctx, stay);
    await recordAudit(trx, ctx, staff, { action: 'discovery_stay.item_added', subjectType: 'discovery_stay', subjectId: String(stay.id), data: { item: item.id, day: input.day, insee: input.insee } });
    return item;
  });
}

export async function removeProgrammeItem(ctx: AppContext, actor: Actor, stayId: number, itemId: number) {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const removed = isRowId(itemId) ? await repo.deleteItem(trx, stay.id, itemId) : undefined;
    if (!removed) throw notFound();
    await placeStayLocked(trx, ctx, stay);
    await recordAudit(trx, ctx, staff, { action: 'discovery_stay.item_removed', subjectType: 'discovery_stay', subjectId: String(stay.id), data: { item: removed.id } });
  });
}

// ---------------------------------------------------------------------------------------------- staff: decisions and attendance

export async function decideApplication(ctx: AppContext, actor: Actor, stayId: number, applicationId: number, decision: 'selected' | 'waiting' | 'declined') {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const application = isRowId(applicationId) ? await repo.findApplication(trx, stay.id, applicationId) : undefined;
    if (!application) throw notFound();
    const [registration] = await hostedRegistrations(trx, staff.territoryId, [application.registration_id]);
    const from = applicationStatus(registration);
    if (from === 'withdrawn') throw new AppError('conflict', 'newcomers.stays.withdrawnAlready');
    if (from === decision) return { moved: false };
    // The engine counts the seats under the event's lock and never selects beyond them; then it calls back
    // `stayDecidedLocked` (this domain's decision host), as it does for a decision taken from the agenda's pages.
    const { hosted } = await decideHostedLocked(trx, ctx, staff, stay.event, registration, decision).catch((error: unknown) => {
      throw error instanceof AppError && error.message === 'events.selection.full' ? new AppError('conflict', 'newcomers.stays.full') : error;
    });
    return { moved: (hosted as StayDecided | undefined)?.moved ?? false };
  });
}

interface StayDecided {
  moved: boolean;
}

/**
 * What follows a decision on a stay's application, wherever the team took it (the stays page or the agenda's
 * `/admin/agenda/:id`), in its transaction, the event locked: attendance cleared unless selected, the case moved to
 * `sejour_decouverte` when selected and allowed, the household's mail (with a link to its page), the audit entry.
 */
export async function stayDecidedLocked(trx: Executor, ctx: AppContext, staff: Actor & { userId: string }, event: LockedEvent, registration: RegistrationRow, decision: 'selected' | 'waiting' | 'declined', from: string): Promise<StayDecided> {
  const application = await repo.findApplicationOfRegistration(trx, staff.territoryId, registration.id);
  // A registration of a stay without an application (made before the stays moved, or by hand): nothing to follow.
  if (!application) return { moved: false };
  if (decision !== 'selected') await repo.clearAttendance(trx, application.id);
  let moved = false;
  if (decision === 'selected') {
    // Locked after the event, always in this order, so concurrent selections cannot deadlock.
    const c = await lockCase(trx, staff.territoryId, application.case_id);
    if (c && allowedTransitions(c.stage).includes('discovery')) {
      await transitionLockedCase(trx, ctx, staff, c, 'discovery');
      moved = true;
    }
  }
  await stayMail(trx, ctx, application.contact_email, application.contact_locale, decision, { name: application.contact_name, stay: event.title }, HOUSEHOLD_PAGE);
  await recordAudit(trx, ctx, staff, {
    action: 'stay_application.decided',
    subjectType: 'newcomer_case',
    subjectId: application.case_id,
    data: { stay: application.stay_id, application: application.id, from: applicationStatus({ status: from as RegistrationRow['status'] }), to: decision, ...(moved ? { stage: 'sejour_decouverte' } : {}) },
  });
  return { moved };
}

/** After the stay has begun, staff record whether each selected household came. */
export async function recordAttendance(ctx: AppContext, actor: Actor, stayId: number, applicationId: number, attended: boolean) {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const application = isRowId(applicationId) ? await repo.findApplication(trx, stay.id, applicationId) : undefined;
    if (!application) throw notFound();
    if (stay.starts_on > today(ctx)) throw new AppError('conflict', 'newcomers.stays.notStarted');
    const [registration] = await hostedRegistrations(trx, staff.territoryId, [application.registration_id]);
    if (applicationStatus(registration) !== 'selected') throw new AppError('conflict', 'newcomers.stays.attendanceSelectedOnly');
    await repo.setAttendance(trx, application.id, attended, staff.userId, ctx.clock.now());
    await recordAudit(trx, ctx, staff, {
      action: 'stay_application.attendance_recorded',
      subjectType: 'newcomer_case',
      subjectId: application.case_id,
      data: { stay: stay.id, application: application.id, attended },
    });
  });
}

/** Staff enrol a case from its page (a household that called rather than applied online). */
export async function enrolCase(ctx: AppContext, actor: Actor, caseId: string, input: StayEnrolInput) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  const unknownStay = () => new AppError('invalid', 'newcomers.stays.stayRequired', { stayId: 'newcomers.stays.stayRequired' });
  if (!isRowId(input.stayId) || !(await repo.findStayRow(ctx.db, actor.territoryId, input.stayId))) throw unknownStay();
  return onLockedStay(ctx, actor.territoryId, input.stayId, async (trx, stay) => {
    if (stay.ends_on < today(ctx)) throw new AppError('invalid', 'newcomers.stays.over', { stayId: 'newcomers.stays.over' });
    const contact = await repo.findCaseContact(trx, actor.territoryId, caseId);
    if (!contact) throw notFound();
    const id = await submit(trx, ctx, actor, stay, contact, { people: input.people }, 'stayId');
    await recordAudit(trx, ctx, actor, { action: 'stay_application.enrolled', subjectType: 'newcomer_case', subjectId: contact.id, data: { stay: stay.id, application: id, people: input.people } });
    return { id };
  });
}

type Contact = NonNullable<Awaited<ReturnType<typeof repo.findCaseContact>>>;

/**
 * One application per case and stay: a second one is refused, a withdrawn one is sent again (a new registration,
 * at the end of the order). The registration is in the name of the case's contact, one seat for the household.
 */
async function submit(trx: Executor, ctx: AppContext, actor: Actor & { userId: string }, stay: LockedStay, contact: Contact, input: StayApplyInput, field?: string) {
  const already = () => new AppError('conflict', 'newcomers.stays.alreadyApplied', field ? { [field]: 'newcomers.stays.alreadyApplied' } : {});
  const values = { people: input.people, message: input.message ?? null, by: actor.userId, now: ctx.clock.now() };
  const existing = await repo.findApplicationOfCase(trx, stay.id, contact.id);
  if (existing) {
    const [r] = await hostedRegistrations(trx, actor.territoryId, [existing.registration_id]);
    if (applicationStatus(r) !== 'withdrawn') throw already();
  }
  const registration = await applyLocked(trx, ctx, stay.event, { userId: contact.user_id, email: contact.email, name: contact.contact_name.slice(0, 120) || '—', locale: contact.locale, seats: 1 }, { notify: false });
  if (!registration.created) throw already();
  if (existing) {
    await repo.reapply(trx, existing.id, { ...values, registrationId: registration.id });
    return existing.id;
  }
  const row = await repo.insertApplication(trx, { territoryId: actor.territoryId, stayId: stay.id, caseId: contact.id, registrationId: registration.id, ...values });
  if (!row) throw already();
  return row.id;
}

// ---------------------------------------------------------------------------------------------- the household

/** The signed-in household's case, or a clear "you have not applied". */
async function ownCase(db: Executor, actor: Actor & { userId: string }) {
  const own = await findCaseIdOfContact(db, actor.territoryId, actor.userId);
  if (!own) throw new AppError('not_found', 'newcomers.my.none');
  return own.id;
}

/**
 * A stay's page for a household: stays that are (or were) open; a draft exists for it only when the team enrolled
 * it there.
 */
export async function getStayForHousehold(ctx: AppContext, actor: Actor, stayId: number) {
  assertSignedIn(actor);
  const caseId = await ownCase(ctx.db, actor);
  if (!isRowId(stayId)) throw notFound();
  const row = await repo.findStayRow(ctx.db, actor.territoryId, stayId);
  if (!row) throw notFound();
  const [[event], mine] = await Promise.all([hostedEvents(ctx.db, actor.territoryId, [row.event_id]), repo.findApplicationOfCase(ctx.db, stayId, caseId)]);
  const [registration] = mine ? await hostedRegistrations(ctx.db, actor.territoryId, [mine.registration_id]) : [];
  const application = mine ? { id: mine.id, case_id: mine.case_id, status: applicationStatus(registration) } : null;
  const stay = event ? stayOf(row, event, ctx.clock.now()) : undefined;
  if (!stay || (stay.status === 'draft' && !application)) throw notFound();
  const items = await repo.listItems(ctx.db, [stay.id]);
  const day = today(ctx);
  return { stay, items, application, canApply: stay.status === 'open' && stay.apply_by >= day && (!application || application.status === 'withdrawn'), today: day };
}
export type StayForHousehold = Awaited<ReturnType<typeof getStayForHousehold>>;

export async function applyToStay(ctx: AppContext, actor: Actor, stayId: number, input: StayApplyInput) {
  assertSignedIn(actor);
  const caseId = await ownCase(ctx.db, actor);
  return onLockedStay(ctx, actor.territoryId, stayId, async (trx, stay) => {
    if (stay.status === 'draft') throw notFound();
    if (stay.apply_by < today(ctx)) throw new AppError('conflict', 'newcomers.stays.deadlinePassed');
    if (stay.status === 'closed') throw new AppError('conflict', 'newcomers.stays.closed');
    const contact = await repo.findCaseContact(trx, actor.territoryId, caseId);
    if (!contact) throw new AppError('not_found', 'newcomers.my.none');
    const id = await submit(trx, ctx, actor, stay, contact, input);
    const c = (await findCase(trx, actor.territoryId, caseId))!;
    await mailTeam(trx, ctx, c, 'applied', stay);
    // The household's message stays out of the audit log, like notes.
    await recordAudit(trx, ctx, actor, { action: 'stay_application.submitted', subjectType: 'newcomer_case', subjectId: caseId, data: { stay: stay.id, application: id, people: input.people } });
    return { id };
  });
}

/** The household withdraws before the stay begins; a selected household's seat is free again for the team to give. */
export async function withdrawFromStay(ctx: AppContext, actor: Actor, stayId: number) {
  assertSignedIn(actor);
  const caseId = await ownCase(ctx.db, actor);
  return onLockedStay(ctx, actor.territoryId, stayId, async (trx, stay) => {
    const application = await repo.findApplicationOfCase(trx, stay.id, caseId);
    if (!application) throw notFound();
    const [registration] = await hostedRegistrations(trx, actor.territoryId, [application.registration_id]);
    const from = applicationStatus(registration);
    if (from === 'withdrawn') return;
    if (from === 'declined') throw new AppError('conflict', 'newcomers.stays.declinedAlready');
    if (stay.starts_on <= today(ctx)) throw new AppError('conflict', 'newcomers.stays.started');
    await withdrawLocked(trx, ctx, stay.event, registration);
    await repo.clearAttendance(trx, application.id);
    const c = (await findCase(trx, actor.territoryId, caseId))!;
    await mailTeam(trx, ctx, c, from === 'selected' ? 'withdrewSeat' : 'withdrew', stay);
    await recordAudit(trx, ctx, actor, { action: 'stay_application.withdrawn', subjectType: 'newcomer_case', subjectId: caseId, data: { stay: stay.id, application: application.id, from } });
  });
}

// ---------------------------------------------------------------------------------------------- privacy and demo

/** A case anonymised: the registrations behind its applications forget the household's name and address. */
export async function forgetStaysOfCase(db: Executor, caseId: string, now: Date) {
  await forgetRegistrations(db, await repo.registrationIdsOfCase(db, caseId), now);
}

/** `npm run demo:remove`: the demo stays' events go, and with them the stays, programme and applications. */
export async function deleteDemoStays(db: Executor, territoryId: number) {
  const events = await repo.demoStayEvents(db, territoryId);
  await deleteHostedEvents(db, territoryId, events);
  return events.length;
}
