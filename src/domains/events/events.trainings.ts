/**
 * Training sessions, as other domains see them (bookings: a machine's authorisation follows a training): the
 * published events of type `training`, and one of them with the people confirmed on it. Read-only, except the demo's.
 */
import type { AppContext } from '../../context.js';
import * as eventsRepo from './events.repo.js';
import { seedEventTypes } from './staff/index.js';

/** The published or past events of type `training`, soonest first, from an instant on (ended after it), or those of `ids`. */
export async function listTrainingEvents(ctx: AppContext, opts: { from?: Date; ids?: readonly number[] } = {}) {
  if (opts.ids && !opts.ids.length) return [];
  const rows = await eventsRepo.listEvents(ctx.db, ctx.territory.id, { statuses: ['published'], typeKey: 'training', from: opts.from, limit: 200 });
  const wanted = opts.ids ? new Set(opts.ids) : null;
  return rows.filter((e) => !wanted || wanted.has(e.id)).map((e) => ({ id: e.id, slug: e.slug, title: e.title, startsAt: e.starts_at, endsAt: e.ends_at }));
}

/** Demo content only: a published training event at a third place, for another domain's demo (a machine's training). */
export async function addDemoTrainingEvent(ctx: AppContext, e: { slug: string; title: string; description: string; thirdPlaceId: number; startsAt: Date; endsAt: Date; capacity: number; by: string | null }) {
  const now = ctx.clock.now();
  const existing = await eventsRepo.findEventBySlug(ctx.db, ctx.territory.id, e.slug);
  if (existing) return existing.id;
  await seedEventTypes(ctx.db, ctx.territory.id);
  const type = (await eventsRepo.listTypes(ctx.db, ctx.territory.id)).find((t) => t.key === 'training');
  if (!type) return null;
  const row = await eventsRepo.insertEvent(ctx.db, {
    territoryId: ctx.territory.id, slug: e.slug, title: e.title, description_md: e.description, type_id: type.id, place_kind: 'third_place', registration_mode: 'first_come', third_place_id: e.thirdPlaceId,
    insee: null, address: null, online_url: null, starts_at: e.startsAt, ends_at: e.endsAt, all_day: false, audience: 'members', capacity: e.capacity, max_seats: 1,
    registration_opens_at: null, registration_closes_at: null, price_member_cents: null, price_public_cents: null, organiser: null, claim_window_hours: 48, by: e.by, now,
  });
  await eventsRepo.setEventStatus(ctx.db, row.id, 'published', now);
  ctx.pageCache.clear();
  return row.id;
}

/** One training event (published or past) with the people whose registration is confirmed. */
export async function findTrainingEventWithRegistrants(ctx: AppContext, eventId: number) {
  const event = await eventsRepo.findEventById(ctx.db, ctx.territory.id, eventId);
  if (!event || event.type_key !== 'training' || event.status === 'draft') return null;
  const registrations = await eventsRepo.listRegistrationsOfEvent(ctx.db, eventId);
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    startsAt: event.starts_at,
    endsAt: event.ends_at,
    registrants: registrations.filter((r) => r.status === 'confirmed').map((r) => ({ userId: r.user_id, name: r.name, email: r.email })),
  };
}
