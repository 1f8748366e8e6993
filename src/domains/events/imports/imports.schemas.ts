/** The staff's form to follow a feed: a name, an http(s) URL, a default commune, how often it is fetched again. */
import { z } from 'zod';
import { INSEE, blankToUndefined } from '../../../shared/input.js';

/** How often a feed may be fetched again on its own, in hours (0: only by hand). */
export const REFRESH_CHOICES = [0, 1, 6, 12, 24, 168] as const;
export const DEFAULT_REFRESH_HOURS = 6;

const CONTROL = /[\u0000-\u001f\u007f]/;

export const SourceForm = z
  .object({
    nom: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(160, 'errors.too_long').refine((s) => !CONTROL.test(s), 'events.form.control')),
    url: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'events.imports.urlInvalid' })
        .trim()
        .max(1000, 'errors.too_long')
        .refine((s) => {
          try {
            const u = new URL(s);
            return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password && !CONTROL.test(s);
          } catch {
            return false;
          }
        }, 'events.imports.urlInvalid'),
    ),
    commune: z.preprocess(blankToUndefined, z.string({ error: 'events.form.communeRequired' }).trim().regex(INSEE, 'events.form.communeRequired')),
    actualisation: z.preprocess((v) => blankToUndefined(v) ?? String(DEFAULT_REFRESH_HOURS), z.enum(REFRESH_CHOICES.map(String) as [string, ...string[]], { error: 'events.imports.refreshInvalid' })),
  })
  .transform((v) => ({ name: v.nom, url: v.url, insee: v.commune, refreshHours: Number(v.actualisation) }));
export type SourceInput = z.output<typeof SourceForm>;
