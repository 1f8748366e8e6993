/** Sends bytes compressed ahead of time, choosing brotli, gzip or identity from Accept-Encoding. */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Precompressed {
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

export function sendCompressed(request: FastifyRequest, reply: FastifyReply, body: Precompressed) {
  reply.header('etag', body.etag).header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === body.etag) return reply.code(304).send();
  const accept = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(body.br);
  if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(body.gzip);
  return reply.send(body.raw);
}
