/**
 * Resources, in the space managers' words: describe a desk space, a room, the studio or a machine of a third place
 * (its hours, steps, horizons, prices and who may book it), close it for maintenance, read it back. The back office
 * (staff, admins, space managers) writes; everybody reads the active resources.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import type { OpeningHours } from '../../../db/schema.js';
import { isUniqueViolation, translateDbError } from '../../../db/errors.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { addDays, parisDay, parisTime } from '../../../shared/time.js';
import { recordAudit } from '../../audit/index.js';
import { dayHoursToInput, listThirdPlaceChoices, WEEKDAYS } from '../../places/index.js';
import { assertBookingStaff } from '../bookings.policy.js';
import * as repo from './resources.repo.js';
import { type ClosureInput, PRICE_FIELDS, type PriceField, type ResourceInput } from './resources.schemas.js';

export type Resource = repo.ResourceRow;
export type ClosureRow = repo.ClosureRow;

const notFound = () => new AppError('not_found', 'bookings.errors.resourceNotFound');

const PRICE_COLUMNS: Record<PriceField, keyof repo.ResourceColumns> = {
  memberHour: 'member_hour_cents',
  memberHalfDay: 'member_half_day_cents',
  memberDay: 'member_day_cents',
  hour: 'hour_cents',
  halfDay: 'half_day_cents',
  day: 'day_cents',
};

function columnsOf(input: ResourceInput): repo.ResourceColumns {
  const c: repo.ResourceColumns = {
    place_id: input.placeId,
    parent_id: input.parentId,
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    capacity: input.capacity,
    description: input.description,
    equipment: input.equipment,
    opening_hours: JSON.stringify(input.openingHours),
    slot_minutes: input.slotMinutes,
    min_minutes: input.minMinutes,
    max_minutes: input.maxMinutes,
    member_horizon_days: input.memberHorizonDays,
    visitor_horizon_days: input.visitorHorizonDays,
    notice_minutes: input.noticeMinutes,
    cancel_hours: input.cancelHours,
    audience: input.audience,
    requires_authorisation: input.requiresAuthorisation,
    active: input.active,
  };
  for (const p of PRICE_FIELDS) (c as Record<string, unknown>)[PRICE_COLUMNS[p]] = input.prices[p];
  return c;
}

/** A stored resource as the form shows it. */
export function resourceToFormValues(r: Resource): Record<string, string> {
  const euros = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(cents % 100 ? 2 : 0).replace('.', ','));
  const values: Record<string, string> = {
    name: r.name,
    slug: r.slug,
    kind: r.kind,
    placeId: String(r.place_id),
    parentId: r.parent_id ? String(r.parent_id) : '',
    capacity: String(r.capacity),
    description: r.description,
    equipment: r.equipment,
    slotMinutes: String(r.slot_minutes),
    minMinutes: String(r.min_minutes),
    maxMinutes: String(r.max_minutes),
    memberHorizonDays: String(r.member_horizon_days),
    visitorHorizonDays: String(r.visitor_horizon_days),
    noticeHours: String(Math.round(r.notice_minutes / 60)),
    cancelHours: String(r.cancel_hours),
    audience: r.audience,
    requiresAuthorisation: r.requires_authorisation ? '1' : '',
    active: r.active ? '1' : '',
  };
  for (const d of WEEKDAYS) values[`hours_${d}`] = dayHoursToInput(r.opening_hours as OpeningHours, d);
  for (const p of PRICE_FIELDS) values[`price_${p}`] = euros(r[PRICE_COLUMNS[p] as keyof Resource] as number | null);
  return values;
}

/** What the schema cannot know: the place exists here, the surrounding room is a room of the same place. */
async function checkInput(ctx: AppContext, input: ResourceInput, selfId?: number) {
  const errors: Record<string, string> = {};
  const places = await listThirdPlaceChoices(ctx);
  if (!places.some((p) => p.id === input.placeId)) errors.placeId = 'bookings.form.placeUnknown';
  if (input.parentId !== null) {
    const parent = isRowId(input.parentId) ? await repo.findResourceById(ctx.db, ctx.territory.id, input.parentId) : undefined;
    if (!parent || parent.id === selfId || parent.kind !== 'meeting_room' || parent.place_id !== input.placeId || parent.parent_id !== null) errors.parentId = 'bookings.form.parentInvalid';
    else if (input.kind !== 'machine') errors.parentId = 'bookings.form.parentMachinesOnly';
  }
  if (Object.keys(errors).length) throw new AppError('invalid', 'errors.invalid', errors);
}

const saving = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error, 'booking_resource_slug_key')) throw new AppError('invalid', 'errors.invalid', { slug: 'bookings.form.slugTaken' });
    return translateDbError(error, { booking_resource_period_excl: 'bookings.form.capacityOverlap' });
  }
};

export async function createResource(ctx: AppContext, actor: Actor, input: ResourceInput) {
  assertBookingStaff(actor);
  await checkInput(ctx, input);
  return saving(() =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await repo.insertResource(trx, ctx.territory.id, columnsOf(input), actor.userId, ctx.clock.now());
      await recordAudit(trx, ctx, actor, { action: 'booking_resource.created', subjectType: 'booking_resource', subjectId: String(row.id), data: { kind: input.kind } });
      return row;
    }),
  );
}

export async function updateResource(ctx: AppContext, actor: Actor, id: number, input: ResourceInput) {
  assertBookingStaff(actor);
  if (!isRowId(id)) throw notFound();
  await checkInput(ctx, input, id);
  await saving(() =>
    ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      const before = await repo.findResourceById(trx, ctx.territory.id, id);
      if (!before) throw notFound();
      if (input.kind !== 'meeting_room' && (await repo.listChildIds(trx, id)).length) throw new AppError('invalid', 'errors.invalid', { kind: 'bookings.form.hasMachines' });
      await repo.updateResource(trx, ctx.territory.id, id, columnsOf(input), actor.userId, now);
      if ((before.capacity === 1) !== (input.capacity === 1)) await repo.setExclusiveFromCapacity(trx, id, input.capacity === 1, now);
      await recordAudit(trx, ctx, actor, { action: 'booking_resource.updated', subjectType: 'booking_resource', subjectId: String(id), data: { kind: input.kind } });
    }),
  );
}

/** The back office's list: every resource, active or not, with its place. */
export async function listResourcesForStaff(ctx: AppContext, actor: Actor) {
  assertBookingStaff(actor);
  return repo.listResources(ctx.db, ctx.territory.id);
}

/** The form's choices: the territory's third places and the rooms a machine may sit in. */
export async function getResourceFormChoices(ctx: AppContext, actor: Actor) {
  assertBookingStaff(actor);
  const [places, resources] = await Promise.all([listThirdPlaceChoices(ctx), repo.listResources(ctx.db, ctx.territory.id)]);
  return { places, rooms: resources.filter((r) => r.kind === 'meeting_room' && r.parent_id === null).map((r) => ({ id: r.id, name: r.name, placeName: r.place_name })) };
}

/** One resource for the back office, with its closures still to come. */
export async function getResourceForStaff(ctx: AppContext, actor: Actor, id: number) {
  assertBookingStaff(actor);
  if (!isRowId(id)) throw notFound();
  const resource = await repo.findResourceById(ctx.db, ctx.territory.id, id);
  if (!resource) throw notFound();
  const closures = await repo.listUpcomingClosures(ctx.db, id, ctx.clock.now());
  return { resource, closures, values: resourceToFormValues(resource) };
}

/** Closes a resource for whole days (maintenance, an event, the summer break): no slot is offered then. */
export async function addClosure(ctx: AppContext, actor: Actor, resourceId: number, input: ClosureInput) {
  assertBookingStaff(actor);
  if (!isRowId(resourceId)) throw notFound();
  const resource = await repo.findResourceById(ctx.db, ctx.territory.id, resourceId);
  if (!resource) throw notFound();
  if (input.from < parisDay(ctx.clock.now())) throw new AppError('invalid', 'errors.invalid', { from: 'bookings.form.closurePast' });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertClosure(trx, {
      resourceId,
      start: parisTime(input.from, 0),
      end: parisTime(addDays(input.to, 1), 0),
      reason: input.reason,
      by: actor.userId,
      at: ctx.clock.now(),
    });
    await recordAudit(trx, ctx, actor, { action: 'booking_closure.created', subjectType: 'booking_resource', subjectId: String(resourceId), data: { from: input.from, to: input.to } });
    return row;
  });
}

export async function removeClosure(ctx: AppContext, actor: Actor, resourceId: number, closureId: number) {
  assertBookingStaff(actor);
  if (!isRowId(resourceId) || !isRowId(closureId)) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const res = await repo.deleteClosure(trx, resourceId, closureId);
    if (!Number(res.numDeletedRows)) throw notFound();
    await recordAudit(trx, ctx, actor, { action: 'booking_closure.removed', subjectType: 'booking_resource', subjectId: String(resourceId), data: { closure: closureId } });
  });
}

// ---------------------------------------------------------------------------------------------- for the reservations room

/** Active resources everyone may look at (who may book each is the reservations room's question). */
export const listActiveResources = (ctx: AppContext) => repo.listResources(ctx.db, ctx.territory.id, { activeOnly: true });

/** An active resource by its slug or id, or undefined (a forged id is simply not found). */
export async function findActiveResource(ctx: AppContext, key: { slug?: string; id?: number }, db: Executor = ctx.db) {
  let r: Resource | undefined;
  if (key.id !== undefined) r = isRowId(key.id) ? await repo.findResourceById(db, ctx.territory.id, key.id) : undefined;
  else if (key.slug !== undefined) r = /^[a-z0-9-]{1,80}$/.test(key.slug) ? await repo.findResourceBySlug(db, ctx.territory.id, key.slug) : undefined;
  return r?.active ? r : undefined;
}

export const listChildIds = (db: Executor, id: number) => repo.listChildIds(db, id);
/** Closures overlapping [from, to), read in the caller's transaction when it has one. */
export const listClosures = (db: Executor, resourceIds: readonly number[], from: Date, to: Date) => repo.listClosures(db, resourceIds, from, to);
