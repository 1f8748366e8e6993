/**
 * Importing the existing member list, in three steps: the team uploads a CSV or XLSX (kept here, parsed once);
 * when the tool is not recognised they say which column holds which field; the dry run tells, line by line, what
 * would be created, updated, left unchanged or rejected and why. The apply runs the same review inside one
 * transaction and does it all or nothing, with one audit entry. Members are matched by e-mail and each imported
 * payment carries a reference computed from its line, so importing the same file again changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Actor, AppContext, Executor } from '../../../context.js';
import { isUniqueViolation } from '../../../db/errors.js';
import type { MemberState, PaymentMethod } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { recordAudit } from '../../audit/index.js';
import { payableDayProblem, recordImportedPayments } from '../dues/index.js';
import { admitImportedMembers, type ImportedMemberInput } from '../joining/index.js';
import { isUuid, notFound } from '../members.common.js';
import { assertMemberStaff } from '../members.policy.js';
import { listPlans } from '../plans/index.js';
import { EMAIL_PATTERN, guessMapping, isUsableMapping, kindOf, detectSource, normalised, readAmount, readDay, readMethod, readTable, splitFullName, TARGET_FIELDS, type Mapping } from './imports.formats.js';
import * as repo from './imports.repo.js';

/** The largest file accepted: a list of 20,000 lines with a dozen columns fits well within it. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** An upload nobody applied is deleted after a day, with the personal data in its lines. */
const DRAFT_LIFETIME_MS = 24 * 3600 * 1000;
export const TOO_LARGE = 'members.import.tooLarge';
/** Lines written per batch in the apply: well within PostgreSQL's 65,535 parameters a statement (19 a member). */
const APPLY_BATCH = 500;

const fileError = (key: string) => new AppError('invalid', 'errors.invalid', { file: key });
const importNotFound = () => new AppError('not_found', 'members.import.notFound');

export interface UploadedFile {
  name: string;
  bytes: Buffer;
  /** Cut at the size limit while it streamed. */
  truncated: boolean;
}

/** The team imports; checked before an upload is even read. */
export function assertCanImport(actor: Actor) {
  assertMemberStaff(actor);
}

/**
 * Keeps an uploaded list for its dry run. The file is read at once, so a broken one is refused here with a
 * French message; a recognised export (or any file whose column names we know) goes straight to its dry run.
 */
export async function uploadMemberList(ctx: AppContext, actor: Actor, file: UploadedFile | null, defaultMethod: PaymentMethod) {
  assertMemberStaff(actor);
  if (!file || !file.name) throw fileError('members.import.fileMissing');
  if (file.truncated || file.bytes.length > IMPORT_MAX_BYTES) throw fileError(TOO_LARGE);
  if (file.bytes.length === 0) throw fileError('members.import.empty');
  const kind = kindOf(file.name, file.bytes);
  const { headers, rows } = await readTable(kind, file.bytes);
  const source = detectSource(headers);
  const guess = guessMapping(headers);
  const now = ctx.clock.now();
  await repo.deleteStaleImports(ctx.db, actor.territoryId, new Date(now.getTime() - DRAFT_LIFETIME_MS));
  const row = await repo.insertImport(ctx.db, {
    territoryId: actor.territoryId,
    uploadedBy: actor.userId,
    fileName: file.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(-200) || 'fichier',
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    source,
    headers,
    rows,
    // Known column names go straight to the dry run, which shows the columns read (and a link to change them);
    // a file whose e-mail or name columns are not found is mapped by a person first.
    mapping: isUsableMapping(guess) ? guess : null,
    defaultMethod,
    now,
  });
  return { id: row.id, needsMapping: !isUsableMapping(guess) };
}

async function draftFor(db: Executor, actor: Actor, importId: string) {
  if (!isUuid(importId)) throw importNotFound();
  const draft = await repo.findImport(db, actor.territoryId, importId);
  if (!draft) throw importNotFound();
  return draft;
}

/** The mapping screen: the file's columns, a few sample values each, and the current or guessed choice per field. */
export async function getMappingForm(ctx: AppContext, actor: Actor, importId: string) {
  assertMemberStaff(actor);
  const draft = await draftFor(ctx.db, actor, importId);
  if (draft.applied_at) throw new AppError('conflict', 'members.import.alreadyApplied');
  const samples = draft.headers.map((_, i) => draft.rows.map((r) => r[i]).filter((v) => v !== '').slice(0, 3));
  return { id: draft.id, fileName: draft.file_name, source: draft.source, headers: draft.headers, samples, mapping: (draft.mapping ?? guessMapping(draft.headers)) as Mapping, defaultMethod: draft.default_method };
}

/** Saves the columns the team chose; the e-mail and the name are needed, and one column serves one field. */
export async function chooseColumns(ctx: AppContext, actor: Actor, importId: string, mapping: Mapping, defaultMethod: PaymentMethod) {
  assertMemberStaff(actor);
  const draft = await draftFor(ctx.db, actor, importId);
  if (draft.applied_at) throw new AppError('conflict', 'members.import.alreadyApplied');
  const errors: Record<string, string> = {};
  const seen = new Map<number, string>();
  for (const field of TARGET_FIELDS) {
    const index = mapping[field];
    if (index === undefined) continue;
    if (index >= draft.headers.length) errors[field] = 'members.import.columnUnknown';
    else if (seen.has(index)) errors[field] = 'members.import.columnTwice';
    else seen.set(index, field);
  }
  if (mapping.email === undefined) errors.email = 'members.import.emailColumnRequired';
  if (mapping.fullName === undefined && mapping.firstName === undefined) errors.firstName = 'members.import.nameColumnRequired';
  if (mapping.fullName === undefined && mapping.lastName === undefined) errors.lastName = 'members.import.nameColumnRequired';
  if (Object.keys(errors).length) throw new AppError('invalid', 'errors.invalid', errors);
  await repo.setMapping(ctx.db, draft.id, mapping as Record<string, number>, defaultMethod);
}

export type Outcome = 'create' | 'update' | 'unchanged' | 'rejected';
export interface Reason {
  key: string;
  params?: Record<string, string | number>;
}

/** One line of the file as the dry run reads it. */
export interface LineReport {
  /** The line's number in the file as a spreadsheet shows it (the column names are line 1). */
  line: number;
  email: string;
  name: string;
  outcome: Outcome;
  reasons: Reason[];
  /** Fields an update changes, and their new values. */
  changes: string[];
  set: repo.MemberChanges;
  /** Dues the line records (none when already recorded, or when the line gives no payment day). */
  dues: { paidOn: string; amountCents: number; method: PaymentMethod; reference: string } | null;
  member: ImportedMemberInput | null;
  memberId: string | null;
}

export interface ImportSummary {
  lines: number;
  create: number;
  update: number;
  unchanged: number;
  rejected: number;
  dues: number;
}

const INSEE = /^(\d{5}|2[AB]\d{3})$/i;
const PHONE = /^\+?[0-9 ().-]{4,30}$/;

/** The stable reference of a line's dues: the same person, day and amount give the same reference in every upload. */
const duesReference = (territoryId: number, email: string, paidOn: string, cents: number) =>
  `imp-${createHash('sha256').update(`${territoryId}|${email}|${paidOn}|${cents}`).digest('hex').slice(0, 32)}`;

/**
 * The dry run: every line checked against the file itself (an address twice), the territory's communes and plans,
 * and the members and dues already recorded. Reads only; the apply calls it again inside its transaction.
 */
async function reviewLines(db: Executor, ctx: AppContext, territoryId: number, draft: repo.ImportRow): Promise<LineReport[]> {
  const mapping = draft.mapping as Mapping;
  const cell = (row: string[], field: keyof Mapping) => (mapping[field] === undefined ? '' : (row[mapping[field]!] ?? '').trim());
  const rows = draft.rows;
  const emails = rows.map((r) => cell(r, 'email').toLowerCase());
  const linesOf = new Map<string, number[]>();
  emails.forEach((e, i) => e && linesOf.set(e, [...(linesOf.get(e) ?? []), i + 2]));
  const valid = [...linesOf.keys()].filter((e) => EMAIL_PATTERN.test(e) && e.length <= 254);

  const [plans, communes, members, accounts] = await Promise.all([
    listPlans(db, territoryId),
    repo.listCommunes(db, territoryId),
    repo.listMembersByEmail(db, territoryId, valid),
    repo.listAccountsByEmail(db, valid),
  ]);
  const planByName = new Map(plans.map((p) => [normalised(p.name), p]));
  const planById = new Map(plans.map((p) => [p.id, p]));
  const communeByInsee = new Map(communes.map((c) => [c.insee.toUpperCase(), c]));
  const communesByName = new Map<string, typeof communes>();
  for (const c of communes) communesByName.set(normalised(c.name), [...(communesByName.get(normalised(c.name)) ?? []), c]);
  const memberByEmail = new Map(members.map((m) => [m.email, m]));
  const disabled = new Set(accounts.filter((a) => a.disabled_at).map((a) => a.email));
  const recorded = await repo.listRecordedDues(db, territoryId, members.map((m) => m.id));

  const reports: LineReport[] = [];
  rows.forEach((row, i) => {
    if (row.every((c) => c.trim() === '')) return;
    const line = i + 2;
    const reasons: Reason[] = [];
    const email = emails[i];
    if (!email) reasons.push({ key: 'members.import.reason.emailMissing' });
    else if (!EMAIL_PATTERN.test(email) || email.length > 254) reasons.push({ key: 'members.import.reason.emailInvalid', params: { value: email } });
    else if (linesOf.get(email)!.length > 1) reasons.push({ key: 'members.import.reason.emailTwice', params: { lines: linesOf.get(email)!.filter((l) => l !== line).join(', ') } });

    let firstName = cell(row, 'firstName');
    let lastName = cell(row, 'lastName');
    if ((!firstName || !lastName) && cell(row, 'fullName')) {
      const split = splitFullName(cell(row, 'fullName'));
      firstName ||= split.firstName;
      lastName ||= split.lastName;
    }
    const existing = email ? memberByEmail.get(email) : undefined;
    if (!existing && (!firstName || !lastName)) reasons.push({ key: 'members.import.reason.nameMissing' });
    if (firstName.length > 80 || lastName.length > 80) reasons.push({ key: 'members.import.reason.nameTooLong' });

    let insee: string | null = null;
    const communeText = cell(row, 'commune');
    if (communeText) {
      const byCode = INSEE.test(communeText) ? communeByInsee.get(communeText.toUpperCase()) : undefined;
      let found = byCode ? [byCode] : (communesByName.get(normalised(communeText)) ?? []);
      const postcode = cell(row, 'postcode');
      if (found.length > 1 && postcode) found = found.filter((c) => c.postcodes.includes(postcode));
      if (found.length === 1) insee = found[0].insee;
      else if (found.length > 1) reasons.push({ key: 'members.import.reason.communeAmbiguous', params: { value: communeText } });
      else reasons.push({ key: 'members.import.reason.communeUnknown', params: { value: communeText } });
    }

    const planText = cell(row, 'plan');
    const plan = planText ? planByName.get(normalised(planText)) : undefined;
    if (planText && !plan) reasons.push({ key: 'members.import.reason.planUnknown', params: { value: planText } });
    else if (!plan && !existing) reasons.push({ key: 'members.import.reason.planMissing' });

    let paidOn: string | null = null;
    const dayText = cell(row, 'paidOn');
    if (dayText) {
      const read = readDay(dayText);
      if ('day' in read) {
        const problem = payableDayProblem(ctx, read.day);
        if (problem) reasons.push({ key: problem === 'members.dues.paidOnFuture' ? 'members.import.reason.dateFuture' : 'members.import.reason.dateTooOld', params: { value: dayText } });
        else paidOn = read.day;
      } else reasons.push({ key: read.problem === 'impossible' ? 'members.import.reason.dateImpossible' : 'members.import.reason.dateInvalid', params: { value: dayText } });
    }
    const amountText = cell(row, 'amount');
    let amountCents: number | null = null;
    if (amountText) {
      amountCents = readAmount(amountText);
      if (amountCents === null || amountCents > 10_000_000) reasons.push({ key: 'members.import.reason.amountInvalid', params: { value: amountText } });
      else if (!dayText) reasons.push({ key: 'members.import.reason.dateMissing' });
    }
    const phone = cell(row, 'phone');
    if (phone && !PHONE.test(phone)) reasons.push({ key: 'members.import.reason.phoneInvalid', params: { value: phone } });
    const activity = cell(row, 'activity');
    if (activity.length > 200) reasons.push({ key: 'members.import.reason.activityTooLong' });

    if (existing?.state === 'pending') reasons.push({ key: 'members.import.reason.memberPending' });
    else if (existing && existing.state !== 'approved') reasons.push({ key: 'members.import.reason.memberNotActive' });
    if (!existing && email && disabled.has(email)) reasons.push({ key: 'members.import.reason.accountDisabled' });

    const name = `${firstName} ${lastName}`.trim() || (existing ? `${existing.first_name} ${existing.last_name}` : '');
    const base = { line, email, name, changes: [] as string[], set: {}, dues: null, member: null, memberId: existing?.id ?? null };
    if (reasons.length) {
      reports.push({ ...base, outcome: 'rejected', reasons });
      return;
    }

    let dues: LineReport['dues'] = null;
    if (paidOn) {
      const cents = amountCents ?? (plan ?? planById.get(existing!.plan_id))!.price_cents;
      const reference = duesReference(territoryId, email, paidOn, cents);
      const already = recorded.references.has(reference) || (existing && recorded.paid.has(`${existing.id}:${paidOn}:${cents}`));
      const method = draft.source === 'helloasso' ? 'online' : (readMethod(cell(row, 'method')) ?? draft.default_method);
      if (!already) dues = { paidOn, amountCents: cents, method, reference };
    }

    if (!existing) {
      const member: ImportedMemberInput = { email, firstName, lastName, phone: phone || null, activity: activity || null, insee, planId: plan!.id };
      reports.push({ ...base, outcome: 'create', reasons: [], dues, member });
      return;
    }
    const set = changesFor(existing, { firstName, lastName, phone, activity, insee, planId: plan?.id ?? null });
    const changes = Object.keys(set).flatMap((k) => CHANGE_FIELD[k] ?? []);
    reports.push({ ...base, outcome: changes.length || dues ? 'update' : 'unchanged', reasons: [], changes, set, dues });
  });
  return reports;
}

interface ExistingMember {
  state: MemberState;
  first_name: string;
  last_name: string;
  phone: string | null;
  activity: string | null;
  insee: string | null;
  plan_id: number;
}

/** The target field each changed column belongs to, for the dry run's words. */
const CHANGE_FIELD: Record<string, string> = { first_name: 'firstName', last_name: 'lastName', phone: 'phone', activity: 'activity', insee: 'commune', plan_id: 'plan' };

/** What the line changes on a member: only what it gives (an empty cell keeps the value recorded). */
function changesFor(m: ExistingMember, l: { firstName: string; lastName: string; phone: string; activity: string; insee: string | null; planId: number | null }) {
  const set: repo.MemberChanges = {};
  if (l.firstName && l.firstName !== m.first_name) set.first_name = l.firstName;
  if (l.lastName && l.lastName !== m.last_name) set.last_name = l.lastName;
  if (l.phone && l.phone !== m.phone) set.phone = l.phone;
  if (l.activity && l.activity !== m.activity) set.activity = l.activity;
  if (l.insee && l.insee !== m.insee?.trim()) Object.assign(set, { insee: l.insee, outside_territory: false });
  if (l.planId !== null && l.planId !== m.plan_id) set.plan_id = l.planId;
  return set;
}

function summarise(lines: LineReport[]): ImportSummary {
  const count = (o: Outcome) => lines.filter((l) => l.outcome === o).length;
  return { lines: lines.length, create: count('create'), update: count('update'), unchanged: count('unchanged'), rejected: count('rejected'), dues: lines.filter((l) => l.dues && l.outcome !== 'rejected').length };
}

/**
 * The import's page: the mapping still to choose, or the dry run (every line's outcome, the counts), or, once
 * applied, what it did.
 */
export async function getImportReview(ctx: AppContext, actor: Actor, importId: string) {
  assertMemberStaff(actor);
  const draft = await draftFor(ctx.db, actor, importId);
  const head = { id: draft.id, fileName: draft.file_name, source: draft.source, sha256: draft.file_sha256, createdAt: draft.created_at };
  if (draft.applied_at) return { ...head, state: 'applied' as const, appliedAt: draft.applied_at, summary: draft.summary as unknown as ImportSummary };
  if (!draft.mapping) return { ...head, state: 'mapping' as const };
  const lines = await reviewLines(ctx.db, ctx, actor.territoryId, draft);
  const mapping = draft.mapping as Mapping;
  const columns = TARGET_FIELDS.filter((f) => mapping[f] !== undefined).map((f) => ({ field: f, header: draft.headers[mapping[f]!] }));
  return { ...head, state: 'review' as const, lines, summary: summarise(lines), columns };
}

/**
 * Applies the import: the dry run again, inside one transaction, on the upload kept here (locked, so it is applied
 * once). Refused while a line is rejected, unless the team chose to leave the rejected lines out. Everything or
 * nothing: the members, their accounts and roles, their dues with receipts, and one audit entry.
 */
export async function applyMemberImport(ctx: AppContext, actor: Actor, importId: string, opts: { excludeRejected: boolean }): Promise<ImportSummary> {
  assertMemberStaff(actor);
  if (!isUuid(importId)) throw importNotFound();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const draft = await repo.lockImport(trx, actor.territoryId, importId);
      if (!draft) throw importNotFound();
      if (draft.applied_at) throw new AppError('conflict', 'members.import.alreadyApplied');
      if (!draft.mapping) throw new AppError('conflict', 'members.import.mappingFirst');
      const lines = await reviewLines(trx, ctx, actor.territoryId, draft);
      const summary = summarise(lines);
      if (summary.rejected > 0 && !opts.excludeRejected) throw new AppError('invalid', 'errors.invalid', { excludeRejected: 'members.import.rejectedLines' }, { count: summary.rejected });
      const now = ctx.clock.now();
      // In batches: a few statements per BATCH lines instead of a dozen per line (10,000 lines took minutes).
      const live = lines.filter((l) => l.outcome === 'create' || l.outcome === 'update');
      for (let from = 0; from < live.length; from += APPLY_BATCH) {
        const batch = live.slice(from, from + APPLY_BATCH);
        const creates = batch.filter((l) => l.outcome === 'create');
        const admitted = await admitImportedMembers(trx, ctx, actor, creates.map((l) => l.member!));
        const memberOf = new Map(creates.map((l, i) => [l, admitted[i].memberId]));
        for (const l of batch) if (l.outcome === 'update' && l.changes.length) await repo.updateMember(trx, l.memberId!, l.set, now);
        await recordImportedPayments(
          trx,
          ctx,
          actor,
          batch
            .filter((l) => l.dues)
            .map((l) => {
              const online = l.dues!.method === 'online';
              return {
                memberId: memberOf.get(l) ?? l.memberId!,
                input: {
                  method: l.dues!.method,
                  amountCents: l.dues!.amountCents,
                  paidOn: l.dues!.paidOn,
                  provider: online ? (draft.source === 'helloasso' ? 'HelloAsso' : 'Import') : undefined,
                  importReference: l.dues!.reference,
                },
              };
            }),
        );
      }
      await repo.markApplied(trx, draft.id, actor.userId, { ...summary }, now);
      await recordAudit(trx, ctx, actor, {
        action: 'member.import_applied',
        subjectType: 'member_import',
        subjectId: draft.id,
        data: { file: draft.file_sha256, source: draft.source, ...summary, excludedLines: lines.filter((l) => l.outcome === 'rejected').map((l) => l.line) },
      });
      return summary;
    });
  } catch (error) {
    // Another import (or an application) recorded the same person or dues meanwhile: nothing was written.
    if (isUniqueViolation(error)) throw new AppError('conflict', 'members.import.changedMeanwhile');
    throw error;
  }
}

