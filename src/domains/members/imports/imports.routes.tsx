/**
 * /admin/adherents/import: the upload (multipart, in its own scope with a size limit that cuts the file while it
 * streams; its CSRF token is the form's first field, checked before the file is read), the mapping screen, the
 * dry run and the apply. Parse, one service call, render or redirect.
 */
import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { isValidCsrf, isValidCsrfToken } from '../../../web/csrf.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, holdsNulByte, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { ApplyForm, MappingForm, readDefaultMethod } from './imports.schemas.js';
import * as service from './imports.service.js';
import { ImportMappingView, ImportReviewView, ImportUploadView } from './imports.views.js';

const MAX_MB = service.IMPORT_MAX_BYTES / (1024 * 1024);
const malformed = () => new AppError('invalid', 'errors.invalid', { file: 'errors.upload_malformed' });

/** The upload's fields and its one file, read into memory (the size limit keeps it small). */
async function readUpload(ctx: AppContext, request: FastifyRequest): Promise<{ file: service.UploadedFile | null; defaultMethod: unknown }> {
  if (!request.isMultipart() || !/;\s*boundary=("[^"]+"|[^\s;]+)/i.test(String(request.headers['content-type']))) throw malformed();
  let csrfOk = isValidCsrfToken(request, ctx.config.sessionSecret, request.headers['x-csrf-token']);
  let defaultMethod: unknown;
  let file: service.UploadedFile | null = null;
  const parts = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw malformed();
    }
    if (next.done) break;
    const part = next.value;
    if (holdsNulByte(part.fieldname) || holdsNulByte(part.type === 'field' ? part.value : part.filename)) {
      if (part.type === 'file') part.file.resume();
      throw new AppError('invalid', 'errors.invalid', { file: 'errors.nul_byte' });
    }
    if (part.type === 'field') {
      if (part.fieldname === '_csrf') csrfOk ||= isValidCsrfToken(request, ctx.config.sessionSecret, part.value);
      if (part.fieldname === 'defaultMethod') defaultMethod = part.value;
      continue;
    }
    if (!csrfOk) {
      part.file.resume();
      throw new AppError('forbidden', 'errors.csrf.text');
    }
    if (part.fieldname !== 'file' || file) {
      part.file.resume();
      continue;
    }
    const bytes = await part.toBuffer().catch(() => {
      throw malformed();
    });
    file = { name: part.filename, bytes, truncated: part.file.truncated };
  }
  if (!csrfOk) throw new AppError('forbidden', 'errors.csrf.text');
  return { file, defaultMethod };
}

export async function importsRoutes(app: FastifyInstance, ctx: AppContext) {
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  const uploadPage = (request: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) =>
    renderPage(ctx, request, reply, <ImportUploadView errors={errors} maxMb={MAX_MB} />, status);

  const mappingPage = async (request: FastifyRequest, reply: FastifyReply, form: { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> } = {}, status = 200) => {
    const data = await service.getMappingForm(ctx, request.actor, idOf(request));
    return renderPage(ctx, request, reply, <ImportMappingView data={data} values={form.values} errors={form.errors} />, status);
  };

  const reviewPage = async (request: FastifyRequest, reply: FastifyReply, form: { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> } = {}, status = 200) => {
    const review = await service.getImportReview(ctx, request.actor, idOf(request));
    if (review.state === 'mapping') return reply.redirect(`/admin/adherents/import/${review.id}/colonnes`, 303);
    const raw = Number((request.query as { page?: string }).page);
    const page = Number.isInteger(raw) && raw > 0 && raw < 100_000 ? raw : 1;
    return renderPage(ctx, request, reply, <ImportReviewView review={review} page={page} values={form.values} errors={form.errors} />, status);
  };

  app.get('/admin/adherents/import', { preHandler: requireUser }, async (request, reply) => {
    service.assertCanImport(request.actor);
    return uploadPage(request, reply);
  });

  // The upload in its own scope: multipart parsing exists for it alone.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: service.IMPORT_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 100 },
    });
    const csrfUnlessMultipart = async (request: FastifyRequest) => {
      if (request.isMultipart()) return;
      if (!isValidCsrf(request, ctx.config.sessionSecret)) throw new AppError('forbidden', 'errors.csrf.text');
    };
    uploads.post('/admin/adherents/import', { config: { csrf: false }, preHandler: [csrfUnlessMultipart, requireUser] }, async (request, reply) => {
      let id: string;
      try {
        service.assertCanImport(request.actor);
        const upload = await readUpload(ctx, request);
        id = (await service.uploadMemberList(ctx, request.actor, upload.file, readDefaultMethod(upload.defaultMethod))).id;
      } catch (error) {
        const errors = fieldErrorsOf(error);
        return uploadPage(request, reply, errors, errors.file === service.TOO_LARGE ? 413 : statusOf(error));
      }
      return reply.redirect(`/admin/adherents/import/${id}`, 303);
    });
  });

  app.get('/admin/adherents/import/:id', { preHandler: requireUser }, (request, reply) => reviewPage(request, reply));

  app.get('/admin/adherents/import/:id/colonnes', { preHandler: requireUser }, (request, reply) => mappingPage(request, reply));

  app.post('/admin/adherents/import/:id/colonnes', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(MappingForm, request.body);
    if (!form.ok) return mappingPage(request, reply, form, 422);
    try {
      await service.chooseColumns(ctx, request.actor, idOf(request), form.data.mapping, form.data.defaultMethod);
    } catch (error) {
      return mappingPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    return reply.redirect(`/admin/adherents/import/${idOf(request)}`, 303);
  });

  app.post('/admin/adherents/import/:id/appliquer', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(ApplyForm, request.body);
    if (!form.ok) return reviewPage(request, reply, form, 422);
    let summary: service.ImportSummary;
    try {
      summary = await service.applyMemberImport(ctx, request.actor, idOf(request), { excludeRejected: form.data.excludeRejected });
    } catch (error) {
      return reviewPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'members.import.flash.applied', { ...summary });
    return reply.redirect(`/admin/adherents/import/${idOf(request)}`, 303);
  });
}
