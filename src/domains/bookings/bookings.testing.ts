/** Test helpers for bookings (imported by tests only): a third place and resources with usual terms. */
import type { Actor, AppContext } from '../../context.js';
import { createResource, findActiveResource, type ResourceInput } from './resources/index.js';

/** A third place of the test world (a row of the places domain's table, as its seed writes them). */
export async function addThirdPlace(ctx: AppContext, slug = 'tiers-lieu-test') {
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto('third_place')
    .values({ territory_id: ctx.territory.id, slug, name: `Tiers-lieu ${slug}`, commune_insee: '32013', commune_name: 'Auch', lat: 43.64, lon: 0.58, status: 'published', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const weekdays = { '1': [{ from: '09:00', to: '18:00' }], '2': [{ from: '09:00', to: '18:00' }], '3': [{ from: '09:00', to: '18:00' }], '4': [{ from: '09:00', to: '18:00' }], '5': [{ from: '09:00', to: '18:00' }] };

/** A meeting room open 9:00–18:00 on weekdays, slots of 30 minutes, 1 to 4 hours, members only, 24 h to cancel. */
export const roomInput = (placeId: number, overrides: Partial<ResourceInput> = {}): ResourceInput => ({
  name: 'Salle test',
  slug: 'salle-test',
  kind: 'meeting_room',
  placeId,
  parentId: null,
  capacity: 1,
  description: 'Une salle',
  equipment: '',
  openingHours: weekdays,
  slotMinutes: 30,
  minMinutes: 60,
  maxMinutes: 240,
  memberHorizonDays: 90,
  visitorHorizonDays: 30,
  noticeMinutes: 0,
  cancelHours: 24,
  prices: { memberHour: 1000, memberHalfDay: null, memberDay: null, hour: 1500, halfDay: null, day: null },
  audience: 'members',
  requiresAuthorisation: false,
  active: true,
  ...overrides,
});

export async function makeResource(ctx: AppContext, staff: Actor, input: ResourceInput) {
  const { id } = await createResource(ctx, staff, input);
  return (await findActiveResource(ctx, { id }))!;
}

/** A published training event of the agenda (a row of the events domain's table, as its staff pages write them). */
export async function addTrainingEvent(ctx: AppContext, opts: { slug: string; startsAt: Date; placeId?: number; title?: string }) {
  const now = ctx.clock.now();
  let type = await ctx.db.selectFrom('event_type').select('id').where('territory_id', '=', ctx.territory.id).where('key', '=', 'training').executeTakeFirst();
  type ??= await ctx.db.insertInto('event_type').values({ territory_id: ctx.territory.id, key: 'training', label_fr: 'Formation', label_en: 'Training' }).returning('id').executeTakeFirstOrThrow();
  return ctx.db
    .insertInto('event')
    .values({
      territory_id: ctx.territory.id,
      slug: opts.slug,
      title: opts.title ?? 'Formation découpe laser',
      type_id: type.id,
      place_kind: opts.placeId ? 'third_place' : 'commune',
      third_place_id: opts.placeId ?? null,
      insee: opts.placeId ? null : '32013',
      address: null,
      online_url: null,
      starts_at: opts.startsAt,
      ends_at: new Date(opts.startsAt.getTime() + 3 * 3_600_000),
      audience: 'members',
      capacity: 6,
      registration_opens_at: null,
      registration_closes_at: null,
      price_member_cents: null,
      price_public_cents: null,
      organiser: null,
      status: 'published',
      published_at: now,
      cancelled_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
}

/** A confirmed registration of an account to an event (as the events domain's registration writes it). */
export async function addConfirmedRegistration(ctx: AppContext, eventId: number, user: { id: string; email: string }, name = 'Personne inscrite') {
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('event_registration')
    .values({ territory_id: ctx.territory.id, event_id: eventId, user_id: user.id, email: user.email, name, seats: 1, status: 'confirmed', queue_position: null, offer_expires_at: null, created_at: now, confirmed_at: now, cancelled_at: null, updated_at: now })
    .execute();
}
