/**
 * A member's photo, made safe to show: the upload must really be a JPEG, PNG or WebP (its first bytes, then a
 * full decode by sharp, which refuses a truncated file and, through `limitInputPixels`, a decompression bomb);
 * it is turned upright, cropped square, resized and re-encoded to WebP. Nothing of the original file survives:
 * sharp writes no metadata unless asked, so the camera, the date and the EXIF GPS position are gone.
 */
import sharp from 'sharp';
import { sniffType } from '../../../shared/uploads.js';

/** The two sizes kept: the entry's page and the directory's list. */
export const PHOTO_SIZES = { large: 400, small: 96 } as const;
export type PhotoSize = keyof typeof PHOTO_SIZES;
export const PHOTO_TYPE = 'image/webp';
/** At most this many pixels decoded (a 48-megapixel phone photo passes; a 20,000 × 20,000 PNG of a few kB does not). */
export const MAX_INPUT_PIXELS = 50_000_000;

export type PhotoRefusal = 'badType' | 'unreadable' | 'tooManyPixels';
export class PhotoRefused extends Error {
  constructor(readonly reason: PhotoRefusal) {
    super(`photo refused: ${reason}`);
  }
}

/** The upload re-encoded in both sizes, or PhotoRefused. */
export async function makePhoto(upload: Buffer): Promise<Record<PhotoSize, Buffer>> {
  const type = sniffType(upload.subarray(0, 16));
  if (type !== 'image/jpeg' && type !== 'image/png' && type !== 'image/webp') throw new PhotoRefused('badType');
  const input = sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', sequentialRead: true });
  let format: string | undefined;
  try {
    format = (await input.metadata()).format;
  } catch (error) {
    throw new PhotoRefused(/pixel limit/i.test(String(error)) ? 'tooManyPixels' : 'unreadable');
  }
  // The first bytes and the decoder must agree (a PNG header on a JPEG body, say, is not a photo).
  if (format !== { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' }[type]) throw new PhotoRefused('badType');
  const encode = (side: number) =>
    input
      .clone()
      .rotate() // upright from the EXIF orientation, before the metadata goes
      .resize(side, side, { fit: 'cover', position: 'attention' })
      .flatten({ background: '#fbf8f1' })
      .webp({ quality: 80, effort: 4 })
      .toBuffer();
  try {
    const [large, small] = await Promise.all([encode(PHOTO_SIZES.large), encode(PHOTO_SIZES.small)]);
    return { large, small };
  } catch (error) {
    throw new PhotoRefused(/pixel limit/i.test(String(error)) ? 'tooManyPixels' : 'unreadable');
  }
}
