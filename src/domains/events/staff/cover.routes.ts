/**
 * The cover's two actions, mounted under an event's page of the team (`/admin/agenda/:id`) and under the page of a
 * member's proposal (`/agenda/proposer/:id`): `…/couverture` (multipart upload, cut at the upload limit while it
 * streams) and `…/couverture/supprimer`. A refused upload re-renders the page with the message and the text typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { isAppError } from '../../../shared/app-error.js';
import { fieldErrorsOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { multipartWithFields, uploadScope, uploadStatus } from '../../../web/uploads.js';
import { COVER_TOO_LARGE, removeEventCover, setEventCover } from './cover.service.js';
import type { CoverFormState } from './staff.views.js';

export interface CoverPage {
  /** The page's path with `:id`, e.g. `/admin/agenda/:id`. */
  path: string;
  /** The event's id from the request (0 when malformed: the service answers "not found"). */
  idOf: (request: FastifyRequest) => number;
  /** Renders the page holding the cover's form after a refusal. */
  render: (request: FastifyRequest, reply: FastifyReply, cover: Omit<CoverFormState, 'maxBytes'>, status: number) => unknown;
  /** Back to the page with a flash message. */
  back: (reply: FastifyReply, id: number, flash: string) => unknown;
}

export async function coverRoutes(app: FastifyInstance, ctx: AppContext, page: CoverPage) {
  await uploadScope(app, ctx, ctx.config.documentMaxBytes, (uploads, upload) => {
    uploads.post(`${page.path}/couverture`, upload, async (request, reply) => {
      const { source, fields } = multipartWithFields<Buffer>(ctx, request, 'image');
      try {
        await setEventCover(ctx, request.actor, page.idOf(request), source);
      } catch (error) {
        if (isAppError(error) && error.code === 'invalid') {
          return page.render(request, reply, { values: { alt: fields().alt ?? '' }, errors: fieldErrorsOf(error) }, uploadStatus(error, 'image', COVER_TOO_LARGE));
        }
        throw error;
      }
      return page.back(reply, page.idOf(request), 'events.cover.saved');
    });
  });
  app.post(`${page.path}/couverture/supprimer`, { preHandler: requireUser }, async (request, reply) => {
    await removeEventCover(ctx, request.actor, page.idOf(request));
    return page.back(reply, page.idOf(request), 'events.cover.removed');
  });
}
