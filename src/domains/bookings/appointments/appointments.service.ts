/**
 * Creator-support appointments, in the programme's words: an adviser of the team publishes slots (30 or 60 minutes,
 * at a third place, by phone or by video link); a candidate, a member or a visitor books one with a few words about
 * their project (a visitor confirms by e-mail, held 30 minutes like visitor bookings); the adviser records whether
 * the person came and a note, which also goes to the person's newcomer case or member record when they have one.
 * One person per slot: the database refuses a second live appointment (`appointment_slot_live_key`).
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { isExclusionViolation, isUniqueViolation } from '../../../db/errors.js';
import { AppError } from '../../../shared/app-error.js';
import { addDays, formatDateTime, parisDay, parisTime } from '../../../shared/time.js';
import { tFor, type Locale } from '../../../web/i18n/index.js';
import { recordAudit } from '../../audit/index.js';
import { buildCalendar, type IcsEvent } from '../../events/index.js';
import { queueTemplatedMail } from '../../mail/index.js';
import { listThirdPlaceChoices } from '../../places/index.js';
import { holdIsLive, holdTokenHash, HOLD_MINUTES, startHold } from '../bookings.holds.js';
import { assertSignedIn } from '../bookings.policy.js';
import { wallInstant } from '../reservations/index.js';
import { attachToRecord } from './appointments.records.js';
import { assertAdviser, isAdviser } from './appointments.policy.js';
import * as repo from './appointments.repo.js';
import type { SlotInput } from './appointments.schemas.js';

export type AppointmentRow = repo.AppointmentRow;
export type SlotRow = repo.SlotRow;

/** How far ahead the public list shows slots, and how far back and ahead the team's list reads. */
const LIST_DAYS = 60;
const STAFF_PAST_DAYS = 14;

const slotNotFound = () => new AppError('not_found', 'bookings.appointments.errors.slotNotFound');
const appointmentNotFound = () => new AppError('not_found', 'bookings.appointments.errors.notFound');
const taken = () => new AppError('conflict', 'bookings.appointments.errors.taken', { _form: 'bookings.appointments.errors.taken' });

// ---------------------------------------------------------------------------------------------- the adviser's slots

/** An adviser publishes a slot for themselves; their open slots never overlap (the database says so). */
export async function publishSlot(ctx: AppContext, actor: Actor, input: SlotInput) {
  assertAdviser(actor);
  const start = wallInstant(input.day, input.startMinutes);
  if (!start) throw new AppError('invalid', 'bookings.errors.timeDoesNotExist', { debut: 'bookings.errors.timeDoesNotExist' });
  const end = new Date(start.getTime() + input.minutes * 60_000);
  const now = ctx.clock.now();
  if (start <= now) throw new AppError('invalid', 'bookings.errors.past', { date: 'bookings.errors.past' });
  if (input.placeId !== null && !(await listThirdPlaceChoices(ctx)).some((p) => p.id === input.placeId)) {
    throw new AppError('invalid', 'errors.invalid', { lieu: 'errors.invalid_field' });
  }
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await repo.insertSlot(trx, { territoryId: ctx.territory.id, adviserId: actor.userId, start, end, mode: input.mode, placeId: input.placeId, videoUrl: input.videoUrl, by: actor.userId, at: now });
      await recordAudit(trx, ctx, actor, { action: 'appointment_slot.published', subjectType: 'appointment_slot', subjectId: row.id, data: { start: start.toISOString(), minutes: input.minutes, mode: input.mode } });
      return { id: row.id, start, end };
    });
  } catch (error) {
    if (isExclusionViolation(error)) throw new AppError('conflict', 'bookings.appointments.errors.overlap', { debut: 'bookings.appointments.errors.overlap' });
    throw error;
  }
}

/** The team withdraws a slot nobody holds; a booked one is cancelled first (the person is told). */
export async function withdrawSlot(ctx: AppContext, actor: Actor, slotId: string | null) {
  assertAdviser(actor);
  if (!slotId) throw slotNotFound();
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const slot = await repo.findSlot(trx, ctx.territory.id, slotId, { lock: true });
    if (!slot || slot.status !== 'open') throw slotNotFound();
    await repo.releaseExpiredHold(trx, slot.id, now);
    if ((await repo.listFreeSlots(trx, ctx.territory.id, slot.starts_at, new Date(slot.starts_at.getTime() + 1), now)).every((s) => s.id !== slot.id)) {
      throw new AppError('conflict', 'bookings.appointments.errors.slotBooked');
    }
    await repo.withdrawSlot(trx, slot.id);
    await recordAudit(trx, ctx, actor, { action: 'appointment_slot.withdrawn', subjectType: 'appointment_slot', subjectId: slot.id, data: {} });
    return { id: slot.id };
  });
}

// ---------------------------------------------------------------------------------------------- booking

/** Free slots from now on, for anyone (no names but the adviser's). */
export async function listBookableSlots(ctx: AppContext) {
  const now = ctx.clock.now();
  return repo.listFreeSlots(ctx.db, ctx.territory.id, now, parisTime(addDays(parisDay(now), LIST_DAYS), 0), now);
}

/** One free slot, for its booking form; a slot taken, withdrawn or past is "not free". */
export async function getSlotForBooking(ctx: AppContext, actor: Actor, slotId: string | null) {
  if (!slotId) throw slotNotFound();
  const now = ctx.clock.now();
  const slot = await repo.findSlot(ctx.db, ctx.territory.id, slotId);
  if (!slot) throw slotNotFound();
  const free = slot.status === 'open' && slot.starts_at > now && (await repo.listFreeSlots(ctx.db, ctx.territory.id, slot.starts_at, new Date(slot.starts_at.getTime() + 1), now)).some((s) => s.id === slot.id);
  return { slot, free, signedIn: !!actor.userId };
}

const audienceOf = (actor: Actor): 'candidate' | 'member' | 'visitor' => (actor.roles.has('member') ? 'member' : actor.roles.has('candidate') ? 'candidate' : 'visitor');

interface Booker {
  userId: string | null;
  visitor: { name: string; email: string } | null;
  project: string;
  locale: Locale;
}

/** Checks and writes one appointment; the unique index has the last word when two people click at once. */
async function take(ctx: AppContext, actor: Actor, slotId: string | null, who: Booker) {
  if (!slotId) throw slotNotFound();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      const slot = await repo.findSlot(trx, ctx.territory.id, slotId);
      if (!slot || slot.status !== 'open') throw slotNotFound();
      if (slot.starts_at <= now) throw new AppError('conflict', 'bookings.errors.past', { _form: 'bookings.errors.past' });
      await repo.releaseExpiredHold(trx, slot.id, now);
      const hold = who.visitor ? startHold(now) : null;
      const followUp = await repo.hasEarlierAppointment(trx, ctx.territory.id, { userId: who.userId, email: who.visitor?.email ?? null });
      const row = await repo.insertAppointment(trx, {
        territoryId: ctx.territory.id,
        slotId: slot.id,
        userId: who.userId,
        visitorName: who.visitor?.name ?? null,
        visitorEmail: who.visitor?.email ?? null,
        audience: who.userId ? audienceOf(actor) : 'visitor',
        project: who.project,
        status: hold ? 'held' : 'confirmed',
        holdUntil: hold?.until ?? null,
        confirmTokenHash: hold?.hash ?? null,
        followUp,
        at: now,
      });
      await recordAudit(trx, ctx, actor, { action: hold ? 'appointment.held' : 'appointment.booked', subjectType: 'appointment', subjectId: row.id, data: { slot: slot.id, followUp } });
      const saved = (await repo.findAppointment(trx, ctx.territory.id, row.id))!;
      if (hold) {
        await queueTemplatedMail(trx, ctx, {
          to: who.visitor!.email,
          locale: who.locale,
          template: 'bookings.appointments.mail.confirmVisitor',
          params: { ...mailParams(saved, who.locale), hold: HOLD_MINUTES },
          path: `/rendez-vous/confirmation/${hold.token}`,
        });
      } else {
        await confirmedMail(trx, ctx, saved);
      }
      return { id: row.id, status: hold ? 'held' : 'confirmed' };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'appointment_slot_live_key')) throw taken();
    throw error;
  }
}

/** A signed-in candidate, member or anyone with an account books: confirmed at once. */
export async function bookAppointment(ctx: AppContext, actor: Actor, slotId: string | null, input: { project: string }) {
  assertSignedIn(actor);
  return take(ctx, actor, slotId, { userId: actor.userId, visitor: null, project: input.project, locale: 'fr' });
}

/** A visitor without an account: held 30 minutes until they confirm with the mailed link. */
export async function holdAppointmentForVisitor(ctx: AppContext, actor: Actor, slotId: string | null, input: { project: string; name: string; email: string }, locale: Locale) {
  return take(ctx, actor, slotId, { userId: null, visitor: { name: input.name, email: input.email }, project: input.project, locale });
}

export async function getHeldAppointment(ctx: AppContext, token: string) {
  const hash = holdTokenHash(token);
  const a = hash ? await repo.findAppointmentByTokenHash(ctx.db, hash) : undefined;
  if (!a) throw new AppError('not_found', 'bookings.errors.linkInvalid');
  return { appointment: a, live: holdIsLive(a, ctx.clock.now()) };
}

/** The visitor's link confirms the hold while it lasts; a second click changes nothing and mails nobody. */
export async function confirmVisitorAppointment(ctx: AppContext, token: string) {
  const hash = holdTokenHash(token);
  if (!hash) throw new AppError('not_found', 'bookings.errors.linkInvalid');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const a = await repo.findAppointmentByTokenHash(trx, hash, { lock: true });
    if (!a) throw new AppError('not_found', 'bookings.errors.linkInvalid');
    if (a.status === 'confirmed') return { id: a.id };
    if (!holdIsLive(a, now)) throw new AppError('conflict', 'bookings.errors.holdExpired');
    await repo.setStatus(trx, a.id, { status: 'confirmed', at: now });
    await recordAudit(trx, ctx, { userId: null, territoryId: a.territory_id }, { action: 'appointment.confirmed', subjectType: 'appointment', subjectId: a.id, data: {} });
    await confirmedMail(trx, ctx, a);
    return { id: a.id };
  });
}

/** The person until the start, the team at any time; another person's appointment is "not found". */
export async function cancelAppointment(ctx: AppContext, actor: Actor, id: string | null) {
  assertSignedIn(actor);
  if (!id) throw appointmentNotFound();
  const team = isAdviser(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const a = await repo.findAppointment(trx, ctx.territory.id, id, { lock: true });
    if (!a || (a.user_id !== actor.userId && !team)) throw appointmentNotFound();
    if (a.status !== 'confirmed' && a.status !== 'held') throw new AppError('conflict', 'bookings.errors.notCancellable');
    if (a.starts_at <= now) throw new AppError('conflict', 'bookings.errors.alreadyPast');
    await repo.setStatus(trx, a.id, { status: 'cancelled', at: now, by: actor.userId });
    await recordAudit(trx, ctx, actor, { action: 'appointment.cancelled', subjectType: 'appointment', subjectId: a.id, data: { byTeam: a.user_id !== actor.userId } });
    const to = recipientOf(a);
    if (to) {
      await queueTemplatedMail(trx, ctx, { to: to.email, locale: to.locale, template: 'bookings.appointments.mail.cancelled', params: mailParams(a, to.locale), path: '/rendez-vous' });
    }
    return { id: a.id };
  });
}

// ---------------------------------------------------------------------------------------------- after the meeting

/**
 * The adviser records whether the person came and, if they wish, a note: kept with the appointment and offered to
 * the person's newcomer case or member record (the first domain holding one takes it). Recorded once.
 */
export async function recordOutcome(ctx: AppContext, actor: Actor, id: string | null, input: { outcome: 'attended' | 'no_show'; note: string | null }) {
  assertAdviser(actor);
  if (!id) throw appointmentNotFound();
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const a = await repo.findAppointment(trx, ctx.territory.id, id, { lock: true });
    if (!a || a.status !== 'confirmed') throw appointmentNotFound();
    if (a.starts_at > now) throw new AppError('conflict', 'bookings.appointments.errors.notYet', { _form: 'bookings.appointments.errors.notYet' });
    if (a.outcome) throw new AppError('conflict', 'bookings.appointments.errors.outcomeRecorded', { _form: 'bookings.appointments.errors.outcomeRecorded' });
    let attachedTo: 'newcomer_case' | 'member' | null = null;
    if (input.note && a.user_id) {
      const t = tFor('fr');
      const body = `${t('bookings.appointments.note.heading', { when: formatDateTime(a.starts_at, 'fr-FR'), adviser: a.adviser_name })}\n${input.note}`;
      attachedTo = await attachToRecord(trx, ctx, { territoryId: a.territory_id, userId: a.user_id, authorId: actor.userId, body, at: now });
    }
    await repo.setOutcome(trx, a.id, { outcome: input.outcome, note: input.note, attachedTo, at: now });
    await recordAudit(trx, ctx, actor, { action: 'appointment.outcome_recorded', subjectType: 'appointment', subjectId: a.id, data: { outcome: input.outcome, noteAttachedTo: attachedTo } });
    return { id: a.id, attachedTo };
  });
}

// ---------------------------------------------------------------------------------------------- reading

/** The team's page: slots from two weeks back, with their appointment, the month figures and the third places. */
export async function getAdviserBoard(ctx: AppContext, actor: Actor) {
  assertAdviser(actor);
  const now = ctx.clock.now();
  const today = parisDay(now);
  const from = parisTime(addDays(today, -STAFF_PAST_DAYS), 0);
  const [slots, places, figures] = await Promise.all([
    repo.listSlotsWithAppointments(ctx.db, ctx.territory.id, from, parisTime(addDays(today, LIST_DAYS), 0), now),
    listThirdPlaceChoices(ctx),
    repo.figuresByMonth(ctx.db, ctx.territory.id, parisTime(`${addDays(today, -365).slice(0, 7)}-01`, 0), parisTime(addDays(today, LIST_DAYS), 0)),
  ]);
  return { slots, places, figures, now };
}

/** One appointment for the team: the person, their project, the outcome form. */
export async function getAppointmentForTeam(ctx: AppContext, actor: Actor, id: string | null) {
  assertAdviser(actor);
  const a = id ? await repo.findAppointment(ctx.db, ctx.territory.id, id) : undefined;
  if (!a) throw appointmentNotFound();
  return { appointment: a, past: a.starts_at <= ctx.clock.now() };
}

export async function listMyAppointments(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const now = ctx.clock.now();
  return (await repo.listAppointmentsOfUser(ctx.db, ctx.territory.id, actor.userId)).map((a) => ({
    appointment: a,
    upcoming: (a.status === 'confirmed' || a.status === 'held') && a.starts_at > now,
  }));
}

// ---------------------------------------------------------------------------------------------- mails

function recipientOf(a: AppointmentRow): { email: string; name: string; locale: Locale } | null {
  if (a.person_email) return { email: a.person_email, name: a.person_name ?? '', locale: a.person_locale ?? 'fr' };
  if (a.visitor_email) return { email: a.visitor_email, name: a.visitor_name ?? '', locale: 'fr' };
  return null;
}

function whereText(a: Pick<AppointmentRow, 'mode' | 'place_name' | 'video_url'>, locale: Locale) {
  const t = tFor(locale);
  return a.mode === 'place' ? t('bookings.appointments.where.place', { place: a.place_name ?? '' }) : a.mode === 'video' ? t('bookings.appointments.where.video', { url: a.video_url ?? '' }) : t('bookings.appointments.where.phone');
}

function mailParams(a: AppointmentRow, locale: Locale) {
  const intl = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const minutes = Math.round((a.ends_at.getTime() - a.starts_at.getTime()) / 60_000);
  return { name: a.person_name ?? a.visitor_name ?? '', adviser: a.adviser_name, when: formatDateTime(a.starts_at, intl), minutes, where: whereText(a, locale) };
}

/** One appointment as the person sees it in their calendar (a cancelled one stays, marked cancelled). */
function appointmentIcsEvent(ctx: AppContext, a: AppointmentRow, locale: Locale): IcsEvent {
  const t = tFor(locale);
  const cancelled = a.status === 'cancelled';
  return {
    uid: `appointment-${a.id}@${new URL(ctx.config.baseUrl).host}`,
    title: t('bookings.appointments.ics.title', { adviser: a.adviser_name }),
    description: a.project,
    location: a.mode === 'place' ? a.place_name : a.mode === 'video' ? a.video_url : null,
    url: `${ctx.config.baseUrl}/compte/rendez-vous`,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    allDay: false,
    cancelled,
    updatedAt: a.created_at,
    sequence: cancelled ? 1 : 0,
  };
}

/** The appointment as an iCalendar file, attached to the confirmation. */
export function appointmentIcs(ctx: AppContext, a: AppointmentRow, locale: Locale) {
  return buildCalendar({
    name: tFor(locale)('bookings.appointments.ics.name'),
    prodId: `-//${ctx.territory.programmeName}//appointments//FR`,
    events: [appointmentIcsEvent(ctx, a, locale)],
  });
}

/**
 * A person's appointments for their secret calendar feed (the bookings' one): confirmed, and cancelled ones as
 * cancelled so that calendars remove them. Called with the feed's owner, already resolved from the secret.
 */
export async function appointmentFeedEvents(ctx: AppContext, userId: string, locale: Locale): Promise<IcsEvent[]> {
  const rows = await repo.listAppointmentsOfUser(ctx.db, ctx.territory.id, userId);
  return rows.filter((a) => a.status === 'confirmed' || a.status === 'cancelled').map((a) => appointmentIcsEvent(ctx, a, locale));
}

async function confirmedMail(trx: Executor, ctx: AppContext, a: AppointmentRow) {
  const to = recipientOf(a);
  if (!to) return;
  await queueTemplatedMail(trx, ctx, {
    to: to.email,
    locale: to.locale,
    template: 'bookings.appointments.mail.confirmed',
    params: mailParams(a, to.locale),
    path: a.user_id ? '/compte/rendez-vous' : '/rendez-vous',
    attachments: [{ filename: 'rendez-vous.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: appointmentIcs(ctx, a, to.locale) }],
  });
}

// ---------------------------------------------------------------------------------------------- personal data

export async function exportAppointments(ctx: AppContext, userId: string) {
  const rows = await repo.exportAppointmentsOfUser(ctx.db, ctx.territory.id, userId);
  return rows.length ? rows : null;
}

export async function eraseAppointments(ctx: AppContext, userId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const n = await repo.eraseAppointmentsOfUser(trx, ctx.territory.id, userId, ctx.clock.now());
    if (n) await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'appointment.erased', subjectType: 'user', subjectId: userId, data: { count: n } });
    return n;
  });
}

/**
 * Demo content only: the demo adviser's slots around today (at La Dynamo, by phone, by video), one booked by the demo
 * candidate household, written as they would have been made but without mails. Idempotent: nothing is added once
 * the adviser has a slot.
 */
export async function loadDemoAppointments(ctx: AppContext, adviserId: string, placeId: number, candidateId: string | null) {
  if (await repo.hasAnySlot(ctx.db, ctx.territory.id, adviserId)) return;
  const now = ctx.clock.now();
  const today = parisDay(now);
  const plan: { day: number; hour: number; minutes: 30 | 60; where: 'place' | 'phone' | 'video' }[] = [
    { day: 1, hour: 10, minutes: 60, where: 'place' },
    { day: 1, hour: 14, minutes: 30, where: 'phone' },
    { day: 2, hour: 11, minutes: 60, where: 'video' },
    { day: 3, hour: 9, minutes: 60, where: 'place' },
    { day: 6, hour: 10, minutes: 60, where: 'place' },
    { day: 7, hour: 16, minutes: 30, where: 'phone' },
    { day: 8, hour: 10, minutes: 60, where: 'place' },
  ];
  let first: string | null = null;
  for (const p of plan) {
    const start = parisTime(addDays(today, p.day), p.hour);
    const slot = await repo.insertSlot(ctx.db, {
      territoryId: ctx.territory.id,
      adviserId,
      start,
      end: new Date(start.getTime() + p.minutes * 60_000),
      mode: p.where,
      placeId: p.where === 'place' ? placeId : null,
      videoUrl: p.where === 'video' ? 'https://visio.exemple.fr/rendez-vous-creation' : null,
      by: adviserId,
      at: now,
    });
    first ??= slot.id;
  }
  if (candidateId && first) {
    await repo.insertAppointment(ctx.db, {
      territoryId: ctx.territory.id,
      slotId: first,
      userId: candidateId,
      visitorName: null,
      visitorEmail: null,
      audience: 'candidate',
      project: 'Reprise d’une épicerie de village près de Lectoure, avec un point relais.',
      status: 'confirmed',
      holdUntil: null,
      confirmTokenHash: null,
      followUp: false,
      at: now,
    });
  }
}

/** For the team's route whose use case also serves the person (cancelling): the team only there. */
export const checkAdviser = (actor: Actor) => assertAdviser(actor);
