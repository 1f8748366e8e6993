/** SQL of the plans. */
import type { Executor } from '../../../context.js';
import type { PlanPeriod } from '../../../db/schema.js';

export const listPlans = (db: Executor, territoryId: number, opts: { activeOnly?: boolean } = {}) => {
  let q = db.selectFrom('member_plan').selectAll().where('territory_id', '=', territoryId);
  if (opts.activeOnly) q = q.where('archived_at', 'is', null);
  return q.orderBy('archived_at', (ob) => ob.nullsFirst()).orderBy('price_cents').orderBy('name').execute();
};

export type PlanRow = Awaited<ReturnType<typeof listPlans>>[number];

export const findPlan = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('member_plan').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export interface PlanColumns {
  name: string;
  price_cents: number;
  period: PlanPeriod;
  needs_approval: boolean;
}

export const insertPlan = (db: Executor, territoryId: number, c: PlanColumns, now: Date) =>
  db.insertInto('member_plan').values({ territory_id: territoryId, ...c, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();

export const updatePlan = (db: Executor, id: number, c: PlanColumns & { archived_at: Date | null }, now: Date) =>
  db.updateTable('member_plan').set({ ...c, updated_at: now }).where('id', '=', id).execute();

export const planNameTaken = async (db: Executor, territoryId: number, name: string, exceptId?: number) => {
  let q = db.selectFrom('member_plan').select('id').where('territory_id', '=', territoryId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
};
