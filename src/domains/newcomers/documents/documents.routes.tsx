/**
 * Case documents over HTTP. Uploads are multipart, so multipart parsing is registered for the two upload routes
 * only, with limits that cut a file past the size limit while it streams (nothing is buffered in memory). Their
 * CSRF token is the form's first field (or the x-csrf-token header), checked before a byte of the file is written.
 * Downloads are attachments the browser must not sniff, cache or run.
 */
import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { isValidCsrf, isValidCsrfToken } from '../../../web/csrf.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, holdsNulByte, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import * as documents from './documents.service.js';
import { renderCasePage, renderMyProject } from '../cases/index.js';

/** A multipart upload carries its token in its fields; anything else (a plain form post) goes through the usual check. */
function csrfUnlessMultipart(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    if (request.isMultipart()) return;
    if (!isValidCsrf(request, ctx.config.sessionSecret)) throw new AppError('forbidden', 'errors.csrf.text');
  };
}

const malformed = () => new AppError('invalid', 'errors.upload_malformed');

/**
 * The parts of a multipart body; a body the parser cannot split (cut short, broken headers) is the sender's
 * fault, so it becomes a 400, while errors from writing the file (the disk) stay what they are.
 */
async function* partsOf(request: FastifyRequest): AsyncGenerator<Multipart> {
  const parts = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (error) {
      if (error instanceof AppError || (error as { statusCode?: number }).statusCode === 413) throw error;
      throw malformed();
    }
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Reads the upload: the CSRF field must come before the file (browsers send fields in the form's order); the one
 * file is streamed to `write`; a second file or a file before the token is refused.
 */
function multipartSource(ctx: AppContext, request: FastifyRequest): documents.UploadSource {
  return async (write) => {
    if (!request.isMultipart()) return null;
    // Without a boundary the body cannot be split into parts: the parser would throw, and that is the sender's fault.
    if (!/;\s*boundary=("[^"]+"|[^\s;]+)/i.test(String(request.headers['content-type']))) throw malformed();
    let csrfOk = isValidCsrfToken(request, ctx.config.sessionSecret, request.headers['x-csrf-token']);
    for await (const part of partsOf(request)) {
      if (holdsNulByte(part.fieldname) || holdsNulByte(part.type === 'field' ? part.value : part.filename)) {
        if (part.type === 'file') part.file.resume();
        throw new AppError('invalid', 'errors.nul_byte');
      }
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') csrfOk ||= isValidCsrfToken(request, ctx.config.sessionSecret, part.value);
        continue;
      }
      if (!csrfOk) {
        part.file.resume();
        throw new AppError('forbidden', 'errors.csrf.text');
      }
      if (part.fieldname !== 'file' || !part.filename) {
        part.file.resume();
        continue;
      }
      const file = await write(part.file);
      return { file, filename: part.filename, truncated: part.file.truncated };
    }
    if (!csrfOk) throw new AppError('forbidden', 'errors.csrf.text');
    return null;
  };
}

/** An upload refused for its content comes back as the page with the message; one cut at the size limit as 413. */
const uploadStatus = (error: unknown) => (error instanceof AppError && error.fields.file === documents.TOO_LARGE ? 413 : statusOf(error));

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
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 100 },
    });
    const upload = { config: { csrf: false }, preHandler: [csrfUnlessMultipart(ctx), requireUser] };

    uploads.post('/mon-projet/documents', upload, async (request, reply) => {
      try {
        await documents.uploadMyDocument(ctx, request.actor, multipartSource(ctx, request));
      } catch (error) {
        const errors = fieldErrorsOf(error);
        return renderMyProject(ctx, request, reply, { documents: { errors } }, uploadStatus(error));
      }
      setFlash(reply, 'newcomers.documents.flash.added');
      return reply.redirect('/mon-projet#documents', 303);
    });

    uploads.post('/admin/accueil/:id/documents', upload, async (request, reply) => {
      const { id } = request.params as { id: string };
      try {
        await documents.uploadCaseDocument(ctx, request.actor, id, multipartSource(ctx, request));
      } catch (error) {
        const errors = fieldErrorsOf(error);
        return renderCasePage(ctx, request, reply, id, { documents: { errors } }, uploadStatus(error));
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
