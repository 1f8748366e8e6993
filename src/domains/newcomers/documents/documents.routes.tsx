/**
 * Case documents over HTTP. Uploads are multipart (src/web/uploads.ts: parsing only on the two upload routes, the
 * size limit enforced while the file streams, the CSRF field checked before a byte is written).
 * Downloads are attachments the browser must not sniff, cache or run.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { multipartSource, uploadScope, uploadStatus } from '../../../web/uploads.js';
import * as documents from './documents.service.js';
import { renderCasePage, renderMyProject } from '../cases/index.js';

/** `filename` for ASCII-only clients, `filename*` (RFC 6266) for the real name. */
function contentDisposition(name: string) {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function sendDocument(reply: FastifyReply, doc: Awaited<ReturnType<typeof documents.openCaseDocument>>) {
  return reply
    .header('content-type', doc.type)
    .header('content-length', String(doc.size))
    .header('content-disposition', contentDisposition(doc.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(doc.stream);
}

export async function documentsRoutes(app: FastifyInstance, ctx: AppContext) {
  const maxBytes = ctx.config.documentMaxBytes;

  // Upload routes in their own scope: multipart parsing exists nowhere else.
  await uploadScope(app, ctx, maxBytes, (uploads, upload) => {

    uploads.post('/mon-projet/documents', upload, async (request, reply) => {
      try {
        await documents.uploadMyDocument(ctx, request.actor, multipartSource(ctx, request, 'file'));
      } catch (error) {
        const errors = fieldErrorsOf(error);
        return renderMyProject(ctx, request, reply, { documents: { errors } }, uploadStatus(error, 'file', documents.TOO_LARGE));
      }
      setFlash(reply, 'newcomers.documents.flash.added');
      return reply.redirect('/mon-projet#documents', 303);
    });

    uploads.post('/admin/accueil/:id/documents', upload, async (request, reply) => {
      const { id } = request.params as { id: string };
      try {
        await documents.uploadCaseDocument(ctx, request.actor, id, multipartSource(ctx, request, 'file'));
      } catch (error) {
        const errors = fieldErrorsOf(error);
        return renderCasePage(ctx, request, reply, id, { documents: { errors } }, uploadStatus(error, 'file', documents.TOO_LARGE));
      }
      setFlash(reply, 'newcomers.documents.flash.added');
      return reply.redirect(`/admin/accueil/${id}#documents`, 303);
    });
  });

  app.get('/mon-projet/documents/:documentId', { preHandler: requireUser }, async (request, reply) => {
    const { documentId } = request.params as { documentId: string };
    return sendDocument(reply, await documents.openCaseDocument(ctx, request.actor, documentId));
  });

  app.get('/admin/accueil/:id/documents/:documentId', { preHandler: requireUser }, async (request, reply) => {
    const { id, documentId } = request.params as { id: string; documentId: string };
    return sendDocument(reply, await documents.openCaseDocument(ctx, request.actor, documentId, id));
  });

  app.post('/admin/accueil/:id/documents/:documentId/supprimer', { preHandler: requireUser }, async (request, reply) => {
    const { id, documentId } = request.params as { id: string; documentId: string };
    await documents.deleteCaseDocument(ctx, request.actor, id, documentId);
    setFlash(reply, 'newcomers.documents.flash.deleted');
    return reply.redirect(`/admin/accueil/${id}#documents`, 303);
  });
}
