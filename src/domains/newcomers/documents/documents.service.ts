/**
 * Case documents (identity papers, payslips, a lease, photos of a house): the household and the team upload PDF,
 * JPEG, PNG or WebP files to a case; only the household itself and the team read them, partners never. Every
 * use case checks who acts before reading anything, and the bytes never go through the database nor the audit.
 */
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import type { UploadSource as SharedUploadSource } from '../../../shared/uploads.js';
import { recordAudit } from '../../audit/index.js';
import * as repo from './documents.repo.js';
import * as storage from './documents.storage.js';
import { assertCaseStaff, assertSignedIn, canManageCases, isCaseOwner } from '../newcomers.policy.js';
import { isUuid, notFound } from '../newcomers.common.js';

export type { DocumentRow } from './documents.repo.js';

/** At most this many documents per case: a case file, not a file store. */
export const MAX_DOCUMENTS_PER_CASE = 40;

const fileError = (key: string, params: Record<string, string | number> = {}) => new AppError('invalid', key, { file: key }, params);
/** The message an upload cut at the size limit carries (answered with 413). */
export const TOO_LARGE = 'newcomers.documents.tooLarge';

/** Where an upload's bytes come from (src/shared/uploads.ts): here, streamed to a temporary file. */
export type UploadSource = SharedUploadSource<storage.ReceivedFile>;

type Target = { own: true } | { caseId: string };

/** Who may add to which case: the household to its own, the team to any live case of the territory. */
async function caseForUpload(ctx: AppContext, actor: Actor, target: Target) {
  assertSignedIn(actor);
  if ('own' in target) {
    const c = await repo.findOwnLiveCase(ctx.db, actor.territoryId, actor.userId);
    if (!c) throw new AppError('not_found', 'newcomers.my.none');
    if (!isCaseOwner(actor, c)) throw new AppError('forbidden', 'errors.forbidden.text');
    return { c, fromStaff: false };
  }
  assertCaseStaff(actor);
  if (!isUuid(target.caseId)) throw notFound();
  const c = await repo.findLiveCase(ctx.db, actor.territoryId, target.caseId);
  if (!c) throw notFound();
  return { c, fromStaff: true };
}

async function upload(ctx: AppContext, actor: Actor, target: Target, source: UploadSource) {
  const { c, fromStaff } = await caseForUpload(ctx, actor, target);
  const territoryId = actor.territoryId;
  const { dataDir } = ctx.config;
  if ((await repo.countDocuments(ctx.db, c.id)) >= MAX_DOCUMENTS_PER_CASE) throw fileError('newcomers.documents.tooMany', { max: MAX_DOCUMENTS_PER_CASE });
  const got = await source((stream) => storage.receiveToTemp(dataDir, territoryId, stream));
  if (!got) throw fileError('newcomers.documents.missing');
  const { file } = got;
  try {
    if (got.truncated) throw fileError(TOO_LARGE, { max: Math.floor(ctx.config.documentMaxBytes / (1024 * 1024)) });
    if (file.size === 0) throw fileError('newcomers.documents.empty');
    const type = file.type;
    if (!type) throw fileError('newcomers.documents.badType');
    const name = storage.sanitiseFileName(got.filename, type);
    return await ctx.db.transaction().execute(async (trx) => {
      const locked = await repo.lockLiveCase(trx, territoryId, c.id);
      if (!locked) throw notFound();
      if ((await repo.countDocuments(trx, c.id)) >= MAX_DOCUMENTS_PER_CASE) throw fileError('newcomers.documents.tooMany', { max: MAX_DOCUMENTS_PER_CASE });
      const now = ctx.clock.now();
      await repo.insertDocument(trx, { id: file.id, territoryId, caseId: c.id, name, type, size: file.size, sha256: file.sha256, by: actor.userId!, fromStaff, now });
      // What the file is, never what it holds: no content, no name (a name can be personal).
      await recordAudit(trx, ctx, actor, {
        action: 'newcomer_case.document_added',
        subjectType: 'newcomer_case',
        subjectId: c.id,
        data: { document: file.id, type, size: file.size, sha256: file.sha256, from: fromStaff ? 'staff' : 'household' },
      });
      // Moved in place before the commit: if the move fails nothing is recorded; if the commit fails the file goes.
      await storage.keepReceived(dataDir, territoryId, file);
      return { id: file.id, name, type, size: file.size };
    });
  } catch (error) {
    await storage.discardReceived(dataDir, territoryId, file);
    throw error;
  }
}

/** The household adds a document to its own case. */
export const uploadMyDocument = (ctx: AppContext, actor: Actor, source: UploadSource) => upload(ctx, actor, { own: true }, source);

/** The team adds a document to a case. */
export const uploadCaseDocument = (ctx: AppContext, actor: Actor, caseId: string, source: UploadSource) => upload(ctx, actor, { caseId }, source);

/** The documents of a case, for the team's case page (the caller has checked the team's role). */
export const listCaseDocuments = repo.listDocuments;

/**
 * A document's bytes, for the household that owns the case or the team. Anyone else is refused whether or not
 * the document exists; the same id under another case in the URL is not found.
 */
export async function openCaseDocument(ctx: AppContext, actor: Actor, documentId: string, caseId?: string) {
  assertSignedIn(actor);
  const staff = canManageCases(actor);
  if (caseId !== undefined && !staff) throw new AppError('forbidden', 'errors.forbidden.text');
  if (!staff && !actor.roles.has('candidate')) throw new AppError('forbidden', 'errors.forbidden.text');
  if (!isUuid(documentId)) throw notFound();
  const doc = await repo.findDocument(ctx.db, actor.territoryId, documentId);
  if (!doc || (caseId !== undefined && doc.case_id !== caseId)) throw notFound();
  if (!staff && !isCaseOwner(actor, doc)) throw notFound();
  const stream = await storage.openDocumentFile(ctx.config.dataDir, actor.territoryId, doc.id);
  if (!stream) throw notFound();
  return { name: doc.original_name, type: doc.content_type, size: doc.size_bytes, stream };
}

/** The team removes a document: the row and its audit entry commit together, then the file goes. */
export async function deleteCaseDocument(ctx: AppContext, actor: Actor, caseId: string, documentId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId) || !isUuid(documentId)) throw notFound();
  const territoryId = actor.territoryId;
  const removed = await ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockLiveCase(trx, territoryId, caseId);
    if (!c) throw notFound();
    const doc = await repo.deleteDocument(trx, c.id, documentId);
    if (!doc) throw notFound();
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.document_deleted', subjectType: 'newcomer_case', subjectId: c.id, data: { document: doc.id, type: doc.content_type, size: doc.size_bytes } });
    return doc.id;
  });
  await storage.removeDocumentFiles(ctx.config.dataDir, territoryId, [removed]);
}
