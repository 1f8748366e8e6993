/** The door list's forms and the figures' query: French names at the edge, typed English input inside. */
import { z } from 'zod';
import { blankToUndefined, isIsoDate } from '../../../shared/input.js';
import { parisTime } from '../../../shared/time.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The search box: a wrong value is ignored, never an error. */
export const DoorQuery = z.object({ q: z.preprocess(blankToUndefined, z.string().trim().max(80).refine((s) => !CONTROL.test(s)).optional().catch(undefined)) });

export const AttendanceForm = z.object({ presence: z.enum(['present', 'absent', 'aucun'], { error: 'errors.invalid_field' }) }).transform((v) => (v.presence === 'aucun' ? null : v.presence));

export const WalkInForm = z
  .object({
    nom: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.too_long').refine((s) => !CONTROL.test(s), 'events.form.control')),
    email: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' })).optional()),
  })
  .transform((v) => ({ name: v.nom, email: v.email }));
export type WalkInInput = z.output<typeof WalkInForm>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const month = z.preprocess(blankToUndefined, z.string().regex(MONTH).optional().catch(undefined));

/** The figures' period, in whole Paris months (`de`, `a` as YYYY-MM): the last twelve months when not given. */
export const FiguresQuery = z.object({ de: month, a: month }).transform((v) => {
  const first = (m: string) => parisTime(`${m}-01`, 0);
  const after = (m: string) => {
    const [y, mo] = m.split('-').map(Number);
    return parisTime(mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`, 0);
  };
  return { from: v.de && isIsoDate(`${v.de}-01`) ? first(v.de) : undefined, to: v.a ? after(v.a) : undefined, de: v.de, a: v.a };
});
export type FiguresQuery = { from?: Date; to?: Date };
