/**
 * The public agenda: published events to come (a list, or one month), each event's page, the archives with their
 * attendance, and the calendar feeds (the whole public agenda, one event, and a person's secret feed). Everybody
 * sees published events of every audience, so members know what is on; details that belong to registrants (the
 * online link) appear only for a confirmed registration.
 */
import type { Actor, AppContext } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { IMAGE_TYPE } from '../../../shared/images.js';
import { isUuid } from '../../../shared/input.js';
import { parisDay, parisTime } from '../../../shared/time.js';
import { listThirdPlaceChoices } from '../../places/index.js';
import { calendarOf, icsEventOf, placesById } from '../events.common.js';
import { audienceAllows, canManageEvents, isProposer } from '../events.policy.js';
import * as repo from '../events.repo.js';
import type { AgendaQuery } from '../events.schemas.js';

const notFound = () => new AppError('not_found', 'events.notFound');

function monthRange(month: string | undefined, now: Date) {
  const m = month ?? parisDay(now).slice(0, 7);
  const [y, mo] = m.split('-').map(Number);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  const prev = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
  return { month: m, prev, next, from: parisTime(`${m}-01`, 0), to: parisTime(`${next}-01`, 0) };
}

async function filtersOf(ctx: AppContext, q: { type?: string; lieu?: string; commune?: string; public?: repo.EventFilter['audience'] }) {
  const places = await listThirdPlaceChoices(ctx);
  const place = q.lieu ? places.find((p) => p.slug === q.lieu) : undefined;
  return {
    places,
    filter: {
      typeKey: q.type,
      // An unknown place finds nothing rather than everything.
      thirdPlaceId: q.lieu ? (place?.id ?? -1) : undefined,
      audience: q.public,
    },
    /** Events in a commune: those placed there, and those at one of its third places. */
    placesInCommune: q.commune ? places.filter((p) => p.communeInsee === q.commune).map((p) => p.id) : [],
  };
}

export async function listAgenda(ctx: AppContext, query: AgendaQuery) {
  const now = ctx.clock.now();
  const { places, filter, placesInCommune } = await filtersOf(ctx, query);
  const range = query.vue === 'mois' ? monthRange(query.mois, now) : null;
  const f: repo.EventFilter = { statuses: ['published', 'cancelled'], ...filter, ...(range ? { from: range.from, to: range.to } : { upcomingAt: now }) };
  const [events, types, communes] = await Promise.all([
    query.commune ? repo.listEventsAtPlaces(ctx.db, ctx.territory.id, f, placesInCommune, query.commune) : repo.listEvents(ctx.db, ctx.territory.id, f),
    repo.listTypes(ctx.db, ctx.territory.id),
    repo.listEventCommunes(ctx.db, ctx.territory.id, now, query.commune),
  ]);
  // Communes offered as a filter: those where something is on, by name.
  return { events, types, places, communes, range, today: parisDay(now), now };
}
export type Agenda = Awaited<ReturnType<typeof listAgenda>>;

export async function listArchives(ctx: AppContext) {
  const now = ctx.clock.now();
  const [events, places] = await Promise.all([repo.listEvents(ctx.db, ctx.territory.id, { statuses: ['published', 'cancelled'], pastAt: now, limit: 200 }), listThirdPlaceChoices(ctx)]);
  return { events, places };
}

/**
 * An event's page. Drafts exist only for the team. For a signed-in person: their registration, whether the audience
 * includes them, and the online link once their seat is confirmed.
 */
export async function getEventPage(ctx: AppContext, actor: Actor, slug: string) {
  if (!/^[a-z0-9-]{1,100}$/.test(slug)) throw notFound();
  const event = await repo.findEventBySlug(ctx.db, actor.territoryId, slug);
  if (!event || (event.status === 'draft' && !canManageEvents(actor))) throw notFound();
  const [places, mine] = await Promise.all([
    listThirdPlaceChoices(ctx),
    actor.userId ? repo.findLiveRegistration(ctx.db, event.id, { userId: actor.userId }) : Promise.resolve(undefined),
  ]);
  const now = ctx.clock.now();
  const closes = event.registration_closes_at ?? event.starts_at;
  const registration = {
    open: event.status === 'published' && (!event.registration_opens_at || event.registration_opens_at <= now) && closes > now,
    notYet: !!event.registration_opens_at && event.registration_opens_at > now,
    allowed: audienceAllows(actor, event.audience),
    left: Math.max(0, event.capacity - event.taken),
  };
  const showLink = event.place_kind === 'online' && (canManageEvents(actor) || mine?.status === 'confirmed');
  return { event, places: placesById(places), mine: mine ?? null, registration, showLink, past: event.ends_at <= now, now };
}
export type EventPage = Awaited<ReturnType<typeof getEventPage>>;

// ---------------------------------------------------------------------------------------------- feeds

/** `/agenda.ics`: the public events to come and of the last month (calendars keep what they already showed). */
export async function publicFeed(ctx: AppContext) {
  const since = new Date(ctx.clock.now().getTime() - 31 * 24 * 3600 * 1000);
  const [events, places] = await Promise.all([repo.listEvents(ctx.db, ctx.territory.id, { statuses: ['published', 'cancelled'], upcomingAt: since, audience: 'public' }), listThirdPlaceChoices(ctx)]);
  const byId = placesById(places);
  return calendarOf(ctx, `Agenda · ${ctx.territory.programmeName}`, events.map((e) => icsEventOf(ctx, e, byId)));
}

/** `/agenda/:slug.ics`: one published event (the online link is never in it: anyone may fetch it). */
export async function eventFeed(ctx: AppContext, slug: string) {
  if (!/^[a-z0-9-]{1,100}$/.test(slug)) throw notFound();
  const event = await repo.findEventBySlug(ctx.db, ctx.territory.id, slug);
  if (!event || event.status === 'draft') throw notFound();
  const places = placesById(await listThirdPlaceChoices(ctx));
  return calendarOf(ctx, event.title, [icsEventOf(ctx, event, places)]);
}

/**
 * A person's feed: the events they hold a seat at (with the online link), and the published events to come whose
 * audience includes them (public ones and, for a member, members' ones).
 */
export async function personalFeed(ctx: AppContext, owner: { userId: string; roles: ReadonlySet<Role> }) {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 31 * 24 * 3600 * 1000);
  const [mine, upcoming, places] = await Promise.all([
    repo.listRegistrationsOfUser(ctx.db, ctx.territory.id, owner.userId),
    repo.listEvents(ctx.db, ctx.territory.id, { statuses: ['published', 'cancelled'], upcomingAt: since }),
    listThirdPlaceChoices(ctx),
  ]);
  const byId = placesById(places);
  const confirmed = new Set(mine.filter((r) => r.status === 'confirmed').map((r) => r.event_id));
  const events = upcoming.filter((e) => confirmed.has(e.id) || audienceAllows(owner, e.audience));
  return calendarOf(ctx, `Mon agenda · ${ctx.territory.programmeName}`, events.map((e) => icsEventOf(ctx, e, byId, { withLink: confirmed.has(e.id) })));
}

/**
 * A cover's bytes: an event's page shows it to everyone once published; a draft's only to the team and to the member
 * who proposed it. An unknown id and a draft's cover for anyone else are "not found" alike.
 */
export async function openEventCover(ctx: AppContext, actor: Actor, file: string) {
  const id = /^([0-9a-f-]{36})\.webp$/.exec(file)?.[1];
  const cover = id && isUuid(id) ? await repo.findCover(ctx.db, actor.territoryId, id) : undefined;
  if (!cover || (cover.status === 'draft' && !canManageEvents(actor) && !isProposer(actor, cover))) throw new AppError('not_found', 'events.notFound');
  return { bytes: cover.image, type: IMAGE_TYPE, cache: cover.status === 'draft' ? 'private' : 'public' };
}
