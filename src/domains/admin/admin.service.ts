import type { Actor, AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { canSeeBackOffice } from '../accounts/index.js';
import { dashboardCounts } from './admin.repo.js';

export async function getDashboard(ctx: AppContext, actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canSeeBackOffice(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
  return dashboardCounts(ctx.db, actor.territoryId);
}
