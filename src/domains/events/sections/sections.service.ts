/**
 * The events other pages show: the next public ones (home page), those held in a commune (village page), those
 * held at a third place (its page). Published events still running or to come, soonest first.
 */
import type { AppContext } from '../../../context.js';
import { listThirdPlaceChoices } from '../../places/index.js';
import { placesById } from '../events.common.js';
import * as repo from '../events.repo.js';

const LIMIT = 4;

async function withPlaces(ctx: AppContext, events: repo.EventRow[], places?: Awaited<ReturnType<typeof listThirdPlaceChoices>>) {
  if (events.length === 0) return null;
  return { events, places: placesById(places ?? (await listThirdPlaceChoices(ctx))) };
}
export type SectionEvents = NonNullable<Awaited<ReturnType<typeof withPlaces>>>;

/** The next events open to everybody (the home page is the same for every visitor). */
export async function nextPublicEvents(ctx: AppContext) {
  const events = await repo.listEvents(ctx.db, ctx.territory.id, { statuses: ['published'], upcomingAt: ctx.clock.now(), audience: 'public', limit: LIMIT });
  return withPlaces(ctx, events);
}

/** The next events in a commune: placed there, or at one of its third places. */
export async function eventsInCommune(ctx: AppContext, insee: string) {
  const places = await listThirdPlaceChoices(ctx);
  const here = places.filter((p) => p.communeInsee === insee).map((p) => p.id);
  const events = await repo.listEventsAtPlaces(ctx.db, ctx.territory.id, { statuses: ['published'], upcomingAt: ctx.clock.now(), limit: LIMIT }, here, insee);
  return withPlaces(ctx, events, places);
}

/** The next events at a third place. */
export async function eventsAtPlace(ctx: AppContext, thirdPlaceId: number) {
  const events = await repo.listEvents(ctx.db, ctx.territory.id, { statuses: ['published'], upcomingAt: ctx.clock.now(), thirdPlaceId, limit: LIMIT });
  return withPlaces(ctx, events);
}
