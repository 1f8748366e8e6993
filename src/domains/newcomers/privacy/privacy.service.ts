/**
 * The household's privacy rights and the programme's retention duties. A household asks for deletion from its
 * page; the team answers within the legal month by anonymising the case, which keeps the programme's anonymous
 * figures (stages, settled commune, household size and projects) and removes everything else. Cases past their
 * retention date (privacy.rules.ts) are anonymised by the daily maintenance job.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { listUsersWithAnyRole, revokeRoles } from '../../accounts/index.js';
import { forgetPersonInAudit, recordAudit } from '../../audit/index.js';
import { discardMailsTo } from '../../mail/index.js';
import { caseAnonymisedPoint } from '../cases/index.js';
import { listCaseDocuments, MAX_DOCUMENTS_PER_CASE, removeDocumentFiles } from '../documents/index.js';
import { assertCaseStaff, assertSignedIn } from '../newcomers.policy.js';
import * as repo from './privacy.repo.js';
import { DELETION_DEADLINE_MONTHS, RETENTION_MONTHS, retentionRuleOf } from './privacy.rules.js';
import { caseMailer, isUuid, notFound } from '../newcomers.common.js';
import { ROLE_GROUPS } from '../../../shared/roles.js';

const mail = caseMailer('newcomers.privacy.mail');

/** Keys of audit data that may identify the household (a document's fingerprint, words typed about it). */
const PERSONAL_AUDIT_KEYS = ['sha256', 'email', 'name', 'phone', 'body', 'comment', 'message', 'text', 'filename'] as const;

/** The daily job anonymises at most this many cases per run; the rest wait for the next day. */
const JOB_BATCH = 500;
const PAGE_LIMIT = 200;

/** What the case pages show: the retention date and its rule, the deletion request and its deadline. */
export async function caseRetention(db: Executor, territoryId: number, caseId: string) {
  const r = await repo.findCaseRetention(db, territoryId, caseId, DELETION_DEADLINE_MONTHS);
  if (!r) return null;
  return {
    retentionUntil: r.retention_until,
    rule: retentionRuleOf(r.stage),
    months: RETENTION_MONTHS[retentionRuleOf(r.stage)],
    deletionRequestedAt: r.deletion_requested_at,
    deletionDeadline: r.deletion_deadline,
  };
}
export type CaseRetention = NonNullable<Awaited<ReturnType<typeof caseRetention>>>;

/**
 * The household asks for its case to be deleted. Recorded once (asking again keeps the first date, which starts
 * the legal month); the adviser, or the whole team while nobody follows the case, is told by mail.
 */
export async function requestCaseDeletion(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockOwnLiveCase(trx, actor.territoryId, actor.userId);
    if (!c) throw new AppError('not_found', 'newcomers.my.none');
    if (c.deletion_requested_at) return { requestedAt: c.deletion_requested_at, already: true };
    const now = ctx.clock.now();
    await repo.setDeletionRequested(trx, c.id, now);
    const staff = await listUsersWithAnyRole(trx, actor.territoryId, ROLE_GROUPS.team);
    const adviser = c.adviser_id ? staff.find((s) => s.id === c.adviser_id) : undefined;
    for (const person of adviser ? [adviser] : staff) {
      await mail(trx, ctx, person.email, person.locale, 'deletionRequested', { number: c.number }, `/admin/accueil/${c.id}#donnees`);
    }
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.deletion_requested', subjectType: 'newcomer_case', subjectId: c.id, data: { number: c.number } });
    return { requestedAt: now, already: false };
  });
}

/**
 * The household changes its mind before the team has acted: the request is withdrawn (the case keeps its data and
 * its retention date), and whoever was told of the request is told it no longer stands. Once the case is
 * anonymised there is nothing left to withdraw.
 */
export async function withdrawCaseDeletion(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockOwnLiveCase(trx, actor.territoryId, actor.userId);
    if (!c) throw new AppError('not_found', 'newcomers.my.none');
    if (!c.deletion_requested_at) return { withdrawn: false };
    await repo.setDeletionRequested(trx, c.id, null);
    const staff = await listUsersWithAnyRole(trx, actor.territoryId, ROLE_GROUPS.team);
    const adviser = c.adviser_id ? staff.find((s) => s.id === c.adviser_id) : undefined;
    for (const person of adviser ? [adviser] : staff) {
      await mail(trx, ctx, person.email, person.locale, 'deletionWithdrawn', { number: c.number }, `/admin/accueil/${c.id}#donnees`);
    }
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.deletion_withdrawn', subjectType: 'newcomer_case', subjectId: c.id, data: { number: c.number, requestedAt: c.deletion_requested_at.toISOString() } });
    return { withdrawn: true };
  });
}

/** Anonymises one case inside a transaction; answers null when it is already anonymised. */
async function anonymiseWithin(trx: Executor, ctx: AppContext, actor: Pick<Actor, 'userId' | 'territoryId'>, caseId: string, reason: 'request' | 'retention' | 'staff' | 'erasure') {
  const c = await repo.lockCaseForAnonymising(trx, actor.territoryId, caseId);
  if (!c) throw notFound();
  if (c.anonymised_at) return null;
  const now = ctx.clock.now();
  const contactEmail = c.contact_user_id ? await repo.findContactEmail(trx, c.contact_user_id) : null;
  const documents = await repo.anonymiseCaseRows(trx, c.id, now);
  for (const unlink of ctx.extensions.all(caseAnonymisedPoint)) await unlink(trx, ctx, { territoryId: actor.territoryId, caseId: c.id });
  // Mails to the household still in the outbox go with the rest; older log entries about the case keep what
  // happened and when, not who the household is.
  if (contactEmail) await discardMailsTo(trx, actor.territoryId, contactEmail);
  await forgetPersonInAudit(trx, { subjectType: 'newcomer_case', subjectId: c.id, personId: c.contact_user_id, keys: PERSONAL_AUDIT_KEYS });
  // The account stays (it may be a member's); it is no longer a candidate of this programme.
  if (c.contact_user_id) await revokeRoles(trx, actor.territoryId, c.contact_user_id, ['candidate']);
  await recordAudit(trx, ctx, actor, {
    action: 'newcomer_case.anonymised',
    subjectType: 'newcomer_case',
    subjectId: c.id,
    data: { number: c.number, reason: c.deletion_requested_at && reason !== 'retention' ? 'request' : reason, documents: documents.length },
  });
  return documents;
}

/** The team anonymises a case (after a deletion request, or earlier than its retention date). */
export async function anonymiseCase(ctx: AppContext, actor: Actor, caseId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  const documents = await ctx.db.transaction().execute((trx) => anonymiseWithin(trx, ctx, actor, caseId, 'staff'));
  // Files go once the rows are gone for good; a crash in between leaves orphan files, never rows without files.
  if (documents?.length) await removeDocumentFiles(ctx.config.dataDir, actor.territoryId, documents);
  return { anonymised: documents !== null };
}

/**
 * The daily job's part: every case past its retention date is anonymised, each in its own transaction and
 * audited with no person as actor. Running it twice changes nothing the second time.
 */
export async function anonymiseCasesPastRetention(ctx: AppContext) {
  const ids = await repo.listCasesPastRetention(ctx.db, ctx.territory.id, ctx.clock.now(), JOB_BATCH);
  return anonymiseEachAsSystem(ctx, ids, 'retention');
}

/** Anonymises each case in its own transaction, with no person as actor; returns how many changed. */
async function anonymiseEachAsSystem(ctx: AppContext, ids: readonly string[], reason: 'retention' | 'erasure') {
  const system = { userId: null, territoryId: ctx.territory.id };
  let count = 0;
  for (const id of ids) {
    const documents = await ctx.db.transaction().execute((trx) => anonymiseWithin(trx, ctx, system, id, reason));
    if (documents === null) continue;
    count++;
    if (documents.length) await removeDocumentFiles(ctx.config.dataDir, system.territoryId, documents);
  }
  return count;
}

/**
 * The person's data is erased (modules' `erasePersonalData`): every case whose contact they are is anonymised as
 * the team would, each in its own transaction, audited with no person as actor. Returns how many changed.
 */
export async function eraseCasesOfContact(ctx: AppContext, userId: string) {
  return anonymiseEachAsSystem(ctx, await repo.listLiveCasesOfContact(ctx.db, ctx.territory.id, userId), 'erasure');
}

/** /admin/accueil/conservation: pending deletion requests and cases past their retention date. */
export async function getRetentionWork(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  const now = ctx.clock.now();
  const rows = await repo.listRetentionWork(ctx.db, actor.territoryId, now, DELETION_DEADLINE_MONTHS, PAGE_LIMIT);
  return {
    requests: rows.filter((r) => r.deletion_requested_at),
    expired: rows.filter((r) => !r.deletion_requested_at),
    now,
    limit: PAGE_LIMIT,
  };
}

/** The household's documents and deletion request, for its page and its JSON export (the caller checked ownership). */
export async function ownRecords(ctx: AppContext, territoryId: number, caseId: string) {
  const [documents, retention] = await Promise.all([listCaseDocuments(ctx.db, caseId), caseRetention(ctx.db, territoryId, caseId)]);
  return { documents, deletionRequestedAt: retention?.deletionRequestedAt ?? null, maxBytes: ctx.config.documentMaxBytes, maxDocuments: MAX_DOCUMENTS_PER_CASE };
}

/** The team's view of a case's documents and retention, loaded with the case page (the caller checked the role). */
export async function staffRecords(ctx: AppContext, territoryId: number, caseId: string) {
  const [documents, retention] = await Promise.all([listCaseDocuments(ctx.db, caseId), caseRetention(ctx.db, territoryId, caseId)]);
  return { documents, retention, maxBytes: ctx.config.documentMaxBytes, maxDocuments: MAX_DOCUMENTS_PER_CASE, now: ctx.clock.now() };
}
export type StaffRecords = Awaited<ReturnType<typeof staffRecords>>;
export type OwnRecords = Awaited<ReturnType<typeof ownRecords>>;
