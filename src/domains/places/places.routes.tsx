/** Third-place pages (public list and detail) and the staff editor under /admin/tiers-lieux. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { setFlash } from '../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../web/forms.js';
import { requireUser } from '../../web/guards.js';
import { renderPage, renderPublicPage } from '../../web/render.js';
import type { PlaceSection } from './places.sections.js';
import * as schemas from './places.schemas.js';
import * as service from './places.service.js';
import * as views from './places.views.js';

const notFound = () => new AppError('not_found', 'places.errors.notFound');

/** NaN when malformed: the service refuses outsiders first, then answers 404 (no hint that an id exists). */
function idParam(request: FastifyRequest) {
  const id = schemas.PlaceId.safeParse((request.params as { id: string }).id);
  return id.success ? id.data : Number.NaN;
}

export async function placesRoutes(app: FastifyInstance, ctx: AppContext, opts: { sections?: readonly PlaceSection[] } = {}) {
  // ------------------------------------------------------------------------------------------- public
  app.get('/tiers-lieux', (request, reply) =>
    renderPublicPage(ctx, request, reply, async () => {
      const { places, map } = await service.getPlacesOverview(ctx);
      return <views.PlacesIndexView places={places} map={map} />;
    }),
  );

  app.get('/tiers-lieux/:slug', (request, reply) => {
    const slug = (request.params as { slug: string }).slug;
    if (!schemas.SLUG_PATTERN.test(slug) || slug.length > 120) throw notFound();
    return renderPublicPage(ctx, request, reply, async () => {
      const { place, nearby, canEdit, sections } = await service.getPlaceForReader(ctx, request.actor, slug, opts.sections);
      return <views.PlaceDetailView place={place} nearby={nearby} canEdit={canEdit} sections={sections} />;
    });
  });

  // ------------------------------------------------------------------------------------------- staff
  const page = (request: FastifyRequest, reply: FastifyReply, view: Parameters<typeof renderPage>[3], status?: number) =>
    renderPage(ctx, request, reply, view, status);

  app.get('/admin/tiers-lieux', { preHandler: requireUser }, async (request, reply) =>
    page(request, reply, <views.AdminPlacesView places={await service.listPlacesForEditors(ctx, request.actor)} />),
  );

  app.get('/admin/tiers-lieux/nouveau', { preHandler: requireUser }, (request, reply) =>
    page(request, reply, <views.PlaceEditorView values={service.startPlace(ctx, request.actor)} />),
  );

  app.post('/admin/tiers-lieux/nouveau', { preHandler: requireUser }, async (request, reply) => {
    try {
      const form = parseForm(schemas.PlaceInput, request.body);
      if (!form.ok) throw new AppError('invalid', 'errors.invalid', form.errors);
      await service.createPlace(ctx, request.actor, form.data);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      service.startPlace(ctx, request.actor); // a refused person gets 403, not the form
      return page(request, reply, <views.PlaceEditorView values={formValues(request.body)} errors={errors} />, statusOf(error));
    }
    setFlash(reply, 'places.editor.created');
    return reply.redirect('/admin/tiers-lieux', 303);
  });

  app.get('/admin/tiers-lieux/:id', { preHandler: requireUser }, async (request, reply) => {
    const { place, values } = await service.getPlaceForEditing(ctx, request.actor, idParam(request));
    return page(request, reply, <views.PlaceEditorView place={place} values={values} />);
  });

  app.post('/admin/tiers-lieux/:id', { preHandler: requireUser }, async (request, reply) => {
    const id = idParam(request);
    try {
      const form = parseForm(schemas.PlaceInput, request.body);
      if (!form.ok) throw new AppError('invalid', 'errors.invalid', form.errors);
      await service.updatePlace(ctx, request.actor, id, form.data);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      const { place } = await service.getPlaceForEditing(ctx, request.actor, id);
      return page(request, reply, <views.PlaceEditorView place={place} values={formValues(request.body)} errors={errors} />, statusOf(error));
    }
    setFlash(reply, 'places.editor.saved');
    return reply.redirect(`/admin/tiers-lieux/${id}`, 303);
  });
}
