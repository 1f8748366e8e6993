/**
 * Plans, set by admins: what a membership costs and how long it lasts. A change applies to dues recorded from
 * then on; past dues carry their own amount and plan name. A plan is archived, never deleted: members keep it
 * until they renew, and no one can choose it any more.
 */
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { recordAudit } from '../../audit/index.js';
import { assertMembershipAdmin } from '../members.policy.js';
import * as repo from './plans.repo.js';
import type { PlanInput } from './plans.schemas.js';

const planNotFound = () => new AppError('not_found', 'members.plans.notFound');

const columnsOf = (input: PlanInput): repo.PlanColumns => ({
  name: input.name,
  price_cents: input.priceCents,
  period: input.period,
  needs_approval: input.needsApproval,
});

async function checkName(ctx: AppContext, territoryId: number, name: string, exceptId?: number) {
  if (await repo.planNameTaken(ctx.db, territoryId, name, exceptId)) throw new AppError('invalid', 'errors.invalid', { name: 'members.plans.nameTaken' });
}

export async function listPlansForAdmin(ctx: AppContext, actor: Actor) {
  assertMembershipAdmin(actor);
  return repo.listPlans(ctx.db, actor.territoryId);
}

export async function getPlanForAdmin(ctx: AppContext, actor: Actor, planId: number) {
  assertMembershipAdmin(actor);
  if (!isRowId(planId)) throw planNotFound();
  const plan = await repo.findPlan(ctx.db, actor.territoryId, planId);
  if (!plan) throw planNotFound();
  return plan;
}

export async function createPlan(ctx: AppContext, actor: Actor, input: PlanInput) {
  assertMembershipAdmin(actor);
  await checkName(ctx, actor.territoryId, input.name);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const row = await repo.insertPlan(trx, actor.territoryId, columnsOf(input), now);
    if (input.archived) await repo.updatePlan(trx, row.id, { ...columnsOf(input), archived_at: now }, now);
    await recordAudit(trx, ctx, actor, { action: 'member_plan.created', subjectType: 'member_plan', subjectId: String(row.id), data: { name: input.name, priceCents: input.priceCents, period: input.period } });
    return row;
  });
}

export async function updatePlan(ctx: AppContext, actor: Actor, planId: number, input: PlanInput) {
  const plan = await getPlanForAdmin(ctx, actor, planId);
  await checkName(ctx, actor.territoryId, input.name, plan.id);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const archivedAt = input.archived ? (plan.archived_at ?? now) : null;
    await repo.updatePlan(trx, plan.id, { ...columnsOf(input), archived_at: archivedAt }, now);
    await recordAudit(trx, ctx, actor, {
      action: 'member_plan.updated',
      subjectType: 'member_plan',
      subjectId: String(plan.id),
      data: { name: input.name, priceCents: input.priceCents, previousPriceCents: plan.price_cents, period: input.period, archived: input.archived },
    });
  });
}

/** The plans an applicant may choose: active ones, cheapest first. */
export const listActivePlans = (ctx: AppContext) => repo.listPlans(ctx.db, ctx.territory.id, { activeOnly: true });

export type Plan = repo.PlanRow;
