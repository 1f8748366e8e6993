/**
 * Discovery stays (séjours découverte): the welcome team publishes a dated programme with a number of seats
 * (households); households apply from their case, the team selects, puts on the waiting list or declines (each
 * decision mailed), and records who came. The stay row is locked while seats are counted, so two advisers selecting
 * at the same moment never give more seats than there are. A household selected while its case may start the
 * `discovery` stage moves to `sejour_decouverte` in the same transaction, recorded like every stage change.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { recordAudit } from '../../audit/index.js';
import { listCommunesForMap } from '../../territory/index.js';
import { assertCaseStaff, assertSignedIn } from '../newcomers.policy.js';
import { allowedTransitions, communesByCode, findCase, findCaseIdOfContact, lockCase, transitionLockedCase, type CaseRow } from '../cases/index.js';
import type { ProgrammeItemInput, StayApplyInput, StayEnrolInput, StayInput } from './stays.schemas.js';
import * as repo from './stays.repo.js';
import { parisDay } from '../../../shared/time.js';
import { caseMailer, isRowId, isUuid, notFound, staffToNotify } from '../newcomers.common.js';

const stayMail = caseMailer('newcomers.stays.mail');

export type { CaseStayApplication, ProgrammeItem, StaysOfCase, StaySummary } from './stays.repo.js';

const today = (ctx: AppContext) => parisDay(ctx.clock.now());
const HOUSEHOLD_PAGE = '/mon-projet#sejours';

/** The case's adviser hears about its stay applications; the whole team while nobody follows it. */
async function mailTeam(db: Executor, ctx: AppContext, c: CaseRow, kind: string, stay: { id: number; title: string }) {
  for (const person of await staffToNotify(db, ctx, c.adviser_id)) {
    await stayMail(db, ctx, person.email, person.locale, kind, { name: c.contact_name, number: c.number, stay: stay.title }, `/admin/accueil/sejours/${stay.id}`);
  }
}

const stayValues = (input: StayInput): repo.StayValues => ({
  title: input.title,
  summary: input.summary ?? null,
  starts_on: input.startsOn,
  ends_on: input.endsOn,
  apply_by: input.applyBy,
  seats: input.seats,
  status: input.status,
});

/** A staff change to one stay: role first, then the stay locked for the transaction. */
async function withLockedStay<T>(ctx: AppContext, actor: Actor, stayId: number, change: (trx: Executor, stay: repo.LockedStay, actor: Actor & { userId: string }) => Promise<T>) {
  assertCaseStaff(actor);
  if (!isRowId(stayId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const stay = await repo.lockStay(trx, actor.territoryId, stayId);
    if (!stay) throw notFound();
    return change(trx, stay, actor);
  });
}

// ---------------------------------------------------------------------------------------------- staff: stays and programme

/** The stays on a case's pages (open ones, the case's applications, upcoming ones), after the page's own check. */
export const staysOfCase = (ctx: AppContext, territoryId: number, caseId: string, today: string) => repo.staysOfCase(ctx.db, territoryId, caseId, today);

/** The case's applications, for the household's export, after the owner check. */
export const stayApplicationsOfCase = (ctx: AppContext, caseId: string) => repo.listApplicationsOfCase(ctx.db, caseId);

export async function listStaysForStaff(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  return { stays: await repo.listStays(ctx.db, actor.territoryId), today: today(ctx) };
}

/** The stay's page: its settings, programme, applications, and the communes its programme can visit. */
export async function getStayForStaff(ctx: AppContext, actor: Actor, stayId: number) {
  assertCaseStaff(actor);
  if (!isRowId(stayId)) throw notFound();
  const stay = await repo.findStay(ctx.db, actor.territoryId, stayId);
  if (!stay) throw notFound();
  const [items, applications, communes] = await Promise.all([
    repo.listItems(ctx.db, [stay.id]),
    repo.listApplicationsOfStay(ctx.db, stay.id),
    listCommunesForMap(ctx.db, actor.territoryId),
  ]);
  return { stay, items, applications, communes: communes.map((c) => ({ insee: c.insee, name: c.name })), today: today(ctx) };
}
export type StayForStaff = Awaited<ReturnType<typeof getStayForStaff>>;

export async function createStay(ctx: AppContext, actor: Actor, input: StayInput) {
  assertCaseStaff(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertStay(trx, { ...stayValues(input), territoryId: actor.territoryId, by: actor.userId, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, { action: 'discovery_stay.created', subjectType: 'discovery_stay', subjectId: String(row.id), data: { title: input.title, status: input.status } });
    return row;
  });
}

/** Seats cannot drop below the households already selected; dates cannot leave programme days outside. */
export async function updateStay(ctx: AppContext, actor: Actor, stayId: number, input: StayInput) {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const selected = await repo.countSelected(trx, stay.id);
    if (input.seats < selected) throw new AppError('invalid', 'newcomers.stays.seatsBelowSelected', { seats: 'newcomers.stays.seatsBelowSelected' }, { count: selected });
    if ((await repo.itemDaysOutside(trx, stay.id, input.startsOn, input.endsOn)) > 0) {
      throw new AppError('invalid', 'newcomers.stays.itemsOutside', { startsOn: 'newcomers.stays.itemsOutside' });
    }
    await repo.updateStay(trx, stay.id, { ...stayValues(input), now: ctx.clock.now() });
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
    await recordAudit(trx, ctx, staff, { action: 'discovery_stay.item_added', subjectType: 'discovery_stay', subjectId: String(stay.id), data: { item: item.id, day: input.day, insee: input.insee } });
    return item;
  });
}

export async function removeProgrammeItem(ctx: AppContext, actor: Actor, stayId: number, itemId: number) {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const removed = isRowId(itemId) ? await repo.deleteItem(trx, stay.id, itemId) : undefined;
    if (!removed) throw notFound();
    await recordAudit(trx, ctx, staff, { action: 'discovery_stay.item_removed', subjectType: 'discovery_stay', subjectId: String(stay.id), data: { item: removed.id } });
  });
}

// ---------------------------------------------------------------------------------------------- staff: decisions and attendance

/**
 * Gives a seat to an application, the stay being locked by the caller: refused when every seat is taken. When the
 * case may start its discovery stay, it moves to `sejour_decouverte` in the same transaction.
 */
async function selectLocked(trx: Executor, ctx: AppContext, staff: Actor & { userId: string }, stay: repo.LockedStay, applicationId: number) {
  if ((await repo.countSelected(trx, stay.id)) >= stay.seats) throw new AppError('conflict', 'newcomers.stays.full');
  await repo.setStatus(trx, applicationId, 'selected', staff.userId, ctx.clock.now());
}

export async function decideApplication(ctx: AppContext, actor: Actor, stayId: number, applicationId: number, decision: 'selected' | 'waiting' | 'declined') {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const application = isRowId(applicationId) ? await repo.findApplication(trx, stay.id, applicationId) : undefined;
    if (!application) throw notFound();
    if (application.status === 'withdrawn') throw new AppError('conflict', 'newcomers.stays.withdrawnAlready');
    if (application.status === decision) return { moved: false };
    if (decision === 'selected') await selectLocked(trx, ctx, staff, stay, application.id);
    else await repo.setStatus(trx, application.id, decision, staff.userId, ctx.clock.now());
    let moved = false;
    if (decision === 'selected') {
      // Locked after the stay, always in this order, so concurrent selections cannot deadlock.
      const c = await lockCase(trx, staff.territoryId, application.case_id);
      if (c && allowedTransitions(c.stage).includes('discovery')) {
        await transitionLockedCase(trx, ctx, staff, c, 'discovery');
        moved = true;
      }
    }
    await stayMail(trx, ctx, application.contact_email, application.contact_locale, decision, { name: application.contact_name, stay: stay.title }, HOUSEHOLD_PAGE);
    await recordAudit(trx, ctx, staff, {
      action: 'stay_application.decided',
      subjectType: 'newcomer_case',
      subjectId: application.case_id,
      data: { stay: stay.id, application: application.id, from: application.status, to: decision, ...(moved ? { stage: 'sejour_decouverte' } : {}) },
    });
    return { moved };
  });
}

/** After the stay has begun, staff record whether each selected household came. */
export async function recordAttendance(ctx: AppContext, actor: Actor, stayId: number, applicationId: number, attended: boolean) {
  return withLockedStay(ctx, actor, stayId, async (trx, stay, staff) => {
    const application = isRowId(applicationId) ? await repo.findApplication(trx, stay.id, applicationId) : undefined;
    if (!application) throw notFound();
    if (stay.starts_on > today(ctx)) throw new AppError('conflict', 'newcomers.stays.notStarted');
    if (application.status !== 'selected') throw new AppError('conflict', 'newcomers.stays.attendanceSelectedOnly');
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
  if (!isRowId(input.stayId)) throw new AppError('invalid', 'newcomers.stays.stayRequired', { stayId: 'newcomers.stays.stayRequired' });
  return ctx.db.transaction().execute(async (trx) => {
    const stay = await repo.lockStay(trx, actor.territoryId, input.stayId);
    if (!stay) throw new AppError('invalid', 'newcomers.stays.stayRequired', { stayId: 'newcomers.stays.stayRequired' });
    if (stay.ends_on < today(ctx)) throw new AppError('invalid', 'newcomers.stays.over', { stayId: 'newcomers.stays.over' });
    const c = await repo.findCaseForEnrolment(trx, actor.territoryId, caseId);
    if (!c) throw notFound();
    const id = await submit(trx, ctx, actor, stay, c.id, { people: input.people }, 'stayId');
    await recordAudit(trx, ctx, actor, { action: 'stay_application.enrolled', subjectType: 'newcomer_case', subjectId: c.id, data: { stay: stay.id, application: id, people: input.people } });
    return { id };
  });
}

/** One application per case and stay: a second one is refused, a withdrawn one is sent again. */
async function submit(trx: Executor, ctx: AppContext, actor: Actor & { userId: string }, stay: repo.LockedStay, caseId: string, input: StayApplyInput, field?: string) {
  const already = () => new AppError('conflict', 'newcomers.stays.alreadyApplied', field ? { [field]: 'newcomers.stays.alreadyApplied' } : {});
  const values = { people: input.people, message: input.message ?? null, by: actor.userId, now: ctx.clock.now() };
  const existing = await repo.findApplicationOfCase(trx, stay.id, caseId);
  if (existing) {
    if (existing.status !== 'withdrawn') throw already();
    await repo.reapply(trx, existing.id, values);
    return existing.id;
  }
  const row = await repo.insertApplication(trx, { territoryId: actor.territoryId, stayId: stay.id, caseId, ...values });
  if (!row) throw already();
  return row.id;
}

// ---------------------------------------------------------------------------------------------- the household

/** The signed-in household's case (locked when it changes something), or a clear "you have not applied". */
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
  const [stay, application] = await Promise.all([repo.findStay(ctx.db, actor.territoryId, stayId), repo.findApplicationOfCase(ctx.db, stayId, caseId)]);
  if (!stay || (stay.status === 'draft' && !application)) throw notFound();
  const items = await repo.listItems(ctx.db, [stay.id]);
  const day = today(ctx);
  return { stay, items, application: application ?? null, canApply: stay.status === 'open' && stay.apply_by >= day && (!application || application.status === 'withdrawn'), today: day };
}
export type StayForHousehold = Awaited<ReturnType<typeof getStayForHousehold>>;

export async function applyToStay(ctx: AppContext, actor: Actor, stayId: number, input: StayApplyInput) {
  assertSignedIn(actor);
  if (!isRowId(stayId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const caseId = await ownCase(trx, actor);
    const stay = await repo.lockStay(trx, actor.territoryId, stayId);
    if (!stay || stay.status === 'draft') throw notFound();
    if (stay.status === 'closed') throw new AppError('conflict', 'newcomers.stays.closed');
    if (stay.apply_by < today(ctx)) throw new AppError('conflict', 'newcomers.stays.deadlinePassed');
    const id = await submit(trx, ctx, actor, stay, caseId, input);
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
  if (!isRowId(stayId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const caseId = await ownCase(trx, actor);
    const stay = await repo.lockStay(trx, actor.territoryId, stayId);
    if (!stay) throw notFound();
    const application = await repo.findApplicationOfCase(trx, stay.id, caseId);
    if (!application) throw notFound();
    if (application.status === 'withdrawn') return;
    if (application.status === 'declined') throw new AppError('conflict', 'newcomers.stays.declinedAlready');
    if (stay.starts_on <= today(ctx)) throw new AppError('conflict', 'newcomers.stays.started');
    await repo.setStatus(trx, application.id, 'withdrawn', actor.userId, ctx.clock.now());
    const c = (await findCase(trx, actor.territoryId, caseId))!;
    await mailTeam(trx, ctx, c, application.status === 'selected' ? 'withdrewSeat' : 'withdrew', stay);
    await recordAudit(trx, ctx, actor, { action: 'stay_application.withdrawn', subjectType: 'newcomer_case', subjectId: caseId, data: { stay: stay.id, application: application.id, from: application.status } });
  });
}

