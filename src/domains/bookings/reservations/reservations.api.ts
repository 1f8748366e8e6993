/**
 * JSON API under /api/v1: the resources, a resource's availability over a date range (the same function as the
 * grid), and, for a signed-in person, booking and cancelling. Booking and cancelling take JSON only (a form from
 * another site cannot send it without the browser asking first), so they need no form token. Errors are
 * `application/problem+json`; a taken slot carries the nearest free ones in `alternatives`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { parseForm } from '../../../web/forms.js';
import { tOf } from '../../../web/render.js';
import { RESOURCE_KINDS, AUDIENCE_RULES } from '../resources/index.js';
import { AvailabilityQuery, BookingIdParams, bookingIdOf, CreateBookingBody, ResourceIdParams } from './reservations.schemas.js';
import * as service from './reservations.service.js';

const SLOT_STATES = ['free', 'full', 'closed', 'holiday', 'past', 'notice', 'beyond'] as const;

const cents = z.number().int().nullable();
const ResourceSummary = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  place: z.object({ slug: z.string(), name: z.string() }),
  capacity: z.number().int().meta({ description: 'How many people at once (desks of an open space); 1 for a room, the studio or a machine.' }),
  insideResourceId: z.number().int().nullable().meta({ description: 'The room a machine sits in: booking the room takes the machine.' }),
  description: z.string(),
  equipment: z.string(),
  slotMinutes: z.number().int(),
  minMinutes: z.number().int(),
  maxMinutes: z.number().int(),
  cancelHours: z.number().int().meta({ description: 'A booking may be cancelled until this many hours before it starts.' }),
  whoMayBook: z.enum(AUDIENCE_RULES),
  requiresAuthorisation: z.boolean(),
  pricesCents: z
    .object({ members: z.object({ hour: cents, halfDay: cents, day: cents }), others: z.object({ hour: cents, halfDay: cents, day: cents }) })
    .meta({ description: 'Displayed prices in euro cents (no online payment); null when not given.' }),
  url: z.string(),
});
const ResourceList = z.object({ items: z.array(ResourceSummary) });

const Availability = z.object({
  resourceId: z.number().int(),
  days: z.array(
    z.object({
      day: z.string(),
      holiday: z.string().nullable(),
      slots: z.array(z.object({ start: z.string(), end: z.string(), state: z.enum(SLOT_STATES), remaining: z.number().int() })),
    }),
  ),
});

const Booking = z.object({ id: z.uuid(), status: z.enum(['held', 'confirmed', 'cancelled']), start: z.string().optional(), end: z.string().optional() });

const idParam = (request: FastifyRequest) => {
  const raw = (request.params as { id: string }).id;
  return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
};

function requireJson(request: FastifyRequest) {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw new AppError('invalid', 'bookings.api.jsonOnly');
}

export async function reservationsApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/reservations/ressources',
    { config: { openapi: { summary: 'Bookable resources of the third places (desks, rooms, studio, machines) and their terms', tags: ['bookings'], response: ResourceList } } },
    async () => {
      const rows = await service.listResourcesForBooking(ctx, { userId: null, territoryId: ctx.territory.id, roles: new Set() });
      return ResourceList.parse({
        items: rows.map(({ resource: r }) => ({
          id: r.id,
          slug: r.slug,
          name: r.name,
          kind: r.kind,
          place: { slug: r.place_slug, name: r.place_name },
          capacity: r.capacity,
          insideResourceId: r.parent_id,
          description: r.description,
          equipment: r.equipment,
          slotMinutes: r.slot_minutes,
          minMinutes: r.min_minutes,
          maxMinutes: r.max_minutes,
          cancelHours: r.cancel_hours,
          whoMayBook: r.audience,
          requiresAuthorisation: r.requires_authorisation,
          pricesCents: {
            members: { hour: r.member_hour_cents, halfDay: r.member_half_day_cents, day: r.member_day_cents },
            others: { hour: r.hour_cents, halfDay: r.half_day_cents, day: r.day_cents },
          },
          url: `/reservations/${r.slug}`,
        })),
      });
    },
  );

  api.get(
    '/reservations/ressources/:id/disponibilites',
    {
      config: {
        openapi: {
          summary: 'Slots of one resource from one day to another (at most 31 days), with their state, for the signed-in person’s rules or a visitor’s',
          tags: ['bookings'],
          params: ResourceIdParams,
          query: AvailabilityQuery,
          response: Availability,
        },
      },
    },
    async (request) => {
      const q = parseForm(AvailabilityQuery, request.query ?? {});
      if (!q.ok) throw new AppError('invalid', 'errors.invalid', q.errors);
      const { resource, days } = await service.getAvailability(ctx, request.actor, idParam(request), q.data.from, q.data.to);
      return Availability.parse({
        resourceId: resource.id,
        days: days.map((d) => ({
          day: d.day,
          holiday: d.holiday ?? null,
          slots: d.slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString(), state: s.state, remaining: s.remaining })),
        })),
      });
    },
  );

  api.post(
    '/reservations',
    { config: { csrf: false, openapi: { summary: 'Books a slot for the signed-in person (JSON body: resourceId, start, end, note)', tags: ['bookings'], auth: true, response: Booking } } },
    async (request, reply) => {
      if (!request.actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
      requireJson(request);
      const body = parseForm(CreateBookingBody, request.body);
      if (!body.ok) throw new AppError('invalid', 'errors.invalid', body.errors);
      try {
        const b = await service.bookByInstants(ctx, request.actor, body.data.resourceId, new Date(body.data.start), new Date(body.data.end), body.data.note?.trim() ?? '');
        return reply.code(201).send(Booking.parse({ id: b.id, status: b.status, start: b.start.toISOString(), end: b.end.toISOString() }));
      } catch (error) {
        const alternatives = service.alternativesOf(error);
        if (!(error instanceof AppError) || error.message !== 'bookings.errors.taken') throw error;
        return reply
          .code(409)
          .type('application/problem+json; charset=utf-8')
          .send({
            type: 'about:blank',
            title: tOf(request)('bookings.errors.taken'),
            status: 409,
            code: 'conflict',
            instance: request.url,
            alternatives: alternatives.map((a) => ({ start: a.start.toISOString(), end: a.end.toISOString() })),
          });
      }
    },
  );

  api.post(
    '/reservations/:id/annulation',
    { config: { csrf: false, openapi: { summary: 'Cancels one of the signed-in person’s bookings, until its cancellation deadline', tags: ['bookings'], auth: true, params: BookingIdParams, response: Booking } } },
    async (request) => {
      if (!request.actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
      requireJson(request);
      const { id } = await service.cancelBooking(ctx, request.actor, bookingIdOf((request.params as { id: string }).id));
      return Booking.parse({ id, status: 'cancelled' });
    },
  );
}
