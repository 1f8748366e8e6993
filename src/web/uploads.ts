/**
 * Multipart uploads over HTTP, for every form that sends a file. Parsing is registered only in the scope of the
 * upload routes (`uploadScope`), with limits that cut a file past the size limit while it streams (nothing
 * unbounded is buffered). The CSRF token is the form's first field (or the x-csrf-token header), checked before a
 * byte of the file is handed on (docs/decisions/0015-case-documents-on-disk.md).
 */
import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../shared/app-error.js';
import type { UploadSource } from '../shared/uploads.js';
import { isValidCsrf, isValidCsrfToken } from './csrf.js';
import { holdsNulByte, statusOf } from './forms.js';
import { requireUser } from './guards.js';

/** A multipart upload carries its token in its fields; anything else (a plain form post) goes through the usual check. */
function csrfUnlessMultipart(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    if (request.isMultipart()) return;
    if (!isValidCsrf(request, ctx.config.sessionSecret)) throw new AppError('forbidden', 'errors.csrf.text');
  };
}

/**
 * Registers `routes` in their own scope with multipart parsing (one file of at most `maxBytes`, a few small fields)
 * and returns the route options every upload route uses: the request's own CSRF check, a signed-in user.
 */
export async function uploadScope(app: FastifyInstance, ctx: AppContext, maxBytes: number, routes: (scope: FastifyInstance, options: object) => void | Promise<void>) {
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 100 },
    });
    await routes(scope, { config: { csrf: false }, preHandler: [csrfUnlessMultipart(ctx), requireUser] });
  });
}

const malformed = () => new AppError('invalid', 'errors.upload_malformed');

/**
 * The parts of a multipart body; a body the parser cannot split (cut short, broken headers) is the sender's
 * fault, so it becomes a 400, while errors from handling the file (the disk) stay what they are.
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
 * file named `field` is streamed to `write`; a file before the token is refused, other files are skipped. The other
 * text fields sent before the file come back in `fields` (an image's alternative text, say).
 */
export function multipartSource<F>(ctx: AppContext, request: FastifyRequest, field: string): UploadSource<F> {
  return async (write) => {
    if (!request.isMultipart()) return null;
    // Without a boundary the body cannot be split into parts: the parser would throw, and that is the sender's fault.
    if (!/;\s*boundary=("[^"]+"|[^\s;]+)/i.test(String(request.headers['content-type']))) throw malformed();
    let csrfOk = isValidCsrfToken(request, ctx.config.sessionSecret, request.headers['x-csrf-token']);
    const fields: Record<string, string> = {};
    for await (const part of partsOf(request)) {
      if (holdsNulByte(part.fieldname) || holdsNulByte(part.type === 'field' ? part.value : part.filename)) {
        if (part.type === 'file') part.file.resume();
        throw new AppError('invalid', 'errors.nul_byte');
      }
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') csrfOk ||= isValidCsrfToken(request, ctx.config.sessionSecret, part.value);
        else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (!csrfOk) {
        part.file.resume();
        throw new AppError('forbidden', 'errors.csrf.text');
      }
      if (part.fieldname !== field || !part.filename) {
        part.file.resume();
        continue;
      }
      const file = await write(part.file);
      return { file, filename: part.filename, truncated: part.file.truncated, fields };
    }
    if (!csrfOk) throw new AppError('forbidden', 'errors.csrf.text');
    return null;
  };
}

/**
 * `multipartSource`, keeping the text fields sent before the file so that a refused upload can give them back (an
 * image's alternative text).
 */
export function multipartWithFields<F>(ctx: AppContext, request: FastifyRequest, field: string): { source: UploadSource<F>; fields: () => Record<string, string> } {
  const read = multipartSource<F>(ctx, request, field);
  let sent: Record<string, string> = {};
  const source: UploadSource<F> = async (write) => {
    const got = await read(write);
    sent = got?.fields ?? {};
    return got;
  };
  return { source, fields: () => sent };
}

/** An upload refused for its content comes back as the page with the message (422); one cut at the size limit as 413. */
export const uploadStatus = (error: unknown, field: string, tooLargeKey: string) =>
  error instanceof AppError && error.fields[field] === tooLargeKey ? 413 : statusOf(error);

/**
 * Sends a stored image (a member's photo, an event's cover, a resource's photo) under its id-bearing URL: never
 * sniffed, never a document, cached for a year (a new image gets a new URL) publicly or for its viewer only.
 */
export const sendStoredImage = (reply: FastifyReply, image: { bytes: Uint8Array; type: string; cache: string }) =>
  reply
    .header('content-type', image.type)
    .header('content-length', String(image.bytes.length))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', `${image.cache}, max-age=31536000, immutable`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(image.bytes);
