/** Sends bytes compressed ahead of time, choosing brotli, gzip or identity from Accept-Encoding. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constants, crc32, deflateRawSync } from 'node:zlib';

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

// A gzip member is a header, one deflate stream and a trailer (CRC-32 and length of the whole content). Deflate
// pieces that each end on a full flush (byte-aligned, no back-reference across the boundary) can be concatenated
// into one stream: a page's shared pieces are compressed once at the best level, its personal pieces per request.
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/** One piece of a gzip body: raw deflate ending on a full flush. */
export const deflatePiece = (raw: Buffer, level = 9) =>
  // zlib ends an empty input with a final block, which would end the body there: an empty piece is no bytes.
  raw.length ? deflateRawSync(raw, { level, finishFlush: constants.Z_FULL_FLUSH }) : Buffer.alloc(0);

/**
 * A piece left uncompressed: deflate "stored" blocks (a 5-byte header per 64 KB). For the few kilobytes rendered per
 * request, setting up a compressor costs more CPU than the bytes it would save.
 */
export function storedPiece(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < raw.length; at += 0xffff) {
    const chunk = raw.subarray(at, at + 0xffff);
    const header = Buffer.alloc(5);
    header[0] = 0; // not the last block, stored
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    out.push(header, chunk);
  }
  return Buffer.concat(out);
}

/** A gzip body from pieces compressed apart, in order. */
export function joinGzip(pieces: { raw: Buffer; deflated: Buffer }[]): Buffer {
  let crc = 0;
  let length = 0;
  const out: Buffer[] = [GZIP_HEADER];
  for (const p of pieces) {
    crc = crc32(p.raw, crc);
    length += p.raw.length;
    out.push(p.deflated);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  out.push(FINAL_EMPTY_BLOCK, trailer);
  return Buffer.concat(out);
}
