/** The team's followed feeds under /admin/agenda/flux: the list, adding one, importing one now. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { SourceForm } from './imports.schemas.js';
import * as service from './imports.service.js';
import { SourcesView } from './imports.views.js';

export async function importsRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };
  const page = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, string | string[] | undefined>, errors?: Record<string, string>, status = 200) =>
    renderPage(ctx, request, reply, <SourcesView data={await service.listSources(ctx, request.actor)} values={values} errors={errors} />, status);

  app.get('/admin/agenda/flux', guard, (request, reply) => page(request, reply));
  app.post('/admin/agenda/flux', guard, async (request, reply) => {
    const parsed = parseForm(SourceForm, request.body);
    if (!parsed.ok) return page(request, reply, parsed.values, parsed.errors, 422);
    try {
      await service.addSource(ctx, request.actor, parsed.data);
    } catch (error) {
      return page(request, reply, formValues(request.body), fieldErrorsOf(error), statusOf(error));
    }
    setFlash(reply, 'events.imports.flash.added');
    return reply.redirect('/admin/agenda/flux', 303);
  });
  app.post('/admin/agenda/flux/:id/importer', guard, async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const outcome = await service.importNow(ctx, request.actor, /^\d{1,10}$/.test(raw) ? Number(raw) : 0);
    setFlash(reply, outcome.error ? 'events.imports.flash.failed' : 'events.imports.flash.imported', { count: outcome.count });
    return reply.redirect('/admin/agenda/flux', 303);
  });
}
