/** One schema per use case. Messages are i18n keys, shown next to the field. */
import { z } from 'zod';
import { CATEGORIES, type GuideCategory } from './guide.categories.js';
import { blankToUndefined } from '../../shared/input.js';

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const BODY_MAX = 100_000;

const text = (max: number) => z.string({ error: 'errors.required' }).trim().max(max, 'errors.too_long');

export const ArticleInput = z.object({
  title: text(200).min(1, 'errors.required'),
  slug: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(120, 'errors.too_long').regex(SLUG_PATTERN, 'guide.errors.slug').optional()),
  category: z.enum(CATEGORIES as [GuideCategory, ...GuideCategory[]], { error: 'guide.errors.category' }),
  summary: z.preprocess((v) => v ?? '', text(600)),
  body: z.string({ error: 'errors.required' }).max(BODY_MAX, 'errors.too_long').refine((v) => v.trim().length > 0, 'errors.required'),
  status: z.enum(['draft', 'published']).catch('draft'),
  note: z.preprocess((v) => v ?? '', text(300)),
  /** The version the editor started from: a save on top of someone else's newer save is refused. */
  version: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
});
export type ArticleInput = z.infer<typeof ArticleInput>;

/** A preview renders whatever is in the form, valid or not yet; only the size is bounded. */
export const PreviewInput = z.object({
  title: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(200).catch('')),
  summary: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(600).catch('')),
  body: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(BODY_MAX, 'errors.too_long')),
});
export type PreviewInput = z.infer<typeof PreviewInput>;

export const ArticleId = z.coerce.number().int().positive().max(2_147_483_647);
export const RevisionNumber = z.coerce.number().int().positive().max(1_000_000);
