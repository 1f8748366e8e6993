/** The audit log: services record what they changed in the same transaction; admins read it. */
import type { Actor, AppContext, Executor } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { canReadAudit } from './audit.policy.js';
import { forgetPersonInEntries, insertAuditEvent, insertAuditEvents, listAuditEvents } from './audit.repo.js';

export interface AuditRecord {
  action: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
}

/** Records an entry; call it with the transaction that made the change, so both commit or neither does. */
export function recordAudit(db: Executor, ctx: AppContext, actor: Pick<Actor, 'userId' | 'territoryId'>, entry: AuditRecord) {
  return insertAuditEvent(db, { territoryId: actor.territoryId, actorId: actor.userId, at: ctx.clock.now(), ...entry });
}

/** Records several entries at once (a batch in one transaction, such as an import's payments), in one statement. */
export function recordAudits(db: Executor, ctx: AppContext, actor: Pick<Actor, 'userId' | 'territoryId'>, entries: AuditRecord[]) {
  const at = ctx.clock.now();
  return insertAuditEvents(db, entries.map((entry) => ({ territoryId: actor.territoryId, actorId: actor.userId, at, ...entry })));
}

/** Entries of several actors in one statement (a batch of registrations, each made by its own person). */
export function recordAuditsBy(db: Executor, ctx: AppContext, entries: (AuditRecord & { actor: Pick<Actor, 'userId' | 'territoryId'> })[]) {
  const at = ctx.clock.now();
  return insertAuditEvents(db, entries.map(({ actor, ...entry }) => ({ territoryId: actor.territoryId, actorId: actor.userId, at, ...entry })));
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAudit(ctx: AppContext, actor: Actor, opts: { page: number; action?: string; actorEmail?: string; subjectId?: string }) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canReadAudit(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
  const { rows, total } = await listAuditEvents(ctx.db, {
    territoryId: actor.territoryId,
    action: opts.action,
    actorEmail: opts.actorEmail,
    subjectId: opts.subjectId,
    limit: AUDIT_PAGE_SIZE,
    offset: (opts.page - 1) * AUDIT_PAGE_SIZE,
  });
  return { rows, total, page: opts.page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/**
 * When a record's personal data is anonymised, the log keeps its entries (who did what, when) but forgets the
 * person it was about: they no longer appear as actor on that record, and the personal keys of the entries' data go.
 */
export const forgetPersonInAudit = (db: Executor, entry: { subjectType: string; subjectId: string; personId: string | null; keys: readonly string[] }) => forgetPersonInEntries(db, entry);
