/**
 * The space manager's presence list (/admin/reservations/presence) with its marks, and the month's occupancy
 * (/admin/reservations/occupation, its CSV). Each handler parses, calls one service function, renders, redirects
 * or sends the file.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { DayQuery, MonthQuery, PresenceForm } from './presence.schemas.js';
import * as service from './presence.service.js';
import { DayView, OccupancyView } from './presence.views.js';

const idOf = (request: FastifyRequest) => String((request.params as { id?: string }).id ?? '');

export async function presenceRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };

  app.get('/admin/reservations/presence', guard, async (request, reply) => {
    const data = await service.getDayList(ctx, request.actor, DayQuery.parse(request.query ?? {}).day);
    return renderPage(ctx, request, reply, <DayView data={data} />);
  });

  app.post('/admin/reservations/presence/:id', guard, async (request, reply) => {
    const form = PresenceForm.safeParse(request.body ?? {});
    try {
      const { day } = await service.markPresence(ctx, request.actor, idOf(request), form.success ? form.data.presence : null);
      setFlash(reply, `bookings.presence.flash.${form.data!.presence}`);
      return reply.redirect(`/admin/reservations/presence?date=${day}`, 303);
    } catch (error) {
      // A mark refused (not yet, or an unknown choice): the day's list again, with the reason on top.
      if (!(error instanceof AppError) || (error.code !== 'conflict' && error.code !== 'invalid')) throw error;
      const data = await service.getDayList(ctx, request.actor, form.success ? form.data.date : undefined);
      return renderPage(ctx, request, reply, <DayView data={data} errors={fieldErrorsOf(error)} />, statusOf(error));
    }
  });

  app.get('/admin/reservations/occupation', guard, async (request, reply) => {
    const data = await service.getOccupancy(ctx, request.actor, MonthQuery.parse(request.query ?? {}).month);
    return renderPage(ctx, request, reply, <OccupancyView data={data} />);
  });

  app.get('/admin/reservations/occupation.csv', guard, async (request, reply) => {
    const file = await service.exportOccupancyCsv(ctx, request.actor, MonthQuery.parse(request.query ?? {}).month, request.locale);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .type('text/csv; charset=utf-8')
      .send(file.body);
  });
}
