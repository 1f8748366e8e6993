/** Builders for the members' tests: plans, applications, approved members with dues. Used by tests only. */
import type { Actor, AppContext } from '../../context.js';
import type { PlanPeriod } from '../../db/schema.js';
import { applyForMembership, approveApplication, type ApplicationInput } from './joining/index.js';
import { recordPayment } from './dues/index.js';
import { insertPlan } from './plans/index.js';

export async function makePlan(ctx: AppContext, opts: { name?: string; priceCents?: number; period?: PlanPeriod; needsApproval?: boolean } = {}) {
  const row = await insertPlan(
    ctx.db,
    ctx.territory.id,
    { name: opts.name ?? 'Individuel', price_cents: opts.priceCents ?? 3000, period: opts.period ?? 'twelve_months', needs_approval: opts.needsApproval ?? true },
    ctx.clock.now(),
  );
  return row.id;
}

export const applicationInput = (planId: number, overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
  firstName: 'Camille',
  lastName: 'Dubois',
  email: 'camille.dubois@exemple.fr',
  activity: 'Développeuse web indépendante',
  insee: '32013',
  planId,
  ...overrides,
});

export const anonymousActor = (ctx: AppContext) => ({ userId: null, territoryId: ctx.territory.id, roles: new Set<never>() });

/** A visitor applies, staff approve and (optionally) record a payment on `paidOn`. */
export async function approvedMember(
  ctx: AppContext,
  staff: Actor,
  planId: number,
  overrides: Partial<ApplicationInput> = {},
  paidOn?: string,
) {
  const applied = await applyForMembership(ctx, anonymousActor(ctx), applicationInput(planId, overrides), 'fr');
  if (!applied.approved) await approveApplication(ctx, staff, applied.memberId);
  const payment = paidOn ? await recordPayment(ctx, staff, applied.memberId, { method: 'cheque', amountCents: 3000, paidOn }) : null;
  return { ...applied, payment };
}
