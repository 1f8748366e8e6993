/** The plans room: what a membership costs and for how long (admins). The other rooms use only this file. */
export { plansRoutes } from './plans.routes.js';
export { createPlan, listActivePlans, listPlansForAdmin, updatePlan, type Plan } from './plans.service.js';
export { findPlan, insertPlan, listPlans, updatePlan as updatePlanRow } from './plans.repo.js';
export type { PlanInput } from './plans.schemas.js';
export * as plansI18n from './plans.i18n.js';
