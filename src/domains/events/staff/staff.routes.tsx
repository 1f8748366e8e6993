/**
 * The team's agenda under /admin/agenda: the list, the form (new, edit), an event's page with its registrants and
 * waiting list, and the actions (duplicate, publish, cancel, mail everyone, CSV, reorder, confirm by hand), plus the
 * list of types. Each handler parses, calls one service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { parisDay } from '../../../shared/time.js';
import { DecisionForm, EventForm, MessageForm, SeriesEditForm, TypeForm } from '../events.schemas.js';
import * as service from './staff.service.js';
import { StaffEventFormView, StaffEventsView, StaffEventView, StaffMessageView, StaffTypesView, valuesOfEvent, type CoverFormState } from './staff.views.js';
import { coverRoutes } from './cover.routes.js';
import { StaffSeriesView } from './series.views.js';

type FormState = { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> };

export async function staffRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };
  const idOf = (request: FastifyRequest) => {
    const raw = (request.params as { id: string }).id;
    return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  };
  const back = (reply: FastifyReply, id: number, flash: string, params?: Record<string, string | number>) => {
    setFlash(reply, flash, params);
    return reply.redirect(`/admin/agenda/${id}`, 303);
  };

  app.get('/admin/agenda', guard, async (request, reply) => renderPage(ctx, request, reply, <StaffEventsView {...await service.listEventsForStaff(ctx, request.actor)} />));

  const form = async (request: FastifyRequest, reply: FastifyReply, id: number | undefined, state: FormState = {}, status = 200) => {
    const data = await service.getEventFormData(ctx, request.actor);
    let values = state.values;
    if (!values && id !== undefined) values = valuesOfEvent((await service.getEventForStaff(ctx, request.actor, id)).event);
    const action = id === undefined ? '/admin/agenda/nouveau' : `/admin/agenda/${id}/modifier`;
    return renderPage(ctx, request, reply, <StaffEventFormView action={action} data={data} values={values ?? { public: 'public', placesMax: '1', delaiReponse: '48' }} errors={state.errors} editing={id !== undefined} />, status);
  };

  const submit = async (request: FastifyRequest, reply: FastifyReply, id: number | undefined) => {
    const parsed = parseForm(EventForm, request.body);
    if (!parsed.ok) return form(request, reply, id, { values: parsed.values, errors: parsed.errors }, 422);
    try {
      if (id === undefined) {
        const row = await service.createEvent(ctx, request.actor, parsed.data);
        if (row.seriesId) {
          setFlash(reply, 'events.series.flash.created');
          return reply.redirect(`/admin/agenda/series/${row.seriesId}`, 303);
        }
        return back(reply, row.id, 'events.flash.saved');
      }
      const { told } = await service.updateEvent(ctx, request.actor, id, parsed.data);
      return back(reply, id, told ? 'events.flash.savedTold' : 'events.flash.saved', { count: told });
    } catch (error) {
      return form(request, reply, id, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
  };

  app.get('/admin/agenda/nouveau', guard, (request, reply) => form(request, reply, undefined));
  app.post('/admin/agenda/nouveau', guard, (request, reply) => submit(request, reply, undefined));

  // Series: the occurrences, publishing them together, moving the horizon, changing them from a day onward.
  const seriesPath = (request: FastifyRequest) => `/admin/agenda/series/${idOf(request)}`;
  app.get('/admin/agenda/series/:id', guard, async (request, reply) => renderPage(ctx, request, reply, <StaffSeriesView data={await service.getSeriesForStaff(ctx, request.actor, idOf(request))} />));
  app.post('/admin/agenda/series/:id/publier', guard, async (request, reply) => {
    const { count } = await service.publishSeries(ctx, request.actor, idOf(request));
    setFlash(reply, 'events.series.flash.published', { count });
    return reply.redirect(seriesPath(request), 303);
  });
  app.post('/admin/agenda/series/:id/prolonger', guard, async (request, reply) => {
    const { made } = await service.extendSeriesNow(ctx, request.actor, idOf(request));
    setFlash(reply, 'events.series.flash.extended', { count: made });
    return reply.redirect(seriesPath(request), 303);
  });
  const seriesForm = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, status = 200) => {
    const data = await service.getEventFormData(ctx, request.actor);
    const series = await service.getSeriesForStaff(ctx, request.actor, idOf(request));
    const next = series.occurrences.find((o) => o.status !== 'cancelled' && o.starts_at > series.now) ?? series.occurrences.at(-1);
    const values = state.values ?? (next ? { ...valuesOfEvent(next), aPartirDu: parisDay(next.starts_at) } : {});
    return renderPage(ctx, request, reply, <StaffEventFormView action={`${seriesPath(request)}/modifier`} data={data} values={values} errors={state.errors} editing seriesFrom />, status);
  };
  app.get('/admin/agenda/series/:id/modifier', guard, (request, reply) => seriesForm(request, reply));
  app.post('/admin/agenda/series/:id/modifier', guard, async (request, reply) => {
    const parsed = parseForm(SeriesEditForm, request.body);
    if (!parsed.ok) return seriesForm(request, reply, { values: parsed.values, errors: parsed.errors }, 422);
    try {
      const { count, told } = await service.updateSeriesFrom(ctx, request.actor, idOf(request), parsed.data);
      setFlash(reply, 'events.series.flash.updated', { count, told });
      return reply.redirect(seriesPath(request), 303);
    } catch (error) {
      return seriesForm(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
  });

  app.get('/admin/agenda/types', guard, async (request, reply) => renderPage(ctx, request, reply, <StaffTypesView types={await service.listTypesForStaff(ctx, request.actor)} />));
  app.post('/admin/agenda/types', guard, async (request, reply) => {
    const parsed = parseForm(TypeForm, request.body);
    if (!parsed.ok) return renderPage(ctx, request, reply, <StaffTypesView types={await service.listTypesForStaff(ctx, request.actor)} values={parsed.values} errors={parsed.errors} />, 422);
    await service.saveType(ctx, request.actor, parsed.data);
    setFlash(reply, 'events.flash.typeSaved');
    return reply.redirect('/admin/agenda/types', 303);
  });
  app.post('/admin/agenda/types/:key/masquer', guard, async (request, reply) => {
    const { key } = request.params as { key: string };
    const hidden = (request.body as Record<string, unknown> | undefined)?.masquer !== '0';
    await service.setTypeHidden(ctx, request.actor, key, hidden);
    setFlash(reply, 'events.flash.typeSaved');
    return reply.redirect('/admin/agenda/types', 303);
  });

  const eventPage = async (request: FastifyRequest, reply: FastifyReply, cover: Omit<CoverFormState, 'maxBytes'> = {}, status = 200) =>
    renderPage(ctx, request, reply, <StaffEventView data={await service.getEventForStaff(ctx, request.actor, idOf(request))} cover={{ maxBytes: ctx.config.documentMaxBytes, ...cover }} />, status);
  app.get('/admin/agenda/:id', guard, (request, reply) => eventPage(request, reply));

  await coverRoutes(app, ctx, { path: '/admin/agenda/:id', idOf, render: eventPage, back });
  app.get('/admin/agenda/:id/modifier', guard, (request, reply) => form(request, reply, idOf(request)));
  app.post('/admin/agenda/:id/modifier', guard, (request, reply) => submit(request, reply, idOf(request)));

  app.post('/admin/agenda/:id/dupliquer', guard, async (request, reply) => {
    const row = await service.duplicateEvent(ctx, request.actor, idOf(request));
    setFlash(reply, 'events.flash.duplicated');
    return reply.redirect(`/admin/agenda/${row.id}/modifier`, 303);
  });
  app.post('/admin/agenda/:id/publier', guard, async (request, reply) => {
    await service.publishEvent(ctx, request.actor, idOf(request));
    return back(reply, idOf(request), 'events.flash.published');
  });
  app.post('/admin/agenda/:id/annuler', guard, async (request, reply) => {
    const { told } = await service.cancelEvent(ctx, request.actor, idOf(request));
    return back(reply, idOf(request), 'events.flash.eventCancelled', { count: told });
  });

  app.get('/admin/agenda/:id/inscrits.csv', guard, async (request, reply) => {
    const file = await service.registrantsCsv(ctx, request.actor, idOf(request));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).header('cache-control', 'no-store').send(file.body);
  });

  const messagePage = async (request: FastifyRequest, reply: FastifyReply, state: FormState = {}, status = 200) =>
    renderPage(ctx, request, reply, <StaffMessageView data={await service.getEventForStaff(ctx, request.actor, idOf(request))} values={state.values} errors={state.errors} />, status);
  app.get('/admin/agenda/:id/message', guard, (request, reply) => messagePage(request, reply));
  app.post('/admin/agenda/:id/message', guard, async (request, reply) => {
    const parsed = parseForm(MessageForm, request.body);
    if (!parsed.ok) return messagePage(request, reply, { values: parsed.values, errors: parsed.errors }, 422);
    const { count } = await service.mailRegistrants(ctx, request.actor, idOf(request), parsed.data);
    return back(reply, idOf(request), 'events.flash.mailed', { count });
  });

  const registrationOf = (request: FastifyRequest) => (request.params as { registration: string }).registration;
  app.post('/admin/agenda/:id/inscriptions/:registration/confirmer', guard, async (request, reply) => {
    await service.confirmByHand(ctx, request.actor, idOf(request), registrationOf(request));
    return back(reply, idOf(request), 'events.flash.confirmedByHand');
  });
  app.post('/admin/agenda/:id/inscriptions/:registration/decision', guard, async (request, reply) => {
    const parsed = parseForm(DecisionForm, request.body);
    // A missing or unknown decision is refused by the service, after its role check.
    const decision = parsed.ok ? parsed.data.decision : undefined;
    const { changed } = await service.decideRegistration(ctx, request.actor, idOf(request), registrationOf(request), decision);
    return back(reply, idOf(request), changed ? `events.flash.decided.${decision}` : 'events.flash.unchanged');
  });
  for (const [path, direction] of [['monter', 'up'], ['descendre', 'down']] as const) {
    app.post(`/admin/agenda/:id/inscriptions/:registration/${path}`, guard, async (request, reply) => {
      await service.moveInLine(ctx, request.actor, idOf(request), registrationOf(request), direction);
      return back(reply, idOf(request), 'events.flash.moved');
    });
  }
}
