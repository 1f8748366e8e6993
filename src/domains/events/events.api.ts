/**
 * The agenda's JSON API under /api/v1: the published events (to come, or past with `past=true`) with the filters of
 * /agenda, one event, and, for a signed-in account, registering and cancelling. Errors are problem+json (the one
 * error handler). The online link of an event is never part of it: it is for confirmed registrants' pages and mails.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { listAgenda, listArchives, getEventPage } from './agenda/index.js';
import { placeText, placesById } from './events.common.js';
import type { EventRow } from './events.common.js';
import { AUDIENCES, ApiAgendaQuery, ApiRegistrationBody, PLACE_KINDS } from './events.schemas.js';
import { cancelRegistrationForEvent, contactOf, registerForEvent } from './registrations/index.js';
import type { ThirdPlaceChoice } from '../places/index.js';

const EventSummary = z.object({
  slug: z.string(),
  title: z.string(),
  type: z.string().meta({ description: 'Key of the event type (breakfast, workshop, apero, …).' }),
  status: z.enum(['published', 'cancelled']),
  startsAt: z.string().meta({ description: 'UTC instant (ISO 8601); shown in Europe/Paris on the site.' }),
  endsAt: z.string(),
  allDay: z.boolean(),
  audience: z.enum(AUDIENCES),
  place: z.object({ kind: z.enum(PLACE_KINDS), text: z.string().nullable(), insee: z.string().nullable(), thirdPlace: z.string().nullable().meta({ description: 'Slug of the third place, when held at one.' }) }),
  capacity: z.number().int(),
  seatsLeft: z.number().int().meta({ description: 'Capacity minus confirmed seats and seats offered to the waiting list.' }),
  waiting: z.number().int(),
  maxSeatsPerRegistration: z.number().int(),
  priceMemberCents: z.number().int().nullable(),
  pricePublicCents: z.number().int().nullable(),
  url: z.string(),
});
const EventList = z.object({ items: z.array(EventSummary) });
const EventDetail = EventSummary.extend({ description: z.string().meta({ description: 'Markdown, as shown (sanitised) on the page.' }), organiser: z.string().nullable(), attended: z.number().int().nullable().meta({ description: 'Past events: seats confirmed (registrations), the attendance shown in the archives.' }) });
const Registration = z.object({ id: z.string(), status: z.enum(['pending', 'applied', 'confirmed', 'waiting', 'offered', 'declined']), created: z.boolean(), position: z.number().int().nullable() });
const SlugParams = z.object({ slug: z.string() });

const summary = (e: EventRow, places: ReadonlyMap<number, ThirdPlaceChoice>): z.infer<typeof EventSummary> => ({
  slug: e.slug,
  title: e.title,
  type: e.type_key,
  status: e.status as 'published' | 'cancelled',
  startsAt: e.starts_at.toISOString(),
  endsAt: e.ends_at.toISOString(),
  allDay: e.all_day,
  audience: e.audience,
  place: { kind: e.place_kind, text: placeText(e, places), insee: e.insee, thirdPlace: e.third_place_id ? (places.get(e.third_place_id)?.slug ?? null) : null },
  capacity: e.capacity,
  seatsLeft: Math.max(0, e.capacity - e.taken),
  waiting: e.waiting,
  maxSeatsPerRegistration: e.max_seats,
  priceMemberCents: e.price_member_cents,
  pricePublicCents: e.price_public_cents,
  url: `/agenda/${e.slug}`,
});

export async function eventsApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/agenda',
    { config: { openapi: { summary: 'Published events to come (or past ones with past=true), with the filters of /agenda', tags: ['events'], query: ApiAgendaQuery, response: EventList } } },
    async (request) => {
      const q = ApiAgendaQuery.parse(request.query ?? {});
      if (q.past) {
        const { events, places } = await listArchives(ctx);
        const byId = placesById(places);
        return EventList.parse({ items: events.filter((e) => (!q.type || e.type_key === q.type) && (!q.audience || e.audience === q.audience)).map((e) => summary(e, byId)) });
      }
      const data = await listAgenda(ctx, { vue: 'liste', type: q.type, lieu: q.place, commune: q.commune, public: q.audience });
      return EventList.parse({ items: data.events.map((e) => summary(e, placesById(data.places))) });
    },
  );

  api.get('/agenda/:slug', { config: { openapi: { summary: 'One published event', tags: ['events'], params: SlugParams, response: EventDetail } } }, async (request) => {
    const page = await getEventPage(ctx, { ...request.actor, roles: new Set() }, (request.params as { slug: string }).slug);
    const e = page.event;
    return EventDetail.parse({ ...summary(e, page.places), description: e.description_md, organiser: e.organiser, attended: page.past ? e.attended : null });
  });

  api.post(
    '/agenda/:slug/inscription',
    {
      config: {
        openapi: { summary: 'Registers the signed-in account (a seat, or the waiting list when full); registering twice returns the first registration. Session cookie and X-CSRF-Token header', tags: ['events'], params: SlugParams, response: Registration, auth: true },
      },
    },
    async (request, reply) => {
      const body = ApiRegistrationBody.safeParse(request.body ?? {});
      if (!body.success) throw new AppError('invalid', 'events.register.seatsInvalid', { seats: 'events.register.seatsInvalid' });
      const waitlist = typeof request.query === 'object' && (request.query as Record<string, unknown>).waitlist === 'true';
      const outcome = await registerForEvent(ctx, request.actor, (request.params as { slug: string }).slug, { seats: body.data.seats, waitlist }, contactOf(request));
      reply.code(outcome.created ? 201 : 200);
      return Registration.parse({ id: outcome.registrationId, status: outcome.status, created: outcome.created, position: outcome.position ?? null });
    },
  );

  api.delete(
    '/agenda/:slug/inscription',
    { config: { openapi: { summary: 'Cancels the signed-in account’s registration; its seats go to the waiting list. Session cookie and X-CSRF-Token header', tags: ['events'], params: SlugParams, auth: true } } },
    async (request, reply) => {
      await cancelRegistrationForEvent(ctx, request.actor, (request.params as { slug: string }).slug);
      return reply.code(204).send();
    },
  );
}
