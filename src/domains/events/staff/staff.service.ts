/**
 * The team's agenda (`/admin/agenda`): create, edit, duplicate, publish and cancel events; the types' list; each
 * event's registrants (CSV, a mail to all), its waiting list (reorder, confirm by hand). Each change checks the
 * role, locks the event when seats or registrants are concerned, and records an audit entry in its transaction.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { toCsv } from '../../../shared/csv.js';
import { isRowId, isUuid, slugify } from '../../../shared/input.js';
import { formatDateTime, parisDay } from '../../../shared/time.js';
import { recordAudit } from '../../audit/index.js';
import { queueTemplatedMail } from '../../mail/index.js';
import { listThirdPlaceChoices } from '../../places/index.js';
import { findCommune, listCommuneNames } from '../../territory/index.js';
import { registrationMail, registrationPath, thirdPlacesIn } from '../events.common.js';
import { assertEventStaff } from '../events.policy.js';
import * as repo from '../events.repo.js';
import { DEFAULT_TYPES, type Decision, type EventInput, type MessageInput, type SeriesEditInput, type TypeInput } from '../events.schemas.js';
import { freeSlug } from '../events.hosting.js';
import { decideHostedLocked } from '../events.selection.js';
import { offerFreedSeats, oneAtATime, recipientOf, scheduleReminder } from '../events.seats.js';
import { instantOf, occurrences } from '../events.rrule.js';
export { getSeriesForStaff } from './series.service.js';
import { extendSeries, getSeriesForStaff, inputForOccurrence, insertSeriesOf, recordSeriesAudit, seriesExtendJob } from './series.service.js';
import type { ClaimedJob } from '../../../jobs/queue.js';

const notFound = () => new AppError('not_found', 'events.notFound');
/** The default types, at first start and for the demo (existing types are left as staff made them). */
export async function seedEventTypes(db: Executor, territoryId: number) {
  if ((await repo.listTypes(db, territoryId)).length) return 0;
  return repo.insertTypes(db, territoryId, DEFAULT_TYPES);
}

export async function valuesOf(db: Executor, ctx: AppContext, territoryId: number, input: EventInput): Promise<repo.EventValues> {
  const type = await repo.findTypeByKey(db, territoryId, input.typeKey);
  if (!type) throw new AppError('invalid', 'events.form.typeRequired', { type: 'events.form.typeRequired' });
  if (input.placeKind === 'third_place') {
    const places = await thirdPlacesIn(db, ctx);
    if (!places.some((p) => p.id === input.thirdPlaceId)) throw new AppError('invalid', 'events.form.thirdPlaceRequired', { tiersLieu: 'events.form.thirdPlaceRequired' });
  }
  if (input.insee) {
    if (!(await findCommune(db, territoryId, input.insee))) throw new AppError('invalid', 'events.form.communeRequired', { commune: 'events.form.communeRequired' });
  }
  return {
    title: input.title,
    description_md: input.description,
    type_id: type.id,
    place_kind: input.placeKind,
    third_place_id: input.placeKind === 'third_place' ? input.thirdPlaceId! : null,
    insee: input.placeKind === 'commune' || input.placeKind === 'address' ? input.insee! : null,
    address: input.placeKind === 'address' ? input.address! : null,
    online_url: input.placeKind === 'online' ? input.onlineUrl! : null,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    all_day: input.allDay,
    audience: input.audience,
    capacity: input.capacity,
    max_seats: input.maxSeats,
    registration_opens_at: input.opensAt ?? null,
    registration_closes_at: input.closesAt ?? null,
    price_member_cents: input.priceMemberCents ?? null,
    price_public_cents: input.pricePublicCents ?? null,
    organiser: input.organiser ?? null,
    claim_window_hours: input.claimWindowHours,
    registration_mode: input.registrationMode,
  };
}

// ---------------------------------------------------------------------------------------------- lists and forms

export async function listEventsForStaff(ctx: AppContext, actor: Actor) {
  assertEventStaff(actor);
  const now = ctx.clock.now();
  const [upcoming, past] = await Promise.all([
    repo.listEvents(ctx.db, actor.territoryId, { statuses: ['draft', 'published', 'cancelled'], upcomingAt: now }),
    repo.listEvents(ctx.db, actor.territoryId, { statuses: ['draft', 'published', 'cancelled'], pastAt: now, limit: 50 }),
  ]);
  return { upcoming, past };
}

export async function getEventFormData(ctx: AppContext, actor: Actor) {
  assertEventStaff(actor);
  const [types, places, communes] = await Promise.all([repo.listTypes(ctx.db, actor.territoryId), listThirdPlaceChoices(ctx), listCommuneNames(ctx.db, actor.territoryId)]);
  return { types, places, communes: communes.map((c) => ({ insee: c.insee, name: c.name })) };
}
export type EventFormData = Awaited<ReturnType<typeof getEventFormData>>;

export async function getEventForStaff(ctx: AppContext, actor: Actor, id: number) {
  assertEventStaff(actor);
  if (!isRowId(id)) throw notFound();
  const event = await repo.findEventById(ctx.db, actor.territoryId, id);
  if (!event) throw notFound();
  const [registrations, places] = await Promise.all([repo.listRegistrationsOfEvent(ctx.db, event.id), listThirdPlaceChoices(ctx)]);
  return { event, registrations, places, now: ctx.clock.now() };
}
export type EventForStaff = Awaited<ReturnType<typeof getEventForStaff>>;

// ---------------------------------------------------------------------------------------------- changes

/**
 * A new event, as a draft. With a repetition, a series: its first occurrence (the rule's first date, at the form's
 * times) and the others up to the horizon, all drafts, published together from the series' page.
 */
export async function createEvent(ctx: AppContext, actor: Actor, input: EventInput) {
  assertEventStaff(actor);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const values = await valuesOf(trx, ctx, actor.territoryId, input);
    if (input.series) {
      const series = await insertSeriesOf(trx, ctx, actor, { ...input, series: input.series });
      const [firstKey] = occurrences(input.series.rule, input.series.firstLocal, { max: 1 });
      const first = inputForOccurrence(input, { starts_at: instantOf(firstKey) });
      const firstValues = { ...values, starts_at: first.startsAt, ends_at: first.endsAt, registration_opens_at: first.opensAt ?? null, registration_closes_at: first.closesAt ?? null };
      const slug = await freeSlug(trx, actor.territoryId, input.title, first.startsAt);
      const row = await repo.insertEvent(trx, { ...firstValues, territoryId: actor.territoryId, slug, by: actor.userId, now: ctx.clock.now(), seriesId: series.id, occurrenceKey: firstKey });
      const made = await extendSeries(trx, ctx, actor.territoryId, series.id, freeSlug);
      await recordSeriesAudit(trx, ctx, actor, 'event_series.created', series.id, { title: input.title, rule: input.series.rule, occurrences: made + 1 });
      return { ...row, seriesId: series.id as number | undefined };
    }
    const slug = await freeSlug(trx, actor.territoryId, input.title, input.startsAt);
    const row = await repo.insertEvent(trx, { ...values, territoryId: actor.territoryId, slug, by: actor.userId, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, { action: 'event.created', subjectType: 'event', subjectId: String(row.id), data: { title: input.title, slug } });
    return { ...row, seriesId: undefined as number | undefined };
  });
  ctx.pageCache.clear();
  return result;
}

/** Publishes every draft occurrence of a series still to come (those cancelled stay cancelled). */
export async function publishSeries(ctx: AppContext, actor: Actor, seriesId: number) {
  const { occurrences: list } = await getSeriesForStaff(ctx, actor, seriesId);
  let count = 0;
  for (const o of list) {
    if (o.status !== 'draft' || o.ends_at <= ctx.clock.now()) continue;
    await publishEvent(ctx, actor, o.id);
    count += 1;
  }
  await recordSeriesAudit(ctx.db, ctx, actor, 'event_series.published', seriesId, { count });
  return { count };
}

/**
 * Changes every occurrence from a day onward (not cancelled, not begun): the form's fields, at the form's times on
 * each occurrence's own day. Each occurrence changes as one edit would (its registrants told if the time or place
 * moves). Capacities are checked first, so a refusal changes nothing. Occurrences made later copy the new values.
 */
export async function updateSeriesFrom(ctx: AppContext, actor: Actor, seriesId: number, input: SeriesEditInput) {
  const { occurrences: list } = await getSeriesForStaff(ctx, actor, seriesId);
  const now = ctx.clock.now();
  const targets = list.filter((o) => o.status !== 'cancelled' && o.starts_at > now && parisDay(o.starts_at) >= input.fromDay);
  if (!targets.length) throw new AppError('invalid', 'events.series.nothingFrom', { aPartirDu: 'events.series.nothingFrom' });
  const fullest = targets.reduce((a, o) => Math.max(a, o.taken), 0);
  if (input.event.capacity < fullest) throw new AppError('invalid', 'events.staff.capacityBelowTaken', { places: 'events.staff.capacityBelowTakenField' }, { taken: fullest });
  let told = 0;
  for (const o of targets) told += (await updateEvent(ctx, actor, o.id, inputForOccurrence(input.event, o))).told;
  await recordSeriesAudit(ctx.db, ctx, actor, 'event_series.updated', seriesId, { from: input.fromDay, occurrences: targets.length, told });
  return { count: targets.length, told };
}

/** Moves a series' horizon forward now (the daily job does the same). */
export async function extendSeriesNow(ctx: AppContext, actor: Actor, seriesId: number) {
  assertEventStaff(actor);
  if (!isRowId(seriesId)) throw new AppError('not_found', 'events.notFound');
  const made = await ctx.db.transaction().execute(async (trx) => {
    const n = await extendSeries(trx, ctx, actor.territoryId, seriesId, freeSlug);
    await recordSeriesAudit(trx, ctx, actor, 'event_series.extended', seriesId, { made: n });
    return n;
  });
  ctx.pageCache.clear();
  return { made };
}

export async function seriesJob(ctx: AppContext, job: ClaimedJob) {
  await seriesExtendJob(ctx, job, freeSlug);
}

async function withLockedEvent<T>(ctx: AppContext, actor: Actor, id: number, change: (trx: Executor, event: repo.LockedEvent, staff: Actor & { userId: string }) => Promise<T>) {
  assertEventStaff(actor);
  if (!isRowId(id)) throw notFound();
  const result = await oneAtATime(id, () =>
    ctx.db.transaction().execute(async (trx) => {
      const event = await repo.lockEvent(trx, actor.territoryId, id);
      if (!event) throw notFound();
      return change(trx, event, actor);
    }),
  );
  ctx.pageCache.clear();
  return result;
}

/**
 * Capacity never drops below the seats given; a published event whose date, time or place changes is announced to
 * everyone registered (and their reminders follow the new time); more seats go to the waiting list at once.
 */
export async function updateEvent(ctx: AppContext, actor: Actor, id: number, input: EventInput) {
  return withLockedEvent(ctx, actor, id, async (trx, locked, staff) => {
    if (locked.status === 'cancelled') throw new AppError('conflict', 'events.staff.cancelledAlready');
    const before = (await repo.findEventById(trx, staff.territoryId, id))!;
    const values = await valuesOf(trx, ctx, staff.territoryId, input);
    if (values.registration_mode !== before.registration_mode && (await repo.listRegistrationsOfEvent(trx, id)).length) {
      throw new AppError('invalid', 'events.staff.modeLocked', { modeInscription: 'events.staff.modeLocked' });
    }
    const taken = await repo.sumSeats(trx, id);
    if (values.capacity < taken) throw new AppError('invalid', 'events.staff.capacityBelowTaken', { places: 'events.staff.capacityBelowTakenField' }, { taken });
    await repo.updateEvent(trx, id, { ...values, now: ctx.clock.now() });
    const moved =
      before.starts_at.getTime() !== values.starts_at.getTime() ||
      before.ends_at.getTime() !== values.ends_at.getTime() ||
      before.place_kind !== values.place_kind ||
      before.third_place_id !== values.third_place_id ||
      before.insee !== values.insee ||
      before.address !== values.address ||
      before.online_url !== values.online_url;
    const fresh = (await repo.lockEvent(trx, staff.territoryId, id))!;
    let told = 0;
    if (moved && fresh.status === 'published') {
      for (const r of await repo.listLiveRegistrations(trx, id)) {
        await registrationMail(trx, ctx, recipientOf(r), 'changed', fresh);
        if (r.status === 'confirmed') await scheduleReminder(trx, ctx, r.id, fresh);
        told += 1;
      }
    }
    const offered = await offerFreedSeats(trx, ctx, fresh);
    await recordAudit(trx, ctx, staff, { action: 'event.updated', subjectType: 'event', subjectId: String(id), data: { moved, told, offered: offered.length, capacity: values.capacity } });
    return { told, offered: offered.length };
  });
}

/** A copy as a draft, same settings, "(copie)" in its title, a week later, so staff only change what differs. */
export async function duplicateEvent(ctx: AppContext, actor: Actor, id: number) {
  assertEventStaff(actor);
  if (!isRowId(id)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const e = await repo.findEventValues(trx, actor.territoryId, id);
    if (!e) throw notFound();
    const week = 7 * 24 * 3600 * 1000;
    const shift = (d: Date | null) => (d ? new Date(d.getTime() + week) : null);
    const title = `${e.title} (copie)`.slice(0, 160);
    const startsAt = shift(e.starts_at)!;
    const slug = await freeSlug(trx, actor.territoryId, e.title, startsAt);
    const row = await repo.insertEvent(trx, {
      title,
      description_md: e.description_md,
      type_id: e.type_id,
      place_kind: e.place_kind,
      third_place_id: e.third_place_id,
      insee: e.insee,
      address: e.address,
      online_url: e.online_url,
      starts_at: startsAt,
      ends_at: shift(e.ends_at)!,
      all_day: e.all_day,
      audience: e.audience,
      capacity: e.capacity,
      max_seats: e.max_seats,
      registration_opens_at: shift(e.registration_opens_at),
      registration_closes_at: shift(e.registration_closes_at),
      price_member_cents: e.price_member_cents,
      price_public_cents: e.price_public_cents,
      organiser: e.organiser,
      claim_window_hours: e.claim_window_hours,
      registration_mode: e.registration_mode,
      territoryId: actor.territoryId,
      slug,
      by: actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit(trx, ctx, actor, { action: 'event.duplicated', subjectType: 'event', subjectId: String(row.id), data: { from: id } });
    return row;
  });
}

export async function publishEvent(ctx: AppContext, actor: Actor, id: number) {
  return withLockedEvent(ctx, actor, id, async (trx, event, staff) => {
    if (event.status === 'published') return;
    if (event.status === 'cancelled') throw new AppError('conflict', 'events.staff.cancelledAlready');
    if (event.ends_at <= ctx.clock.now()) throw new AppError('conflict', 'events.staff.publishPast');
    await repo.setEventStatus(trx, id, 'published', ctx.clock.now());
    await recordAudit(trx, ctx, staff, { action: 'event.published', subjectType: 'event', subjectId: String(id) });
  });
}

/** Cancels the event: every registration is cancelled and its person told by mail, in the same transaction. */
export async function cancelEvent(ctx: AppContext, actor: Actor, id: number) {
  return withLockedEvent(ctx, actor, id, async (trx, event, staff) => {
    if (event.status === 'cancelled') return { told: 0 };
    const live = await repo.listLiveRegistrations(trx, id);
    await repo.setEventStatus(trx, id, 'cancelled', ctx.clock.now());
    await repo.cancelAllLive(trx, id, ctx.clock.now());
    for (const r of live) await registrationMail(trx, ctx, recipientOf(r), 'eventCancelled', event);
    await recordAudit(trx, ctx, staff, { action: 'event.cancelled', subjectType: 'event', subjectId: String(id), data: { told: live.length } });
    return { told: live.length };
  });
}

/** A message from the team to everyone registered (seat, offer or waiting list), each in their language's frame. */
export async function mailRegistrants(ctx: AppContext, actor: Actor, id: number, input: MessageInput) {
  return withLockedEvent(ctx, actor, id, async (trx, event, staff) => {
    const live = await repo.listLiveRegistrations(trx, id);
    for (const r of live) {
      if (!r.email) continue;
      await queueTemplatedMail(trx, ctx, {
        to: r.email,
        locale: r.locale,
        template: 'events.mail.fromTeam',
        params: { name: r.name, event: event.title, subject: input.subject, message: input.body },
        link: `${ctx.config.baseUrl}${registrationPath(ctx, r.id)}`,
      });
    }
    await recordAudit(trx, ctx, staff, { action: 'event.registrants_mailed', subjectType: 'event', subjectId: String(id), data: { count: live.length, subject: input.subject } });
    return { count: live.length };
  });
}

/** The registrants as CSV (French Excel), each row with its status and place in line; the export is audited. */
export async function registrantsCsv(ctx: AppContext, actor: Actor, id: number) {
  const { event, registrations } = await getEventForStaff(ctx, actor, id);
  const rows = [
    ['Nom', 'Courriel', 'Places', 'Statut', 'Rang', 'Inscription', 'Confirmation'],
    ...registrations.map((r) => [
      r.name,
      r.email,
      r.seats,
      STATUS_FR[r.status],
      r.status === 'waiting' || r.status === 'offered' ? r.queue_position : null,
      formatDateTime(r.created_at, 'fr-FR'),
      r.confirmed_at ? formatDateTime(r.confirmed_at, 'fr-FR') : null,
    ]),
  ];
  await recordAudit(ctx.db, ctx, actor, { action: 'event.registrants_exported', subjectType: 'event', subjectId: String(id), data: { count: registrations.length } });
  return { name: `inscrits-${event.slug}.csv`, body: toCsv(rows) };
}
const STATUS_FR: Record<string, string> = { pending: 'Adresse à confirmer', applied: 'Candidature', declined: 'Candidature déclinée', confirmed: 'Confirmée', waiting: 'Liste d’attente', offered: 'Place proposée', cancelled: 'Annulée', lapsed: 'Proposition expirée' };

/** Moves someone up or down the waiting list by one place. */
export async function moveInLine(ctx: AppContext, actor: Actor, id: number, registrationId: string, direction: 'up' | 'down') {
  return withLockedEvent(ctx, actor, id, async (trx, event, staff) => {
    const list = await repo.listWaiting(trx, id);
    const i = list.findIndex((r) => r.id === registrationId);
    if (i < 0) throw notFound();
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= list.length) return;
    await repo.swapQueuePositions(trx, list[i], list[j]);
    await recordAudit(trx, ctx, staff, { action: 'event_registration.reordered', subjectType: 'event', subjectId: String(event.id), data: { registration: registrationId, direction } });
  });
}

/** Staff confirm a person waiting (or whose address is unconfirmed) by hand, if their seats are free. */
export async function confirmByHand(ctx: AppContext, actor: Actor, id: number, registrationId: string) {
  assertEventStaff(actor);
  if (!isUuid(registrationId)) throw notFound();
  return withLockedEvent(ctx, actor, id, async (trx, event, staff) => {
    const r = await repo.findRegistration(trx, staff.territoryId, registrationId);
    if (!r || r.event_id !== id) throw notFound();
    if (r.status === 'confirmed') return;
    if (!['waiting', 'pending', 'offered'].includes(r.status)) throw new AppError('conflict', 'events.staff.notConfirmable');
    if (event.status !== 'published') throw new AppError('conflict', 'events.register.cancelled');
    const held = r.status === 'offered' ? r.seats : 0;
    const free = event.capacity - (await repo.sumSeats(trx, id)) + held;
    if (r.seats > free) throw new AppError('conflict', 'events.staff.noSeats', {}, { left: Math.max(0, free) });
    const now = ctx.clock.now();
    await repo.setRegistration(trx, r.id, { status: 'confirmed', now, queuePosition: r.queue_position ?? (await repo.nextQueuePosition(trx, id)) });
    await registrationMail(trx, ctx, recipientOf(r), 'confirmedByTeam', event, { seats: r.seats });
    await scheduleReminder(trx, ctx, r.id, event);
    await recordAudit(trx, ctx, staff, { action: 'event_registration.confirmed_by_staff', subjectType: 'event', subjectId: String(id), data: { registration: r.id, from: r.status } });
  });
}

/**
 * Selection mode: the team selects an application (never beyond the capacity, counted under the event's lock),
 * puts it on the waiting list or declines it; the person hears once, when the state changes.
 */
export async function decideRegistration(ctx: AppContext, actor: Actor, id: number, registrationId: string, decision: Decision | undefined) {
  assertEventStaff(actor);
  if (!decision) throw new AppError('invalid', 'events.flash.decisionMissing', { decision: 'events.flash.decisionMissing' });
  if (!isUuid(registrationId)) throw notFound();
  return withLockedEvent(ctx, actor, id, async (trx, event, staff) => {
    const r = await repo.findRegistration(trx, staff.territoryId, registrationId);
    if (!r || r.event_id !== id) throw notFound();
    // Through the hosting domain when there is one (a discovery stay's case moves as from the stays page).
    const { changed, from } = await decideHostedLocked(trx, ctx, staff, event, r, decision);
    if (changed) await recordAudit(trx, ctx, staff, { action: 'event_registration.decided', subjectType: 'event', subjectId: String(id), data: { registration: r.id, from, to: decision } });
    return { changed };
  });
}

// ---------------------------------------------------------------------------------------------- types

export async function listTypesForStaff(ctx: AppContext, actor: Actor) {
  assertEventStaff(actor);
  return repo.listTypes(ctx.db, actor.territoryId);
}

/** Adds a type, or renames the one with this key (and shows it again if it was hidden). */
export async function saveType(ctx: AppContext, actor: Actor, input: TypeInput) {
  assertEventStaff(actor);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertType(trx, actor.territoryId, input);
    await recordAudit(trx, ctx, actor, { action: 'event_type.saved', subjectType: 'event_type', subjectId: input.key, data: { fr: input.labelFr, en: input.labelEn } });
  });
  ctx.pageCache.clear();
}

/** A hidden type is no longer offered for new events; events already of that type keep it. */
export async function setTypeHidden(ctx: AppContext, actor: Actor, key: string, hidden: boolean) {
  assertEventStaff(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const res = await repo.setTypeHidden(trx, actor.territoryId, key, hidden);
    if (!Number(res.numUpdatedRows)) throw notFound();
    await recordAudit(trx, ctx, actor, { action: hidden ? 'event_type.hidden' : 'event_type.shown', subjectType: 'event_type', subjectId: key });
  });
}
