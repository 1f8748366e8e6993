/**
 * A member's photo, made safe to show by the shared image pipeline (`src/shared/images.ts`: type checked by its
 * first bytes and a full decode, upright, re-encoded to WebP without any metadata), cropped square in two sizes.
 */
import { IMAGE_TYPE, ImageRefused, reencodeImage, type ImageRefusal } from '../../../shared/images.js';

export { MAX_INPUT_PIXELS } from '../../../shared/images.js';

/** The two sizes kept: the entry's page and the directory's list. */
export const PHOTO_SIZES = { large: 400, small: 96 } as const;
export type PhotoSize = keyof typeof PHOTO_SIZES;
export const PHOTO_TYPE = IMAGE_TYPE;

export type PhotoRefusal = ImageRefusal;
export { ImageRefused as PhotoRefused };

/** The upload re-encoded in both sizes, or PhotoRefused. */
export async function makePhoto(upload: Buffer): Promise<Record<PhotoSize, Buffer>> {
  const [large, small] = await reencodeImage(upload, [
    { width: PHOTO_SIZES.large, height: PHOTO_SIZES.large },
    { width: PHOTO_SIZES.small, height: PHOTO_SIZES.small },
  ]);
  return { large, small };
}
