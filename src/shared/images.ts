/**
 * An uploaded image made safe to show, whatever it illustrates (a member's photo, an event's cover): the upload
 * must really be a JPEG, PNG or WebP (its first bytes, then a full decode by sharp, which refuses a truncated file
 * and, through `limitInputPixels`, a decompression bomb); it is turned upright, cropped to each size asked for,
 * resized and re-encoded to WebP. Nothing of the original file survives: sharp writes no metadata unless asked, so
 * the camera, the date and the EXIF GPS position are gone.
 */
import sharp from 'sharp';
import { sniffType } from './uploads.js';

export const IMAGE_TYPE = 'image/webp';
/** At most this many pixels decoded (a 48-megapixel phone photo passes; a 20,000 × 20,000 PNG of a few kB does not). */
export const MAX_INPUT_PIXELS = 50_000_000;

export type ImageRefusal = 'badType' | 'unreadable' | 'tooManyPixels';
export class ImageRefused extends Error {
  constructor(readonly reason: ImageRefusal) {
    super(`image refused: ${reason}`);
  }
}

/** One output: cropped to width × height around what draws the eye, on the site's paper colour where transparent. */
export interface ImageSize {
  width: number;
  height: number;
}

/** The upload re-encoded to WebP in each size, in the order given, or ImageRefused. */
export async function reencodeImage(upload: Buffer, sizes: readonly ImageSize[]): Promise<Buffer[]> {
  const type = sniffType(upload.subarray(0, 16));
  if (type !== 'image/jpeg' && type !== 'image/png' && type !== 'image/webp') throw new ImageRefused('badType');
  const input = sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', sequentialRead: true });
  let format: string | undefined;
  try {
    format = (await input.metadata()).format;
  } catch (error) {
    throw new ImageRefused(/pixel limit/i.test(String(error)) ? 'tooManyPixels' : 'unreadable');
  }
  // The first bytes and the decoder must agree (a PNG header on a JPEG body, say, is not an image to keep).
  if (format !== { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' }[type]) throw new ImageRefused('badType');
  const encode = (size: ImageSize) =>
    input
      .clone()
      .rotate() // upright from the EXIF orientation, before the metadata goes
      .resize(size.width, size.height, { fit: 'cover', position: 'attention' })
      .flatten({ background: '#fbf8f1' })
      .webp({ quality: 80, effort: 4 })
      .toBuffer();
  try {
    return await Promise.all(sizes.map(encode));
  } catch (error) {
    throw new ImageRefused(/pixel limit/i.test(String(error)) ? 'tooManyPixels' : 'unreadable');
  }
}
