/**
 * Where case documents' bytes live: `<dataDir>/documents/<territory>/<uuid>`, outside every folder the web server
 * serves. Only uuids made here ever become paths: the name a person gave a file is kept in the database, never on
 * disk. What a file is gets decided by its first bytes, not by its name or the type the browser declared.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isUuid } from '../../../shared/input.js';
import { SNIFFED_TYPES, sniffType, type SniffedType } from '../../../shared/uploads.js';

export { sniffType } from '../../../shared/uploads.js';
export const DOCUMENT_TYPES = SNIFFED_TYPES;
export type DocumentType = SniffedType;
export const EXTENSION: Record<DocumentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * The name shown and offered on download: no folders, no control or quoting characters, at most 200 characters,
 * and an extension matching what the file really is (a PNG named `lettre.html` becomes `lettre.html.png`).
 */
export function sanitiseFileName(given: string | undefined, type: DocumentType): string {
  let name = (given ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  const ext = EXTENSION[type];
  const hasExt = new RegExp(`\\.${ext === 'jpg' ? '(jpe?g)' : ext}$`, 'i').test(name);
  const base = (name || 'document').slice(0, hasExt ? 200 : 195);
  return hasExt ? base : `${base}.${ext}`;
}

const folderOf = (dataDir: string, territoryId: number) => path.join(dataDir, 'documents', String(territoryId));

export function documentPath(dataDir: string, territoryId: number, id: string): string {
  if (!isUuid(id) || !Number.isInteger(territoryId)) throw new Error('not a document id');
  return path.join(folderOf(dataDir, territoryId), id);
}

export interface ReceivedFile {
  /** The future document's id, and its file name once kept. */
  id: string;
  tempPath: string;
  size: number;
  sha256: string;
  type: DocumentType | null;
}

/** Writes an incoming stream to a temporary file of the territory's folder, hashing it and reading its type on the way. */
export async function receiveToTemp(dataDir: string, territoryId: number, stream: Readable): Promise<ReceivedFile> {
  const incoming = path.join(folderOf(dataDir, territoryId), '.incoming');
  await mkdir(incoming, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  const tempPath = path.join(incoming, id);
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, tap, createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  return { id, tempPath, size, sha256: hash.digest('hex'), type: sniffType(head) };
}

/** Moves a received file to its place (same folder tree, so the move is atomic). */
export async function keepReceived(dataDir: string, territoryId: number, file: ReceivedFile) {
  await rename(file.tempPath, documentPath(dataDir, territoryId, file.id));
}

export async function discardReceived(dataDir: string, territoryId: number, file: ReceivedFile) {
  await rm(file.tempPath, { force: true });
  await rm(documentPath(dataDir, territoryId, file.id), { force: true });
}

/** Opens a document's file now (a missing file is known before any header is sent); null when it is gone. */
export async function openDocumentFile(dataDir: string, territoryId: number, id: string) {
  try {
    const handle = await open(documentPath(dataDir, territoryId, id), 'r');
    return handle.createReadStream();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Removes documents' files once their rows are gone; a file already missing is not an error. */
export async function removeDocumentFiles(dataDir: string, territoryId: number, ids: string[]) {
  for (const id of ids) await rm(documentPath(dataDir, territoryId, id), { force: true });
}

/** An upload still being received is never this old; an older temporary file was left by a crash. */
export const LEFTOVER_UPLOAD_AGE_MS = 60 * 60 * 1000;

/**
 * At start: temporary files a crash left in the territory's `.incoming` folder (an upload cut off before its row
 * was written) are removed. Only files older than an hour go, so another process's upload in progress is safe.
 * File ages are the file system's own, not the application's clock.
 */
export async function removeLeftoverUploads(dataDir: string, territoryId: number, nowMs = Date.now()): Promise<number> {
  const incoming = path.join(folderOf(dataDir, territoryId), '.incoming');
  let names: string[];
  try {
    names = await readdir(incoming);
  } catch {
    return 0; // no upload ever received
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(incoming, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || nowMs - info.mtimeMs < LEFTOVER_UPLOAD_AGE_MS) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}
