/** The plan form (admins): name, price in euros, period, approval, archived. */
import { z } from 'zod';
import type { PlanPeriod } from '../../../db/schema.js';
import { blankToUndefined, fieldReader } from '../../../shared/input.js';
import { centsOf } from '../members.common.js';
import { checked, requiredText } from '../members.schemas.js';

export const PLAN_PERIODS = ['calendar_year', 'twelve_months'] as const satisfies readonly PlanPeriod[];

export interface PlanInput {
  name: string;
  priceCents: number;
  period: PlanPeriod;
  needsApproval: boolean;
  archived: boolean;
}

export const PlanForm = z.record(z.string(), z.unknown()).transform((raw, ctx): PlanInput => {
  const { take, need } = fieldReader(raw, ctx);
  const name = take('name', requiredText(80));
  const priceCents = take(
    'price',
    z.preprocess(blankToUndefined, z.string({ error: 'members.plans.priceRequired' }).transform((s, c) => {
      const cents = centsOf(s);
      if (cents === null || cents > 10_000_000) {
        c.addIssue({ code: 'custom', message: 'members.plans.priceInvalid' });
        return z.NEVER;
      }
      return cents;
    })),
  );
  const period = take('period', z.enum(PLAN_PERIODS, { error: 'members.plans.periodRequired' }));
  need('name', name);
  need('price', priceCents, 'members.plans.priceRequired');
  need('period', period, 'members.plans.periodRequired');
  return { name: name!, priceCents: priceCents!, period: period!, needsApproval: checked.parse(raw.needsApproval), archived: checked.parse(raw.archived) };
});

export const planToFormValues = (p: { name: string; price_cents: number; period: string; needs_approval: boolean; archived_at: Date | null }, euros: (c: number) => string) => ({
  name: p.name,
  price: euros(p.price_cents),
  period: p.period,
  needsApproval: p.needs_approval ? '1' : '',
  archived: p.archived_at ? '1' : '',
});
