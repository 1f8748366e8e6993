/**
 * A resource's photo: the team uploads it from the resource's page, the shared image pipeline (`src/shared/images.ts`)
 * checks it is a real JPEG, PNG or WebP and re-encodes it to a 1200 × 800 WebP without any metadata, and it is kept in
 * the database under a new id (so a cached copy of the old one is never shown again), with the text read in its place
 * (the team's, else the resource's name). Shown on the resource's booking page; an inactive resource's only to the team.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { IMAGE_TYPE, ImageRefused, reencodeImage } from '../../../shared/images.js';
import { isRowId, isUuid } from '../../../shared/input.js';
import { readToBuffer, type UploadSource } from '../../../shared/uploads.js';
import { recordAudit } from '../../audit/index.js';
import { assertBookingStaff, canManageBookings } from '../bookings.policy.js';
import * as repo from './resources.repo.js';

export const PHOTO_SIZE = { width: 1200, height: 800 } as const;
/** The message of an upload cut at the size limit. */
export const PHOTO_TOO_LARGE = 'bookings.photo.tooLarge';
const ALT_MAX = 300;
const CONTROL = /[\u0000-\u001f\u007f]/;

const photoError = (key: string, field = 'image') => new AppError('invalid', key, { [field]: key });
const notFound = () => new AppError('not_found', 'bookings.errors.resourceNotFound');

/** The path of a photo, by its id. */
export const resourcePhotoPath = (id: string) => `/reservations/photos/${id}.webp`;

/** Sets the resource's photo from an upload; the alternative text comes with it (`alt`, before the file). */
export async function setResourcePhoto(ctx: AppContext, actor: Actor, id: number, source: UploadSource<Buffer>) {
  assertBookingStaff(actor);
  if (!isRowId(id) || !(await repo.findResourceById(ctx.db, ctx.territory.id, id))) throw notFound();
  const got = await source(readToBuffer);
  const alt = got?.fields?.alt?.trim() || null;
  if (alt && (alt.length > ALT_MAX || CONTROL.test(alt))) throw photoError(alt.length > ALT_MAX ? 'bookings.photo.altTooLong' : 'bookings.photo.altControl', 'alt');
  if (!got || got.file.length === 0) throw photoError('bookings.photo.missing');
  if (got.truncated) throw photoError(PHOTO_TOO_LARGE);
  let image: Buffer;
  try {
    [image] = await reencodeImage(got.file, [PHOTO_SIZE]);
  } catch (error) {
    if (error instanceof ImageRefused) throw photoError(`bookings.photo.${error.reason}`);
    throw error;
  }
  const photoId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setPhoto(trx, { territoryId: ctx.territory.id, resourceId: id, id: photoId, image, alt, now: ctx.clock.now() });
    // What the image is, never what it shows.
    await recordAudit(trx, ctx, actor, { action: 'booking_resource.photo_set', subjectType: 'booking_resource', subjectId: String(id), data: { photo: photoId, bytes: image.length } });
  });
  ctx.pageCache.clear();
  return photoId;
}

/** Removes the resource's photo; removing none is not an error. */
export async function removeResourcePhoto(ctx: AppContext, actor: Actor, id: number) {
  assertBookingStaff(actor);
  if (!isRowId(id) || !(await repo.findResourceById(ctx.db, ctx.territory.id, id))) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.removePhoto(trx, id, ctx.clock.now())) await recordAudit(trx, ctx, actor, { action: 'booking_resource.photo_removed', subjectType: 'booking_resource', subjectId: String(id), data: {} });
  });
  ctx.pageCache.clear();
}

/** A photo's bytes by its file name (`<id>.webp`); an inactive resource's photo only for the team. */
export async function openResourcePhoto(ctx: AppContext, actor: Actor, file: string) {
  const id = /^([0-9a-f-]{36})\.webp$/.exec(file)?.[1];
  const photo = id && isUuid(id) ? await repo.findPhoto(ctx.db, ctx.territory.id, id) : undefined;
  if (!photo || (!photo.active && !canManageBookings(actor))) throw notFound();
  return { bytes: photo.image, type: IMAGE_TYPE, cache: photo.active ? 'public' : 'private' };
}
