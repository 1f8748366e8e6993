/**
 * What every upload shares, whatever it becomes (a case document on disk, a member's photo): the type a file's
 * first bytes announce, and the contract between the web layer that reads a multipart request and the service that
 * decides what to keep.
 */
import type { Readable } from 'node:stream';

export const SNIFFED_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export type SniffedType = (typeof SNIFFED_TYPES)[number];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type announced by a file's first bytes (its "magic number"), or null for anything not accepted. */
export function sniffType(head: Buffer): SniffedType | null {
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG)) return 'image/png';
  if (head.length >= 12 && head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Where an upload's bytes come from: the web layer reads the request and hands the file's stream to `write` (which
 * turns it into an `F`: a temporary file, a buffer); it answers null when no file was sent, and says whether the
 * stream was cut at the size limit. `fields`: the form's other text fields sent before the file.
 */
export type UploadSource<F> = (write: (stream: Readable) => Promise<F>) => Promise<{ file: F; filename: string; truncated: boolean; fields?: Record<string, string> } | null>;

/** Reads a (size-limited) stream into memory: for small files that are decoded at once, such as photos. */
export async function readToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
