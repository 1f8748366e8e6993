/**
 * Trainings and authorisations, in the Fablab's words: a machine names the training it requires (a training kind);
 * training sessions are events of type training in the events domain, linked to a kind; after a session the team
 * marks who passed, which grants (or renews) the person's authorisation for that kind until its expiry (12 months
 * by default). An authorisation lapses when the person has not used a machine of the kind for the kind's number of
 * months. Booking a machine behind a training without a valid authorisation is refused with the next session.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { recordAudit } from '../../audit/index.js';
import { findTrainingEventWithRegistrants, listTrainingEvents } from '../../events/index.js';
import { assertBookingStaff, assertSignedIn, canManageBookings } from '../bookings.policy.js';
import * as repo from './authorisations.repo.js';
import type { KindInput } from './authorisations.schemas.js';

export type AuthorisationState = 'valid' | 'expired' | 'lapsed' | 'none';

/** The same day `months` later (the last day of the month when it has fewer days), at the same time. */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * Where an authorisation stands at `now`: valid until it expires, or until the kind's months without use have
 * passed since the last use of one of its machines (or since it was granted, when none is used yet).
 */
export function stateOf(a: { granted_at: Date; expires_at: Date; last_used_at: Date | null; lapse_months: number | null } | undefined, now: Date): { state: AuthorisationState; until: Date | null } {
  if (!a) return { state: 'none', until: null };
  const since = a.last_used_at && a.last_used_at > a.granted_at ? a.last_used_at : a.granted_at;
  const lapsesAt = a.lapse_months ? addMonths(since, a.lapse_months) : null;
  const until = lapsesAt && lapsesAt < a.expires_at ? lapsesAt : a.expires_at;
  if (now >= a.expires_at) return { state: 'expired', until: a.expires_at };
  if (lapsesAt && now >= lapsesAt) return { state: 'lapsed', until: lapsesAt };
  return { state: 'valid', until };
}

const kindNotFound = () => new AppError('not_found', 'bookings.gate.errors.kindNotFound');
const sessionNotFound = () => new AppError('not_found', 'bookings.gate.errors.sessionNotFound');
const withState = (now: Date) => (a: repo.AuthorisationRow) => ({ ...a, ...stateOf({ ...a, last_used_at: a.last_used_at ? new Date(a.last_used_at) : null }, now) });

// ---------------------------------------------------------------------------------------------- the gate

/** The refusal's key per state, and what travels with it so pages and the API can offer the next session. */
const GATE_KEYS: Record<Exclude<AuthorisationState, 'valid'>, string> = {
  none: 'bookings.gate.errors.none',
  expired: 'bookings.gate.errors.expired',
  lapsed: 'bookings.gate.errors.lapsed',
};
const GATE_KIND = 'trainingKind';

/**
 * Inside the booking's transaction: a machine behind a training is booked only by a person holding a valid
 * authorisation for its kind (the back office booking for itself aside). A machine marked as needing an
 * authorisation but naming no training is refused to everybody but the team.
 */
export async function assertAuthorised(db: Executor, ctx: AppContext, actor: Actor, r: { requires_authorisation: boolean; training_kind_id: number | null }, forUserId: string | null = actor.userId) {
  if (!r.requires_authorisation) return;
  if (forUserId === actor.userId && canManageBookings(actor)) return;
  if (r.training_kind_id === null || !forUserId) throw new AppError('forbidden', 'bookings.errors.authorisationRequired', { _form: 'bookings.errors.authorisationRequired' });
  const a = await repo.findAuthorisation(db, ctx.territory.id, ctx.clock.now(), forUserId, r.training_kind_id);
  const { state, until } = stateOf(a && { ...a, last_used_at: a.last_used_at ? new Date(a.last_used_at) : null }, ctx.clock.now());
  if (state === 'valid') return;
  const key = GATE_KEYS[state];
  throw new AppError('forbidden', key, { _form: key }, { [GATE_KIND]: r.training_kind_id, ...(until ? { since: until.toISOString() } : {}) });
}

export interface Gate {
  training: string;
  since: Date | null;
  next: { title: string; slug: string; startsAt: Date } | null;
}

/**
 * After a refusal by the gate (the booking's transaction is over): the same refusal, carrying the training's name
 * and its next session read from the events. Any other error comes back unchanged.
 */
export async function withNextSession(ctx: AppContext, error: unknown): Promise<unknown> {
  if (!(error instanceof AppError) || typeof error.params[GATE_KIND] !== 'number') return error;
  const kind = await repo.findKind(ctx.db, ctx.territory.id, Number(error.params[GATE_KIND]));
  if (!kind) return error;
  const next = await nextSession(ctx, kind.id);
  const params: Record<string, string | number> = { ...error.params, training: kind.name };
  if (next) Object.assign(params, { nextTitle: next.title, nextSlug: next.slug, nextAt: next.startsAt.toISOString() });
  return new AppError(error.code, error.message, error.fields, params);
}

/** What a page shows with the gate's refusal: the training, since when it no longer holds, the next session. */
export function gateOf(error: unknown): Gate | null {
  if (!(error instanceof AppError) || typeof error.params[GATE_KIND] !== 'number' || typeof error.params.training !== 'string') return null;
  const p = error.params;
  return {
    training: String(p.training),
    since: typeof p.since === 'string' ? new Date(p.since) : null,
    next: typeof p.nextSlug === 'string' ? { title: String(p.nextTitle), slug: p.nextSlug, startsAt: new Date(String(p.nextAt)) } : null,
  };
}

async function nextSession(ctx: AppContext, kindId: number) {
  const now = ctx.clock.now();
  const ids = (await repo.listSessions(ctx.db, ctx.territory.id, kindId)).map((s) => s.event_id);
  const events = await listTrainingEvents(ctx, { from: now, ids });
  const e = events.find((x) => x.startsAt > now);
  return e ? { title: e.title, slug: e.slug, startsAt: e.startsAt } : null;
}

// ---------------------------------------------------------------------------------------------- the person

/** The person's authorisations, each with its state and until when it holds, and the next session of each kind. */
export async function listMyAuthorisations(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const now = ctx.clock.now();
  const rows = (await repo.listAuthorisations(ctx.db, ctx.territory.id, now, { userId: actor.userId })).map(withState(now));
  return Promise.all(rows.map(async (a) => ({ ...a, next: a.state === 'valid' ? null : await nextSession(ctx, a.training_kind_id) })));
}
export type MyAuthorisation = Awaited<ReturnType<typeof listMyAuthorisations>>[number];

// ---------------------------------------------------------------------------------------------- the back office

/** The trainings page: each kind with its machines and sessions, and every authorisation with its state. */
export async function listKindsForStaff(ctx: AppContext, actor: Actor) {
  assertBookingStaff(actor);
  const now = ctx.clock.now();
  const [kinds, machines, sessions, authorisations] = await Promise.all([
    repo.listKinds(ctx.db, ctx.territory.id),
    repo.listMachines(ctx.db, ctx.territory.id),
    repo.listSessions(ctx.db, ctx.territory.id),
    repo.listAuthorisations(ctx.db, ctx.territory.id, now),
  ]);
  const events = await listTrainingEvents(ctx, { ids: sessions.map((s) => s.event_id) });
  return {
    machines,
    kinds: kinds.map((k) => ({
      kind: k,
      machines: machines.filter((m) => m.training_kind_id === k.id),
      sessions: events.filter((e) => sessions.some((s) => s.event_id === e.id && s.training_kind_id === k.id)),
    })),
    authorisations: authorisations.map(withState(now)),
  };
}

/** One kind's page: its settings, machines to choose from, linked sessions, training events to link, authorisations. */
export async function getKindForStaff(ctx: AppContext, actor: Actor, id: number) {
  assertBookingStaff(actor);
  const kind = isRowId(id) ? await repo.findKind(ctx.db, ctx.territory.id, id) : undefined;
  if (!kind) throw kindNotFound();
  const now = ctx.clock.now();
  const [machines, sessions, authorisations] = await Promise.all([
    repo.listMachines(ctx.db, ctx.territory.id),
    repo.listSessions(ctx.db, ctx.territory.id),
    repo.listAuthorisations(ctx.db, ctx.territory.id, now, { kindId: id }),
  ]);
  const mine = new Set(sessions.filter((s) => s.training_kind_id === id).map((s) => s.event_id));
  const linked = new Set(sessions.map((s) => s.event_id));
  // Training events from a month ago on: recent sessions (to mark who passed) and coming ones (to link).
  const events = await listTrainingEvents(ctx, { from: new Date(now.getTime() - 31 * 86_400_000) });
  return {
    kind,
    machines,
    values: {
      nom: kind.name,
      slug: kind.slug,
      validite: String(kind.validity_months),
      inactivite: kind.lapse_months === null ? '' : String(kind.lapse_months),
      machines: machines.filter((m) => m.training_kind_id === id).map((m) => String(m.id)),
    },
    sessions: events.filter((e) => mine.has(e.id)),
    unlinked: events.filter((e) => !linked.has(e.id)),
    authorisations: authorisations.map(withState(now)),
  };
}

export async function getKindFormChoices(ctx: AppContext, actor: Actor) {
  assertBookingStaff(actor);
  return { machines: await repo.listMachines(ctx.db, ctx.territory.id) };
}

async function saveKind(ctx: AppContext, actor: Actor, id: number | null, input: KindInput) {
  assertBookingStaff(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const same = await repo.findKindBySlug(trx, ctx.territory.id, input.slug);
    if (same && same.id !== id) throw new AppError('conflict', 'bookings.gate.errors.slugTaken', { slug: 'bookings.gate.errors.slugTaken' });
    const machines = await repo.listMachines(trx, ctx.territory.id);
    if (input.machineIds.some((m) => !machines.some((x) => x.id === m))) throw new AppError('invalid', 'errors.invalid', { machines: 'errors.invalid_field' });
    const columns = { slug: input.slug, name: input.name, validity_months: input.validityMonths, lapse_months: input.lapseMonths };
    let kindId = id;
    if (kindId === null) kindId = (await repo.insertKind(trx, ctx.territory.id, columns, now)).id;
    else if (!(await repo.findKind(trx, ctx.territory.id, kindId))) throw kindNotFound();
    else await repo.updateKind(trx, ctx.territory.id, kindId, columns, now);
    await repo.setMachinesOfKind(trx, ctx.territory.id, kindId, input.machineIds);
    await recordAudit(trx, ctx, actor, { action: id === null ? 'booking.training_created' : 'booking.training_updated', subjectType: 'booking_training_kind', subjectId: String(kindId), data: { machines: input.machineIds, validity: input.validityMonths, lapse: input.lapseMonths } });
    return { id: kindId };
  });
}

export const createKind = (ctx: AppContext, actor: Actor, input: KindInput) => saveKind(ctx, actor, null, input);

export async function updateKind(ctx: AppContext, actor: Actor, id: number, input: KindInput) {
  assertBookingStaff(actor);
  if (!isRowId(id)) throw kindNotFound();
  return saveKind(ctx, actor, id, input);
}

/** A training event of the agenda becomes a session of this kind (or moves to it from another kind). */
export async function linkSession(ctx: AppContext, actor: Actor, kindId: number, eventId: number) {
  assertBookingStaff(actor);
  const kind = isRowId(kindId) ? await repo.findKind(ctx.db, ctx.territory.id, kindId) : undefined;
  if (!kind) throw kindNotFound();
  const event = isRowId(eventId) ? await findTrainingEventWithRegistrants(ctx, eventId) : null;
  if (!event) throw new AppError('invalid', 'errors.invalid', { evenement: 'bookings.gate.form.chooseSession' });
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, ctx.territory.id, event.id, kind.id, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'booking.training_session_linked', subjectType: 'event', subjectId: String(event.id), data: { kind: kind.id } });
  });
  return { kindId: kind.id, eventId: event.id };
}

/** A session's page: the confirmed registrants, each with where their authorisation for the kind stands. */
export async function getSessionForStaff(ctx: AppContext, actor: Actor, eventId: number) {
  assertBookingStaff(actor);
  const session = isRowId(eventId) ? await repo.findSession(ctx.db, ctx.territory.id, eventId) : undefined;
  const event = session ? await findTrainingEventWithRegistrants(ctx, eventId) : null;
  if (!session || !event) throw sessionNotFound();
  const now = ctx.clock.now();
  const held = (await repo.listAuthorisations(ctx.db, ctx.territory.id, now, { kindId: session.training_kind_id })).map(withState(now));
  return {
    session,
    event,
    started: event.startsAt <= now,
    registrants: event.registrants.map((p) => ({ ...p, authorisation: held.find((a) => a.user_id === p.userId) ?? null })),
  };
}

/**
 * After a session, the team marks who passed: each of them (confirmed registrants with an account only) is
 * authorised for the kind from now until the kind's validity has run. Not before the session has started.
 */
export async function markPassed(ctx: AppContext, actor: Actor, eventId: number, userIds: readonly string[]) {
  const { session, event, started, registrants } = await getSessionForStaff(ctx, actor, eventId);
  if (!started) throw new AppError('conflict', 'bookings.gate.errors.notYet', { _form: 'bookings.gate.errors.notYet' });
  const allowed = new Set(registrants.map((r) => r.userId).filter((id): id is string => !!id));
  if (!userIds.length) throw new AppError('invalid', 'errors.invalid', { reussi: 'bookings.gate.form.nobody' });
  if (userIds.some((id) => !allowed.has(id))) throw new AppError('invalid', 'errors.invalid', { reussi: 'bookings.gate.errors.notRegistrant' });
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const expiresAt = addMonths(now, session.validity_months);
    for (const userId of userIds) {
      await repo.upsertAuthorisation(trx, { territoryId: ctx.territory.id, userId, kindId: session.training_kind_id, eventId: event.id, grantedAt: now, grantedBy: actor.userId, expiresAt });
    }
    await recordAudit(trx, ctx, actor, { action: 'booking.training_passed', subjectType: 'event', subjectId: String(event.id), data: { kind: session.training_kind_id, people: userIds.length } });
    return { count: userIds.length, expiresAt };
  });
}

// ---------------------------------------------------------------------------------------------- personal data

export async function exportAuthorisations(ctx: AppContext, userId: string) {
  const rows = await repo.exportAuthorisationsOfUser(ctx.db, ctx.territory.id, userId);
  return rows.length ? rows : null;
}

export async function eraseAuthorisations(ctx: AppContext, userId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const n = await repo.deleteAuthorisationsOfUser(trx, ctx.territory.id, userId);
    if (n) await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'booking.authorisations_erased', subjectType: 'user', subjectId: userId, data: { count: n } });
    return n;
  });
}

/** Demo content only: a kind with its machines, a coming session, and people already authorised. */
export async function loadDemoTrainings(ctx: AppContext, demo: { slug: string; name: string; machineSlugs: string[]; eventId: number | null; authorised: { userId: string; grantedBy: string | null }[] }) {
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const existing = await repo.findKindBySlug(trx, ctx.territory.id, demo.slug);
    const kindId = existing?.id ?? (await repo.insertKind(trx, ctx.territory.id, { slug: demo.slug, name: demo.name, validity_months: 12, lapse_months: 6 }, now)).id;
    const machines = (await repo.listMachines(trx, ctx.territory.id)).filter((m) => demo.machineSlugs.includes(m.slug));
    await repo.setMachinesOfKind(trx, ctx.territory.id, kindId, machines.map((m) => m.id));
    if (demo.eventId) await repo.insertSession(trx, ctx.territory.id, demo.eventId, kindId, now);
    for (const a of demo.authorised) {
      await repo.upsertAuthorisation(trx, { territoryId: ctx.territory.id, userId: a.userId, kindId, eventId: null, grantedAt: now, grantedBy: a.grantedBy, expiresAt: addMonths(now, 12) });
    }
  });
}
