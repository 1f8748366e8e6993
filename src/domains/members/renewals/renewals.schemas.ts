/** The reminder offsets (admins) and the member's renewal (plan). */
import { z } from 'zod';
import { blankToUndefined } from '../../../shared/input.js';
import { rowId } from '../members.schemas.js';

export const MAX_OFFSETS = 6;

/** "30, 7, -7": days before expiry, negative after; at most six distinct whole numbers within a year. */
export const OffsetsForm = z.object({
  offsets: z.preprocess(
    blankToUndefined,
    z.string({ error: 'members.reminders.offsetsRequired' }).transform((s, c) => {
      const parts = s.split(/[\s,;]+/).filter(Boolean);
      const numbers = parts.map((p) => (/^[+-]?\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
      if (!parts.length || numbers.some((n) => Number.isNaN(n) || n < -365 || n > 365)) {
        c.addIssue({ code: 'custom', message: 'members.reminders.offsetsInvalid' });
        return z.NEVER;
      }
      const unique = [...new Set(numbers)].sort((a, b) => b - a);
      if (unique.length > MAX_OFFSETS) {
        c.addIssue({ code: 'custom', message: 'members.reminders.offsetsTooMany' });
        return z.NEVER;
      }
      return unique;
    }),
  ),
});

export const RenewForm = z.object({ planId: rowId('members.join.planRequired') });
