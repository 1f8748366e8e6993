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
