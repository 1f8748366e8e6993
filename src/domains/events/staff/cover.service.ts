/**
 * An event's cover image: the team uploads it from the event's page (and the member who proposed the event from
 * their proposal's page, `assertMayChangeCover`), the shared image pipeline
 * (`src/shared/images.ts`) checks it is a real JPEG, PNG or WebP and re-encodes it to a 1200 × 630 WebP without any
 * metadata, and it is kept in the database under a new id (so a cached copy of the old one is never shown again),
 * with the text read in its place (the team's, else the event's title).
 */
import { randomUUID } from 'node:crypto';
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { ImageRefused, reencodeImage } from '../../../shared/images.js';
import { isRowId } from '../../../shared/input.js';
import { readToBuffer, type UploadSource } from '../../../shared/uploads.js';
import { recordAudit } from '../../audit/index.js';
import { COVER_SIZE } from '../events.common.js';
import { assertMayChangeCover } from '../events.policy.js';
import * as repo from '../events.repo.js';

/** The message of an upload cut at the size limit. */
export const COVER_TOO_LARGE = 'events.cover.tooLarge';
const ALT_MAX = 300;
const CONTROL = /[\u0000-\u001f\u007f]/;

const coverError = (key: string, field = 'image') => new AppError('invalid', key, { [field]: key });

/** Sets the event's cover from an upload; the alternative text comes with it (`alt`, before the file). */
export async function setEventCover(ctx: AppContext, actor: Actor, id: number, source: UploadSource<Buffer>) {
  assertMayChangeCover(actor, isRowId(id) ? await repo.findCoverOwnership(ctx.db, actor.territoryId, id) : undefined);
  const got = await source(readToBuffer);
  const alt = got?.fields?.alt?.trim() || null;
  if (alt && (alt.length > ALT_MAX || CONTROL.test(alt))) throw coverError(alt.length > ALT_MAX ? 'events.cover.altTooLong' : 'events.form.control', 'alt');
  if (!got || got.file.length === 0) throw coverError('events.cover.missing');
  if (got.truncated) throw coverError(COVER_TOO_LARGE);
  let image: Buffer;
  try {
    [image] = await reencodeImage(got.file, [COVER_SIZE]);
  } catch (error) {
    if (error instanceof ImageRefused) throw coverError(`events.cover.${error.reason}`);
    throw error;
  }
  const coverId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setCover(trx, { territoryId: actor.territoryId, eventId: id, id: coverId, image, alt, now: ctx.clock.now() });
    // What the image is, never what it shows.
    await recordAudit(trx, ctx, actor, { action: 'event.cover_set', subjectType: 'event', subjectId: String(id), data: { cover: coverId, bytes: image.length } });
  });
  ctx.pageCache.clear();
  return coverId;
}

/** Removes the event's cover; removing none is not an error. */
export async function removeEventCover(ctx: AppContext, actor: Actor, id: number) {
  assertMayChangeCover(actor, isRowId(id) ? await repo.findCoverOwnership(ctx.db, actor.territoryId, id) : undefined);
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.removeCover(trx, id, ctx.clock.now())) await recordAudit(trx, ctx, actor, { action: 'event.cover_removed', subjectType: 'event', subjectId: String(id), data: {} });
  });
  ctx.pageCache.clear();
}
