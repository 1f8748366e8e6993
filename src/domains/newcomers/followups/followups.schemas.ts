/** The follow-up check-in form, answered by the household online or taken by staff on the phone. */
import { z } from 'zod';
import { blankToUndefined } from '../../../shared/input.js';

export const FOLLOWUP_MONTHS = [1, 6, 12] as const;
export const STILL_LIVING = ['yes', 'moved_within', 'left'] as const;
export const WORK_SITUATIONS = ['as_planned', 'under_way', 'looking', 'changed', 'other'] as const;

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(blankToUndefined, z.enum(values, { error: 'newcomers.followups.choose' }));

export const FollowUpAnswerForm = z
  .object({
    followUpId: z.preprocess(blankToUndefined, z.coerce.number({ error: 'newcomers.followups.choose' }).int('newcomers.followups.choose').positive('newcomers.followups.choose').max(2_147_483_647, 'newcomers.followups.choose')),
    stillLiving: choice(STILL_LIVING),
    satisfaction: choice(['1', '2', '3', '4', '5']),
    housingSettled: choice(['yes', 'no']),
    workSituation: choice(WORK_SITUATIONS),
    comment: z.preprocess(blankToUndefined, z.string().trim().max(2000, 'errors.too_long').optional()),
  })
  .transform((v) => ({ ...v, satisfaction: Number(v.satisfaction), housingSettled: v.housingSettled === 'yes' }));
export type FollowUpAnswer = z.output<typeof FollowUpAnswerForm>;
