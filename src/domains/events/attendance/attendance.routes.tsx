/**
 * The door list (`/admin/agenda/:id/porte`: a GET search, POST forms to tick and to add a walk-in, no JavaScript),
 * the page a check-in QR code opens (`/agenda/accueil/:id/:token`) and the attendance figures
 * (`/admin/agenda/chiffres`, `.csv`). Each handler parses, calls one service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { AttendanceForm, DoorQuery, FiguresQuery, WalkInForm } from './attendance.schemas.js';
import * as service from './attendance.service.js';
import { CheckinView, DoorView, FiguresView } from './attendance.views.js';

export async function attendanceRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };
  const idOf = (request: FastifyRequest) => {
    const raw = (request.params as { id: string }).id;
    return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  };
  const searchOf = (request: FastifyRequest) => DoorQuery.parse(request.query ?? {}).q;
  const doorPath = (id: number, q?: string) => `/admin/agenda/${id}/porte${q ? `?q=${encodeURIComponent(q)}` : ''}`;

  const door = async (request: FastifyRequest, reply: FastifyReply, q?: string, state: { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> } = {}, status = 200) =>
    renderPage(ctx, request, reply, <DoorView data={await service.getDoorList(ctx, request.actor, idOf(request), q)} values={state.values} errors={state.errors} />, status);

  app.get('/admin/agenda/:id/porte', guard, (request, reply) => door(request, reply, searchOf(request)));

  app.post('/admin/agenda/:id/porte/sur-place', guard, async (request, reply) => {
    const parsed = parseForm(WalkInForm, request.body);
    if (!parsed.ok) return door(request, reply, undefined, { values: parsed.values, errors: parsed.errors }, 422);
    try {
      await service.addWalkIn(ctx, request.actor, idOf(request), parsed.data);
    } catch (error) {
      return door(request, reply, undefined, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'events.door.flash.walkIn', { name: parsed.data.name });
    return reply.redirect(doorPath(idOf(request)), 303);
  });

  app.post('/admin/agenda/:id/porte/:registration', guard, async (request, reply) => {
    const { registration } = request.params as { registration: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const q = DoorQuery.parse({ q: body.q }).q;
    const parsed = parseForm(AttendanceForm, request.body);
    if (!parsed.ok) return door(request, reply, q, {}, 422);
    await service.markAttendance(ctx, request.actor, idOf(request), registration, parsed.data);
    setFlash(reply, parsed.data === 'present' ? 'events.door.flash.present' : 'events.door.flash.changed');
    return reply.redirect(`${doorPath(idOf(request), q)}#r-${registration}`, 303);
  });

  // The QR code's page: the team ticks the person present; anyone else sees a harmless page.
  const checkinParams = (request: FastifyRequest) => request.params as { id: string; token: string };
  app.get('/agenda/accueil/:id/:token', async (request, reply) => {
    const { id, token } = checkinParams(request);
    const page = await service.getCheckin(ctx, request.actor, id, token);
    reply.header('cache-control', 'no-store');
    return renderPage(ctx, request, reply, <CheckinView page={page} action={`/agenda/accueil/${id}/${token}`} />);
  });
  app.post('/agenda/accueil/:id/:token', guard, async (request, reply) => {
    const { id, token } = checkinParams(request);
    await service.checkInByToken(ctx, request.actor, id, token);
    setFlash(reply, 'events.door.flash.present');
    return reply.redirect(`/agenda/accueil/${id}/${token}`, 303);
  });

  app.get('/admin/agenda/chiffres', guard, async (request, reply) => {
    const query = FiguresQuery.parse(request.query ?? {});
    return renderPage(ctx, request, reply, <FiguresView figures={await service.getAttendanceFigures(ctx, request.actor, query)} query={{ de: query.de, a: query.a }} />);
  });
  app.get('/admin/agenda/chiffres.csv', guard, async (request, reply) => {
    const file = await service.attendanceCsv(ctx, request.actor, FiguresQuery.parse(request.query ?? {}));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).header('cache-control', 'no-store').send(file.body);
  });
}
