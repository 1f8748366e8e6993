/**
 * The back office's resource pages: the list (/admin/reservations), the form (new, edit) and the closures. Each
 * handler parses, calls one service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { isAppError } from '../../../shared/app-error.js';
import { setFlash } from '../../../web/flash.js';
import { multipartWithFields, sendStoredImage, uploadScope, uploadStatus } from '../../../web/uploads.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { ClosureForm, ResourceForm } from './resources.schemas.js';
import { openResourcePhoto, PHOTO_TOO_LARGE, removeResourcePhoto, setResourcePhoto } from './resources.photo.js';
import * as service from './resources.service.js';
import { ResourceFormView, StaffResourcesView, type PhotoFormState } from './resources.views.js';

type FormState = { values?: Record<string, string | string[]>; errors?: Record<string, string> };

const idOf = (request: FastifyRequest, name = 'id') => {
  const raw = (request.params as Record<string, string>)[name];
  return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
};

/** A new resource starts with the usual terms of a coworking space, to adjust. */
const NEW_RESOURCE = {
  kind: 'meeting_room',
  capacity: '1',
  hours_1: '9:00-18:00',
  hours_2: '9:00-18:00',
  hours_3: '9:00-18:00',
  hours_4: '9:00-18:00',
  hours_5: '9:00-18:00',
  slotMinutes: '30',
  minMinutes: '30',
  maxMinutes: '480',
  memberHorizonDays: '90',
  visitorHorizonDays: '30',
  noticeHours: '0',
  cancelHours: '24',
  audience: 'members',
  active: '1',
};

export async function resourcesRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireUser };

  app.get('/admin/reservations', guard, async (request, reply) => {
    const rows = await service.listResourcesForStaff(ctx, request.actor);
    return renderPage(ctx, request, reply, <StaffResourcesView rows={rows} />);
  });

  const form = async (request: FastifyRequest, reply: FastifyReply, id: number | undefined, state: FormState = {}, closure: FormState = {}, status = 200, photo: Omit<PhotoFormState, 'maxBytes'> = {}) => {
    const choices = await service.getResourceFormChoices(ctx, request.actor);
    const current = id === undefined ? undefined : await service.getResourceForStaff(ctx, request.actor, id);
    const action = id === undefined ? '/admin/reservations/ressources/nouvelle' : `/admin/reservations/ressources/${id}`;
    return renderPage(
      ctx,
      request,
      reply,
      <ResourceFormView
        action={action}
        values={state.values ?? current?.values ?? NEW_RESOURCE}
        errors={state.errors}
        places={choices.places}
        rooms={choices.rooms}
        editing={id !== undefined}
        resource={current?.resource}
        closures={current?.closures}
        closureValues={closure.values}
        closureErrors={closure.errors}
        photo={{ maxBytes: ctx.config.documentMaxBytes, ...photo }}
      />,
      status,
    );
  };

  app.get('/admin/reservations/ressources/nouvelle', guard, (request, reply) => form(request, reply, undefined));

  app.post('/admin/reservations/ressources/nouvelle', guard, async (request, reply) => {
    await service.listResourcesForStaff(ctx, request.actor); // refuses outsiders before reading their input
    const parsed = parseForm(ResourceForm, request.body);
    if (!parsed.ok) return form(request, reply, undefined, { values: parsed.values as FormState['values'], errors: parsed.errors }, {}, 422);
    try {
      const { id } = await service.createResource(ctx, request.actor, parsed.data);
      setFlash(reply, 'bookings.flash.resourceSaved');
      return reply.redirect(`/admin/reservations/ressources/${id}`, 303);
    } catch (error) {
      return form(request, reply, undefined, { values: formValues(request.body) as FormState['values'], errors: fieldErrorsOf(error) }, {}, statusOf(error));
    }
  });

  app.get('/admin/reservations/ressources/:id', guard, (request, reply) => form(request, reply, idOf(request)));

  app.post('/admin/reservations/ressources/:id', guard, async (request, reply) => {
    const id = idOf(request);
    await service.getResourceForStaff(ctx, request.actor, id);
    const parsed = parseForm(ResourceForm, request.body);
    if (!parsed.ok) return form(request, reply, id, { values: parsed.values as FormState['values'], errors: parsed.errors }, {}, 422);
    try {
      await service.updateResource(ctx, request.actor, id, parsed.data);
      setFlash(reply, 'bookings.flash.resourceSaved');
      return reply.redirect(`/admin/reservations/ressources/${id}`, 303);
    } catch (error) {
      return form(request, reply, id, { values: formValues(request.body) as FormState['values'], errors: fieldErrorsOf(error) }, {}, statusOf(error));
    }
  });

  // The photo is a multipart upload (src/web/uploads.ts), cut at the upload limit while it streams; a refusal
  // re-renders the resource's page with the message and the text typed.
  await uploadScope(app, ctx, ctx.config.documentMaxBytes, (uploads, upload) => {
    uploads.post('/admin/reservations/ressources/:id/photo', upload, async (request, reply) => {
      const id = idOf(request);
      const { source, fields } = multipartWithFields<Buffer>(ctx, request, 'image');
      try {
        await setResourcePhoto(ctx, request.actor, id, source);
      } catch (error) {
        if (isAppError(error) && error.code === 'invalid') {
          return form(request, reply, id, {}, {}, uploadStatus(error, 'image', PHOTO_TOO_LARGE), { values: { alt: fields().alt ?? '' }, errors: fieldErrorsOf(error) });
        }
        throw error;
      }
      setFlash(reply, 'bookings.photo.saved');
      return reply.redirect(`/admin/reservations/ressources/${id}#photo`, 303);
    });
  });

  app.post('/admin/reservations/ressources/:id/photo/supprimer', guard, async (request, reply) => {
    const id = idOf(request);
    await removeResourcePhoto(ctx, request.actor, id);
    setFlash(reply, 'bookings.photo.removed');
    return reply.redirect(`/admin/reservations/ressources/${id}#photo`, 303);
  });

  // Photos, by their id (a new upload gets a new one); an inactive resource's only for the team.
  app.get('/reservations/photos/:file', async (request, reply) => {
    const photo = await openResourcePhoto(ctx, request.actor, (request.params as { file: string }).file);
    return sendStoredImage(reply, photo);
  });

  app.post('/admin/reservations/ressources/:id/fermetures', guard, async (request, reply) => {
    const id = idOf(request);
    await service.getResourceForStaff(ctx, request.actor, id);
    const parsed = parseForm(ClosureForm, request.body);
    if (!parsed.ok) return form(request, reply, id, {}, { values: parsed.values as FormState['values'], errors: parsed.errors }, 422);
    try {
      await service.addClosure(ctx, request.actor, id, parsed.data);
    } catch (error) {
      return form(request, reply, id, {}, { values: formValues(request.body) as FormState['values'], errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'bookings.flash.closureAdded');
    return reply.redirect(`/admin/reservations/ressources/${id}#fermetures`, 303);
  });

  app.post('/admin/reservations/ressources/:id/fermetures/:closure/supprimer', guard, async (request, reply) => {
    const id = idOf(request);
    await service.removeClosure(ctx, request.actor, id, idOf(request, 'closure'));
    setFlash(reply, 'bookings.flash.closureRemoved');
    return reply.redirect(`/admin/reservations/ressources/${id}#fermetures`, 303);
  });
}
