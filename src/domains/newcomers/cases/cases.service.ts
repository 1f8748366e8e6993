/**
 * The newcomer journey's use cases, in the programme's words: a household applies, staff qualify and accompany it
 * through named stage changes, keep notes and tasks, tick the household's checklist, and both sides write to each
 * other. Every change runs in one transaction with its audit entry and its mails (outbox), and checks who acts
 * before reading anything.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import type { CaseStage } from '../../../db/schema.js';
import { enqueueJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { hashToken, newToken } from '../../../shared/tokens.js';
import type { Locale } from '../../../web/i18n/index.js';
import { findOrCreateUnverifiedUser, grantRoles, listUsersWithAnyRole, sendAccountLink } from '../../accounts/index.js';
import { recordAudit } from '../../audit/index.js';
import { listCommunesForMap, searchCommunesByName } from '../../territory/index.js';
import { assertCaseStaff, assertSignedIn, canApply, isCaseOwner } from '../newcomers.policy.js';
import { caseExportPoint, type CaseFacts, caseSectionsPoint, caseTransitionPoint, householdSectionsPoint, loadSections } from './cases.extensions.js';
import * as repo from './cases.repo.js';
import { type ApplicationInput, applicationToFormValues, type CaseListQuery, MAX_TARGET_COMMUNES, splitCodes, type TaskInput, type TransitionInput } from './cases.schemas.js';
import { allowedTransitions, targetOf, type TransitionName } from './stages.js';
import { caseFunderTags, checkedTaskTag, listFilterOptions, setTaskTag } from './tags.service.js';
import { parisDay, parisTime } from '../../../shared/time.js';
import { caseMailer, isRowId, isUuid, notFound, staffToNotify } from '../newcomers.common.js';
import { INSEE } from '../../../shared/input.js';
import { ROLE_GROUPS } from '../../../shared/roles.js';

export const TASK_REMINDER_JOB = 'newcomers.task_reminder';
/** Reminders go out in the morning of the due day, Paris time. */
const REMINDER_HOUR = 8;
export const CASES_PAGE_SIZE = 50;
export const BOARD_PER_STAGE = 25;

/** Seeded for every territory; staff rename, archive or add to them. */
export const DEFAULT_DROP_REASONS = ['housing_not_found', 'partner_job', 'finances', 'changed_plans', 'other_region', 'other'] as const;

const ENTREPRENEURIAL = new Set(['freelance', 'creation', 'takeover']);


// ---------------------------------------------------------------------------------------------- communes

/** Names of the territory's communes among these codes; unknown codes are simply absent. */
async function communeNames(ctx: AppContext, codes: string[]) {
  return repo.communeNames(ctx.db, ctx.territory.id, codes);
}

// ---------------------------------------------------------------------------------------------- mails

const mail = caseMailer('newcomers.mail');

// ---------------------------------------------------------------------------------------------- applying

function checklistKeysFor(input: Pick<ApplicationInput, 'adults' | 'children'>) {
  const keys = ['housing'];
  if (input.children.length) keys.push('school');
  keys.push('doctor', 'coworking');
  if (input.adults.some((a) => ENTREPRENEURIAL.has(a.project))) keys.push('cae');
  keys.push('community');
  return keys;
}

/**
 * A household applies. The main contact's address decides everything: it finds or creates the account
 * (unverified, with an activation link), and the account's case receives the application. A second application
 * from the same address lands on the same case and stays whole in its timeline. Sent from the household's own
 * signed-in account, it also replaces the household as declared (people, needs, timing, consents). Sent by anyone
 * else, it only adds the villages it names and is flagged for the adviser: knowing a household's address must not
 * be enough to rewrite its case or withdraw its consent.
 */
export type ApplyResult =
  | { status: 'applied'; caseId: string; number: number; created: boolean; email: string; accountLink: 'verification' | 'activation' | 'none' }
  | { status: 'held'; email: string };

/** How long the owner of an address has to confirm an application someone else sent with it. */
export const HELD_APPLICATION_TTL = 7 * 86_400_000;

export async function applyToProgramme(ctx: AppContext, actor: Actor, input: ApplicationInput, locale: Locale): Promise<ApplyResult> {
  if (!canApply(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
  const known = await communeNames(ctx, input.targetCodes);
  if (input.targetCodes.some((c) => !known.has(c))) {
    throw new AppError('invalid', 'newcomers.apply.unknownCommune', { targetCodes: 'newcomers.apply.unknownCommune' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const user = await findOrCreateUnverifiedUser(trx, ctx, { email: input.email, displayName: input.contactName, locale });
    if (user.disabled) throw new AppError('forbidden', 'newcomers.apply.accountDisabled', { email: 'newcomers.apply.accountDisabled' });
    // Someone else's address (an account that existed before, not the one signed in): knowing an address must not be
    // enough to add to that person's case or give the account a role. The application waits for the owner's yes.
    if (!user.created && actor.userId !== user.id) return holdApplication(trx, ctx, actor, user, input, locale);
    return { status: 'applied' as const, ...(await applyForContact(trx, ctx, actor, user, input, locale)) };
  });
}

async function holdApplication(trx: Executor, ctx: AppContext, actor: Actor, user: { id: string; email: string; locale: Locale }, input: ApplicationInput, locale: Locale) {
  const now = ctx.clock.now();
  const { token, hash } = newToken();
  await repo.insertPendingApplication(trx, { tokenHash: hash, territoryId: ctx.territory.id, userId: user.id, locale, payload: input, now, expiresAt: new Date(now.getTime() + HELD_APPLICATION_TTL) });
  await mail(trx, ctx, user.email, user.locale, 'confirm', { name: input.contactName }, `/candidature/confirmer?jeton=${token}`);
  await recordAudit(trx, ctx, { userId: actor.userId, territoryId: ctx.territory.id }, { action: 'newcomer_case.application_held', subjectType: 'user', subjectId: user.id });
  return { status: 'held' as const, email: user.email };
}

/**
 * The owner of the address confirms, from the mailed link, an application someone sent with it: it is then applied as
 * an application from the address (villages added, flagged for the adviser; the household's details are not rewritten).
 */
export async function confirmHeldApplication(ctx: AppContext, token: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const row = token.length <= 100 ? await repo.findPendingApplicationForUpdate(trx, hashToken(token), ctx.territory.id) : undefined;
    const now = ctx.clock.now();
    if (!row) throw new AppError('invalid', 'newcomers.apply.confirm.unknown');
    if (row.confirmed_at) throw new AppError('invalid', 'newcomers.apply.confirm.used');
    if (row.expires_at <= now) throw new AppError('invalid', 'newcomers.apply.confirm.expired');
    await repo.markPendingApplicationConfirmed(trx, row.token_hash, now);
    const input = row.payload as unknown as ApplicationInput;
    const user = await findOrCreateUnverifiedUser(trx, ctx, { email: input.email, displayName: input.contactName, locale: row.locale });
    if (user.id !== row.user_id || user.disabled) throw new AppError('invalid', 'newcomers.apply.confirm.unknown');
    const visitor: Actor = { userId: null, territoryId: ctx.territory.id, roles: new Set() };
    return applyForContact(trx, ctx, visitor, user, input, row.locale);
  });
}

/** Daily purge: held applications nobody confirmed in time, and confirmed ones (now in their case). */
export const purgeHeldApplications = (ctx: AppContext) => repo.deleteStalePendingApplications(ctx.db, ctx.clock.now());

/** Checks a confirmation link before showing its form, so a used or expired link says so at once. */
export async function checkHeldApplication(ctx: AppContext, token: string) {
  const row = token.length <= 100 ? await repo.findPendingApplicationForUpdate(ctx.db, hashToken(token), ctx.territory.id) : undefined;
  if (!row) throw new AppError('invalid', 'newcomers.apply.confirm.unknown');
  if (row.confirmed_at) throw new AppError('invalid', 'newcomers.apply.confirm.used');
  if (row.expires_at <= ctx.clock.now()) throw new AppError('invalid', 'newcomers.apply.confirm.expired');
}

/** The application reaches the contact's case (created when there is none), in the caller's transaction. */
async function applyForContact(trx: Executor, ctx: AppContext, actor: Actor, user: { id: string; email: string }, input: ApplicationInput, locale: Locale) {
  const territoryId = ctx.territory.id;
  {
    const now = ctx.clock.now();
    await grantRoles(trx, territoryId, user.id, ['candidate'], null, now);

    let existing = await repo.findCaseOfContactForUpdate(trx, territoryId, user.id);
    const household = (previous?: { consent_share: boolean; consent_share_at: Date | null }): repo.HouseholdValues => ({
      contact_name: input.contactName,
      phone: input.phone ?? null,
      current_place: input.currentPlace,
      timing: input.timing,
      needs: input.needs,
      heard_from: input.heardFrom ?? null,
      target_text: input.targetText ?? null,
      project_text: input.project ?? null,
      consent_contact_at: now,
      consent_share: input.consentShare,
      // The date consent was first given is what counts; withdrawing clears it.
      consent_share_at: input.consentShare ? (previous?.consent_share ? previous.consent_share_at : now) : null,
    });

    let created = false;
    let caseId: string;
    let number: number;
    if (!existing) {
      const inserted = await repo.insertCase(trx, { ...household(), territoryId, contactUserId: user.id, now });
      if (inserted) {
        created = true;
        caseId = inserted.id;
        number = inserted.number;
        await repo.insertStageEvent(trx, { territoryId, caseId, from: null, to: 'nouveau', at: now, by: actor.userId ?? user.id });
        await repo.ensureDropReasons(trx, territoryId, DEFAULT_DROP_REASONS, now);
      } else {
        // Another application from the same address committed first: add to its case.
        existing = await repo.findCaseOfContactForUpdate(trx, territoryId, user.id);
        if (!existing) throw new Error('case vanished while applying');
      }
    }
    const signedIn = actor.userId === user.id;
    if (existing) {
      caseId = existing.id;
      number = existing.number;
      if (signedIn) await repo.updateHousehold(trx, caseId, { ...household(existing), now });
    }
    if (created || signedIn) {
      await repo.replaceAdults(trx, territoryId, caseId!, input.adults);
      await repo.replaceChildren(trx, territoryId, caseId!, input.children);
      await repo.addChecklistDefaults(trx, territoryId, caseId!, checklistKeysFor(input), now);
    }
    await repo.addTargetCommunes(trx, territoryId, caseId!, input.targetCodes, now);
    const application = await repo.insertApplication(trx, { territoryId, caseId: caseId!, now, signedIn, locale, payload: input });

    await mail(trx, ctx, user.email, locale, created ? 'received' : 'added', { name: input.contactName, number: number! }, '/mon-projet');
    if (!created && existing?.adviser_id) {
      const [adviser] = (await listUsersWithAnyRole(trx, territoryId, ROLE_GROUPS.team)).filter((s) => s.id === existing!.adviser_id);
      if (adviser) await mail(trx, ctx, adviser.email, adviser.locale, 'reapplied', { number: number!, name: input.contactName }, `/admin/accueil/${caseId!}`);
    }
    const accountLink = await sendAccountLink(trx, ctx, user.id, { next: '/mon-projet' });
    await recordAudit(trx, ctx, { userId: actor.userId ?? user.id, territoryId }, {
      action: created ? 'newcomer_case.created' : 'newcomer_case.application_added',
      subjectType: 'newcomer_case',
      subjectId: caseId!,
      data: { number: number!, application: application.id, signedIn, adults: input.adults.length, children: input.children.length },
    });
    return { caseId: caseId!, number: number!, created, email: user.email, accountLink };
  }
}

/**
 * What the form starts from: the household's latest answers when it already applied (else the signed-in address),
 * plus the villages picked in the finder (`?communes=32013,32208`), named so the household sees what it chose.
 */
export async function getApplicationForm(ctx: AppContext, actor: Actor, opts: { email?: string; communes?: string }) {
  let values: Record<string, string | string[]> = opts.email ? { email: opts.email } : {};
  if (actor.userId) {
    const c = await repo.findCaseIdOfContact(ctx.db, ctx.territory.id, actor.userId);
    const last = c ? (await repo.listApplications(ctx.db, c.id)).at(-1) : undefined;
    if (last) values = { ...applicationToFormValues(last.payload as unknown as ApplicationInput), ...values };
  }
  const picked = splitCodes(opts.communes ?? '').filter((code) => INSEE.test(code)).slice(0, MAX_TARGET_COMMUNES);
  const names = await communeNames(ctx, picked);
  const known = picked.filter((code) => names.has(code));
  if (known.length) values.targetCodes = [...new Set([...codesOf(values.targetCodes), ...known])];
  return { values, ...(await findVillagesToPick(ctx, codesOf(values.targetCodes))) };
}

/** The codes a form holds: ticked boxes (one code each) or a list typed by hand. */
export const codesOf = (v: string | string[] | undefined) => [...new Set((Array.isArray(v) ? v : v ? [v] : []).flatMap(splitCodes))];

/**
 * The application's village picker, which works without JavaScript: the villages already ticked, by name, and the
 * territory's villages whose name contains what the household typed (accents and case ignored).
 */
export async function findVillagesToPick(ctx: AppContext, codes: string[], query?: string) {
  const names = await communeNames(ctx, codes.filter((c) => INSEE.test(c)).slice(0, MAX_TARGET_COMMUNES * 2));
  const chosen = codes.filter((c) => names.has(c)).map((insee) => ({ insee, name: names.get(insee)! }));
  if (!query) return { chosen, matches: undefined };
  const found = await searchCommunesByName(ctx.db, ctx.territory.id, query, 12);
  return { chosen, matches: found.filter((m) => !names.has(m.insee)).map((m) => ({ insee: m.insee, name: m.name })) };
}

// ---------------------------------------------------------------------------------------------- stage changes

export interface MoveInput {
  /** The stage the person saw when they clicked: a case moved meanwhile by a colleague is not moved twice. */
  expected?: CaseStage;
  comment?: string;
  settledInsee?: string;
  settledOn?: string;
  reasonId?: number;
}

async function moveCase(ctx: AppContext, actor: Actor, caseId: string, name: TransitionName, input: MoveInput = {}) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  if (name === 'settle') {
    if (!input.settledInsee) throw new AppError('invalid', 'newcomers.settle.communeRequired', { settledInsee: 'newcomers.settle.communeRequired' });
    if (!input.settledOn) throw new AppError('invalid', 'newcomers.settle.dateRequired', { settledOn: 'newcomers.settle.dateRequired' });
    if (!(await communeNames(ctx, [input.settledInsee])).has(input.settledInsee)) {
      throw new AppError('invalid', 'newcomers.settle.communeUnknown', { settledInsee: 'newcomers.settle.communeUnknown' });
    }
    if (input.settledOn > parisDay(ctx.clock.now())) throw new AppError('invalid', 'newcomers.settle.dateFuture', { settledOn: 'newcomers.settle.dateFuture' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockCase(trx, actor.territoryId, caseId);
    if (!c) throw notFound();
    return transitionLockedCase(trx, ctx, actor, c, name, input);
  });
}

/**
 * A named transition applied to a case already locked in the caller's transaction: the stage, its dated event and
 * the audit entry change together. `moveCase` uses it, and so does any use case that moves a case as a consequence
 * (a household selected for a discovery stay), so every stage change is recorded the same way.
 */
export async function transitionLockedCase(trx: Executor, ctx: AppContext, actor: Actor & { userId: string }, c: LockedCase, name: TransitionName, input: MoveInput = {}) {
  const territoryId = actor.territoryId;
  if (input.expected && input.expected !== c.stage) throw new AppError('conflict', 'newcomers.transition.stale');
  const to = targetOf(name, c);
  const now = ctx.clock.now();
  const patch: Parameters<typeof repo.updateCase>[2] = { stage: to, stage_changed_at: now, updated_at: now, paused_from: null };
  let reasonId: number | null = null;
  if (name === 'pause') patch.paused_from = c.stage;
  if (name === 'settle') {
    patch.settled_insee = input.settledInsee!;
    patch.settled_on = input.settledOn!;
  }
  if (name === 'drop') {
    await repo.ensureDropReasons(trx, territoryId, DEFAULT_DROP_REASONS, now);
    const reason = input.reasonId && isRowId(input.reasonId) ? await repo.findDropReason(trx, territoryId, input.reasonId) : undefined;
    if (!reason || reason.archived_at) throw new AppError('invalid', 'newcomers.drop.reasonRequired', { reasonId: 'newcomers.drop.reasonRequired' });
    reasonId = reason.id;
    patch.drop_reason_id = reason.id;
    patch.drop_comment = input.comment ?? null;
  }
  if (name === 'reopen') {
    patch.drop_reason_id = null;
    patch.drop_comment = null;
  }
  await repo.updateCase(trx, c.id, patch);
  for (const listener of ctx.extensions.all(caseTransitionPoint)) {
    await listener(trx, ctx, { territoryId, caseId: c.id, name, from: c.stage, to, at: now, ...(name === 'settle' ? { settledOn: input.settledOn! } : {}) });
  }
  await repo.insertStageEvent(trx, { territoryId, caseId: c.id, from: c.stage, to, at: now, by: actor.userId, reasonId, comment: input.comment ?? null });
  await recordAudit(trx, ctx, actor, {
    action: 'newcomer_case.stage_changed',
    subjectType: 'newcomer_case',
    subjectId: c.id,
    data: { number: c.number, transition: name, from: c.stage, to, ...(reasonId ? { reason: reasonId } : {}), ...(name === 'settle' ? { commune: input.settledInsee, on: input.settledOn } : {}) },
  });
  return { from: c.stage, to };
}

export const qualifyCase = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'qualify', input);
export const startAccompaniment = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'accompany', input);
export const startDiscoveryStay = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'discovery', input);
export const startMoving = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'moving', input);
/** Settled needs the commune and the date: they are what the funders count. */
export const markSettled = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput & { settledInsee: string; settledOn: string }) =>
  moveCase(ctx, actor, caseId, 'settle', input);
export const startFollowUp = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'follow_up', input);
export const putOnHold = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'pause', input);
export const resumeCase = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'resume', input);
export const dropCase = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput & { reasonId: number }) => moveCase(ctx, actor, caseId, 'drop', input);
export const reopenCase = (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput = {}) => moveCase(ctx, actor, caseId, 'reopen', input);

const USE_CASES: Record<TransitionName, (ctx: AppContext, actor: Actor, caseId: string, input: MoveInput) => Promise<{ from: CaseStage; to: CaseStage }>> = {
  qualify: qualifyCase,
  accompany: startAccompaniment,
  discovery: startDiscoveryStay,
  moving: startMoving,
  settle: (ctx, actor, id, input) => markSettled(ctx, actor, id, input as MoveInput & { settledInsee: string; settledOn: string }),
  follow_up: startFollowUp,
  pause: putOnHold,
  resume: resumeCase,
  drop: (ctx, actor, id, input) => dropCase(ctx, actor, id, input as MoveInput & { reasonId: number }),
  reopen: reopenCase,
};

/** The one door the stage form uses: runs the named transition the person picked. */
export const changeStage = (ctx: AppContext, actor: Actor, caseId: string, input: TransitionInput) => USE_CASES[input.transition](ctx, actor, caseId, input);

// ---------------------------------------------------------------------------------------------- staff: list, board, case

export async function resolveFilter(ctx: AppContext, actor: Actor & { userId: string }, q: CaseListQuery): Promise<repo.CaseFilter> {
  return {
    stage: q.etape as CaseStage | undefined,
    adviserId: q.conseiller === 'moi' ? actor.userId : q.conseiller === 'aucun' ? null : q.conseiller,
    insee: q.commune,
    project: q.projet,
    overdueBefore: q.retard ? parisDay(ctx.clock.now()) : undefined,
    epci: q.epci,
    tagId: q.financeur,
    search: q.q,
  };
}

const staffOf = (db: Executor, territoryId: number) => listUsersWithAnyRole(db, territoryId, ROLE_GROUPS.team);

export type CaseSummary = repo.CaseSummary;

export async function listCasesForStaff(ctx: AppContext, actor: Actor, q: CaseListQuery) {
  assertCaseStaff(actor);
  const filter = await resolveFilter(ctx, actor, q);
  const today = parisDay(ctx.clock.now());
  const [{ rows, total }, staff] = await Promise.all([
    repo.listCases(ctx.db, actor.territoryId, filter, today, CASES_PAGE_SIZE, (q.page - 1) * CASES_PAGE_SIZE),
    staffOf(ctx.db, actor.territoryId),
  ]);
  const names = await communeNames(ctx, [...rows.flatMap((r) => r.communes), ...(q.commune ? [q.commune] : [])]);
  return { rows, total, page: q.page, pages: Math.max(1, Math.ceil(total / CASES_PAGE_SIZE)), staff, communes: Object.fromEntries(names), filterOptions: await listFilterOptions(ctx.db, actor.territoryId) };
}

export async function getBoard(ctx: AppContext, actor: Actor, q: CaseListQuery) {
  assertCaseStaff(actor);
  const filter = await resolveFilter(ctx, actor, { ...q, etape: undefined });
  const [rows, staff] = await Promise.all([
    repo.boardCases(ctx.db, actor.territoryId, filter, parisDay(ctx.clock.now()), BOARD_PER_STAGE),
    staffOf(ctx.db, actor.territoryId),
  ]);
  const names = await communeNames(ctx, q.commune ? [q.commune] : []);
  return { rows: rows.map((r) => ({ ...r, transitions: allowedTransitions(r.stage) })), staff, communes: Object.fromEntries(names), filterOptions: await listFilterOptions(ctx.db, actor.territoryId) };
}

/**
 * The list's body may be reused while nothing it shows has changed (decision 0031). Checks the viewer first, then
 * reads the version of the data BEFORE the data (a change committed in between only costs a render); the version
 * string also names what else the body depends on: the filter as resolved for this viewer ("moi" is their id),
 * today in Paris (overdue tasks) and the page. `load` reads the data when no body is kept for that version.
 */
export async function openCaseList(ctx: AppContext, actor: Actor, q: CaseListQuery) {
  assertCaseStaff(actor);
  const version = await repo.readListVersion(ctx.db, actor.territoryId);
  const filter = await resolveFilter(ctx, actor, q);
  return { version: `${version}|${parisDay(ctx.clock.now())}|${q.page}|${JSON.stringify(filter)}`, load: () => listCasesForStaff(ctx, actor, q) };
}

/** The board's body, reusable in the same way as the list's (`openCaseList`). */
export async function openBoard(ctx: AppContext, actor: Actor, q: CaseListQuery) {
  assertCaseStaff(actor);
  const version = await repo.readListVersion(ctx.db, actor.territoryId);
  const filter = await resolveFilter(ctx, actor, { ...q, etape: undefined });
  return { version: `${version}|${parisDay(ctx.clock.now())}|${JSON.stringify(filter)}`, load: () => getBoard(ctx, actor, q) };
}

export type TimelineEntry =
  | { kind: 'application'; at: Date; id: number; signedIn: boolean; payload: ApplicationInput }
  | { kind: 'stage'; at: Date; id: number; from: CaseStage | null; to: CaseStage; by: string | null; reasonKey: string | null; reasonLabel: string | null; comment: string | null }
  | { kind: 'note'; at: Date; id: number; body: string; by: string | null }
  | { kind: 'message'; at: Date; id: number; body: string; by: string | null; fromStaff: boolean };

/**
 * Everything staff need on the case page, in a handful of queries: the case's own rows in one (`findCaseFile`), then
 * the territory's team, drop reasons and funder tags together (and its communes when the case can be settled).
 */
export async function getCaseFile(ctx: AppContext, actor: Actor, caseId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  const db = ctx.db;
  const file = await repo.findCaseFile(db, actor.territoryId, caseId);
  if (!file) throw notFound();
  const { case: c, adults, children, applications, stages, notes, tasks, checklist, messages } = file;
  const targetCodes = file.targets.map((x) => x.insee);
  const transitions = allowedTransitions(c.stage);
  const [staff, reasons, funderTags, communes] = await Promise.all([
    staffOf(db, actor.territoryId),
    repo.listDropReasons(db, actor.territoryId, false),
    caseFunderTags(db, ctx, actor.territoryId, file.tagIds, file.taskTags),
    // Settling asks for the commune: every commune of the territory is offered, the targeted ones first.
    transitions.includes('settle') ? listCommunesForMap(db, actor.territoryId) : Promise.resolve([]),
  ]);
  const now = ctx.clock.now();
  const today = parisDay(now);
  const communeChoices = communes.map((x) => ({ insee: x.insee, name: x.name }));
  const timeline: TimelineEntry[] = [
    ...applications.map((a) => ({ kind: 'application' as const, at: a.submitted_at, id: a.id, signedIn: a.signed_in, payload: a.payload as unknown as ApplicationInput })),
    ...stages.map((s) => ({
      kind: 'stage' as const,
      at: s.at,
      id: s.id,
      from: s.from_stage,
      to: s.to_stage,
      by: s.by_name,
      reasonKey: s.reason_key,
      reasonLabel: s.reason_label,
      comment: s.comment,
    })),
    ...notes.map((n) => ({ kind: 'note' as const, at: n.created_at, id: n.id, body: n.body, by: n.author_name })),
    ...messages.map((m) => ({ kind: 'message' as const, at: m.created_at, id: m.id, body: m.body, by: m.author_name, fromStaff: m.from_staff })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
  // Partners, stays, buddies, follow-ups, records and offers: each room's section loads its own.
  const sections = await loadSections(ctx, caseSectionsPoint, actor, { case: c, adults, children, targetCodes, today });
  const deadlines = sections.map(({ section, data }) => section.changesAt?.(data, now)).filter((x): x is Date => !!x && x > now);
  return {
    case: c,
    adults,
    children,
    targets: file.targets.map((x) => ({ insee: x.insee, name: x.name ?? x.insee })),
    settledName: c.settled_insee ? (file.settledName ?? c.settled_insee) : null,
    tasks,
    checklist,
    messages,
    timeline,
    staff,
    reasons,
    transitions,
    communeChoices,
    funderTags,
    today,
    sections,
    /** The next instant a section's render changes with the same data (a deadline passing), if any. */
    changesAt: deadlines.length ? new Date(Math.min(...deadlines.map((d) => d.getTime()))) : null,
  };
}
export type CaseFile = Awaited<ReturnType<typeof getCaseFile>>;

/**
 * The case page's body may be reused while nothing it shows has changed (decision 0032). Checks the viewer's role
 * and the case's territory first (the same 403 and 404 as `getCaseFile`), then reads the case's and the territory's
 * versions BEFORE the data (a change committed in between only costs a render). The version string also names
 * today in Paris (overdue tasks, the settling date's default, offers and stays still open). Nothing on the page
 * depends on who of the team looks, beyond their roles (the caller keys the body on them).
 */
export async function openCaseFile(ctx: AppContext, actor: Actor, caseId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  const version = await repo.readCasePageVersion(ctx.db, actor.territoryId, caseId);
  if (!version) throw notFound();
  return { version: `${version.case_version}.${version.territory_version}|${parisDay(ctx.clock.now())}`, load: () => getCaseFile(ctx, actor, caseId) };
}

export type LockedCase = NonNullable<Awaited<ReturnType<typeof repo.lockCase>>>;

/**
 * A staff change to one case: the role and the id are checked before any transaction opens (outsiders get 403,
 * never a 404 that would confirm an id), then the case row is locked so concurrent edits apply one by one.
 */
async function withLockedCase<T>(ctx: AppContext, actor: Actor, caseId: string, change: (trx: Executor, c: LockedCase) => Promise<T>): Promise<T> {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const c = await repo.lockCase(trx, actor.territoryId, caseId);
    if (!c) throw notFound();
    return change(trx, c);
  });
}

/** Gives the case to a member of the team ("moi": the person acting), or to nobody. */
export async function assignAdviser(ctx: AppContext, actor: Actor, caseId: string, who: string | undefined) {
  const adviserId = who === 'moi' ? actor.userId : who;
  return withLockedCase(ctx, actor, caseId, async (trx, c) => {
    let adviser: { id: string; email: string; locale: 'fr' | 'en' } | undefined;
    if (adviserId) {
      adviser = (await staffOf(trx, actor.territoryId)).find((s) => s.id === adviserId);
      if (!adviser) throw new AppError('invalid', 'newcomers.assign.notStaff', { adviserId: 'newcomers.assign.notStaff' });
    }
    if ((adviser?.id ?? null) === c.adviser_id) return;
    const now = ctx.clock.now();
    await repo.updateCase(trx, c.id, { adviser_id: adviser?.id ?? null, updated_at: now });
    if (adviser && adviser.id !== actor.userId) {
      await mail(trx, ctx, adviser.email, adviser.locale, 'assigned', { number: c.number }, `/admin/accueil/${c.id}`);
    }
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.adviser_assigned', subjectType: 'newcomer_case', subjectId: c.id, data: { adviser: adviser?.id ?? null, previous: c.adviser_id } });
  });
}

export async function addCaseNote(ctx: AppContext, actor: Actor, caseId: string, body: string) {
  return withLockedCase(ctx, actor, caseId, async (trx, c) => {
    const note = await repo.insertNote(trx, { territoryId: actor.territoryId, caseId: c.id, authorId: actor.userId!, body, now: ctx.clock.now() });
    // The note's text stays out of the audit log: it may hold personal details the log is not meant to keep.
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.note_added', subjectType: 'newcomer_case', subjectId: c.id, data: { note: note.id } });
    return note;
  });
}

export async function addCaseTask(ctx: AppContext, actor: Actor, caseId: string, input: TaskInput) {
  return withLockedCase(ctx, actor, caseId, async (trx, c) => {
    const assigneeId = input.assigneeId ?? actor.userId!;
    if (!(await staffOf(trx, actor.territoryId)).some((s) => s.id === assigneeId)) {
      throw new AppError('invalid', 'newcomers.assign.notStaff', { assigneeId: 'newcomers.assign.notStaff' });
    }
    const now = ctx.clock.now();
    const funderTagId = await checkedTaskTag(trx, actor.territoryId, input.funderTagId);
    const task = await repo.insertTask(trx, { territoryId: actor.territoryId, caseId: c.id, title: input.title, dueOn: input.dueOn, assigneeId, by: actor.userId!, now });
    if (funderTagId) await setTaskTag(trx, task.id, funderTagId);
    const runAt = parisTime(input.dueOn, REMINDER_HOUR);
    await enqueueJob(trx, now, TASK_REMINDER_JOB, { taskId: task.id, dueOn: input.dueOn }, { runAt: runAt > now ? runAt : now, dedupeKey: `case-task:${task.id}:${input.dueOn}` });
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.task_added', subjectType: 'newcomer_case', subjectId: c.id, data: { task: task.id, due: input.dueOn, assignee: assigneeId, ...(funderTagId ? { funderTag: funderTagId } : {}) } });
    return task;
  });
}

export async function completeCaseTask(ctx: AppContext, actor: Actor, caseId: string, taskId: number) {
  return withLockedCase(ctx, actor, caseId, async (trx, c) => {
    const task = isRowId(taskId) ? await repo.findTaskForUpdate(trx, c.id, taskId) : undefined;
    if (!task) throw notFound();
    if (task.done_at) return;
    await repo.setTaskDone(trx, task.id, actor.userId!, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.task_completed', subjectType: 'newcomer_case', subjectId: c.id, data: { task: task.id } });
  });
}

export async function addChecklistItem(ctx: AppContext, actor: Actor, caseId: string, label: string) {
  return withLockedCase(ctx, actor, caseId, async (trx, c) => {
    const item = await repo.insertChecklistItem(trx, { territoryId: actor.territoryId, caseId: c.id, label, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.checklist_item_added', subjectType: 'newcomer_case', subjectId: c.id, data: { item: item.id } });
    return item;
  });
}

export async function setChecklistItem(ctx: AppContext, actor: Actor, caseId: string, itemId: number, done: boolean) {
  return withLockedCase(ctx, actor, caseId, async (trx, c) => {
    const item = isRowId(itemId) ? await repo.findChecklistItem(trx, c.id, itemId) : undefined;
    if (!item) throw notFound();
    if (!!item.done_at === done) return;
    await repo.setChecklistItemDone(trx, item.id, done ? { at: ctx.clock.now(), by: actor.userId! } : null);
    await recordAudit(trx, ctx, actor, { action: done ? 'newcomer_case.checklist_item_checked' : 'newcomer_case.checklist_item_unchecked', subjectType: 'newcomer_case', subjectId: c.id, data: { item: item.id } });
  });
}

/** Staff write to the household; the household gets a mail with a link (the text itself stays on the site). */
export async function sendStaffMessage(ctx: AppContext, actor: Actor, caseId: string, body: string) {
  return withLockedCase(ctx, actor, caseId, async (trx, locked) => {
    const c = (await repo.findCase(trx, actor.territoryId, locked.id))!;
    const message = await repo.insertMessage(trx, { territoryId: actor.territoryId, caseId: c.id, authorId: actor.userId!, fromStaff: true, body, now: ctx.clock.now() });
    await mail(trx, ctx, c.contact_email, c.contact_locale, 'messageToHousehold', { name: c.contact_name, number: c.number }, '/mon-projet#messages');
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.message_sent', subjectType: 'newcomer_case', subjectId: c.id, data: { message: message.id, from: 'staff' } });
    return message;
  });
}

// ---------------------------------------------------------------------------------------------- drop reasons

export async function listDropReasonsForStaff(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  await repo.ensureDropReasons(ctx.db, actor.territoryId, DEFAULT_DROP_REASONS, ctx.clock.now());
  return repo.listDropReasons(ctx.db, actor.territoryId, true);
}

export async function addDropReason(ctx: AppContext, actor: Actor, label: string) {
  assertCaseStaff(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertDropReason(trx, actor.territoryId, label, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'case_drop_reason.created', subjectType: 'case_drop_reason', subjectId: String(row.id), data: { label } });
    return row;
  });
}

export async function updateDropReason(ctx: AppContext, actor: Actor, reasonId: number, change: { label?: string; archived?: boolean }) {
  assertCaseStaff(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const reason = isRowId(reasonId) ? await repo.findDropReason(trx, actor.territoryId, reasonId) : undefined;
    if (!reason) throw notFound();
    const patch: { label?: string; archived_at?: Date | null } = {};
    if (change.label !== undefined) patch.label = change.label;
    if (change.archived !== undefined) patch.archived_at = change.archived ? ctx.clock.now() : null;
    await repo.updateDropReason(trx, actor.territoryId, reason.id, patch);
    await recordAudit(trx, ctx, actor, { action: 'case_drop_reason.updated', subjectType: 'case_drop_reason', subjectId: String(reason.id), data: change });
  });
}

// ---------------------------------------------------------------------------------------------- the household's own case

/** The signed-in person's own case, or null when they have not applied. Nobody else's case is reachable here. */
export async function getMyCase(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const c = await repo.findCaseOfContact(ctx.db, actor.territoryId, actor.userId);
  if (!c) return null;
  if (!isCaseOwner(actor, c)) throw new AppError('forbidden', 'errors.forbidden.text');
  const [adults, children, targetCodes, checklist, messages] = await Promise.all([
    repo.listAdults(ctx.db, c.id),
    repo.listChildren(ctx.db, c.id),
    repo.listTargetCodes(ctx.db, c.id),
    repo.listChecklist(ctx.db, c.id),
    repo.listMessages(ctx.db, c.id),
  ]);
  const today = parisDay(ctx.clock.now());
  const names = await communeNames(ctx, [...targetCodes, ...(c.settled_insee ? [c.settled_insee] : [])]);
  return {
    case: c,
    adults,
    children,
    targets: targetCodes.map((insee) => ({ insee, name: names.get(insee) ?? insee })),
    settledName: c.settled_insee ? (names.get(c.settled_insee) ?? c.settled_insee) : null,
    checklist,
    messages,
    today,
    // Buddy, follow-ups, stays, records and offers: each room's section loads its own.
    sections: await loadSections(ctx, householdSectionsPoint, actor, { case: c, adults, children, targetCodes, today }),
  };
}
export type MyCase = NonNullable<Awaited<ReturnType<typeof getMyCase>>>;

/** The household writes to the team; its adviser (or the whole team while nobody follows it) is told by mail. */
export async function sendHouseholdMessage(ctx: AppContext, actor: Actor, body: string) {
  assertSignedIn(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const own = await repo.findCaseOfContactForUpdate(trx, actor.territoryId, actor.userId);
    if (!own) throw new AppError('not_found', 'newcomers.my.none');
    const c = (await repo.findCase(trx, actor.territoryId, own.id))!;
    if (!isCaseOwner(actor, c)) throw new AppError('forbidden', 'errors.forbidden.text');
    const message = await repo.insertMessage(trx, { territoryId: actor.territoryId, caseId: c.id, authorId: actor.userId, fromStaff: false, body, now: ctx.clock.now() });
    for (const person of await staffToNotify(trx, ctx, c.adviser_id)) {
      await mail(trx, ctx, person.email, person.locale, 'messageToStaff', { name: c.contact_name, number: c.number }, `/admin/accueil/${c.id}#messages`);
    }
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.message_sent', subjectType: 'newcomer_case', subjectId: c.id, data: { message: message.id, from: 'household' } });
    return message;
  });
}

/**
 * Everything the household told the programme and everything the programme wrote to it, as JSON (right of access).
 * Staff's internal notes and tasks are working documents of the team and are not part of this self-service
 * export; a formal request covering them is answered by the programme (see the domain README).
 */
export async function exportMyData(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const c = await repo.findCaseOfContact(ctx.db, actor.territoryId, actor.userId);
  const exportedAt = ctx.clock.now().toISOString();
  if (!c) return { exportedAt, programme: ctx.territory.programmeName, case: null };
  if (!isCaseOwner(actor, c)) throw new AppError('forbidden', 'errors.forbidden.text');
  const [adults, children, targets, applications, stages, checklist, messages] = await Promise.all([
    repo.listAdults(ctx.db, c.id),
    repo.listChildren(ctx.db, c.id),
    repo.listTargetCodes(ctx.db, c.id),
    repo.listApplications(ctx.db, c.id),
    repo.listStageEvents(ctx.db, c.id),
    repo.listChecklist(ctx.db, c.id),
    repo.listMessages(ctx.db, c.id),
  ]);
  return {
    exportedAt,
    programme: ctx.territory.programmeName,
    case: {
      number: c.number,
      createdAt: c.created_at,
      stage: c.stage,
      contact: { name: c.contact_name, email: c.contact_email, phone: c.phone },
      currentPlace: c.current_place,
      timing: c.timing,
      needs: c.needs,
      heardFrom: c.heard_from,
      targetCommunes: targets,
      targetText: c.target_text,
      project: c.project_text,
      consents: { contactGivenAt: c.consent_contact_at, shareWithPartners: c.consent_share, shareGivenAt: c.consent_share_at },
      settled: c.settled_insee ? { commune: c.settled_insee, on: c.settled_on } : null,
      adults: adults.map((a) => ({ firstName: a.first_name, project: a.project, profession: a.profession, sector: a.sector })),
      children: children.map((ch) => ({ age: ch.age, schooling: ch.schooling, needs: ch.needs })),
      applications: applications.map((a) => ({ submittedAt: a.submitted_at, answers: a.payload })),
      stageHistory: stages.map((s) => ({ from: s.from_stage, to: s.to_stage, at: s.at })),
      checklist: checklist.map((i) => ({ item: i.key ?? i.label, doneAt: i.done_at })),
      messages: messages.map((m) => ({ at: m.created_at, from: m.from_staff ? 'staff' : 'household', author: m.author_name, text: m.body })),
      // Stays, buddy, follow-ups, documents and offers: each room adds its part.
      ...(await exportParts(ctx, actor, { case: c, adults, children, targetCodes: targets, today: parisDay(ctx.clock.now()) })),
    },
  };
}

async function exportParts(ctx: AppContext, actor: Actor & { userId: string }, facts: CaseFacts) {
  const parts = [...ctx.extensions.all(caseExportPoint)].sort((a, b) => a.order - b.order);
  const out: Record<string, unknown> = {};
  for (const part of parts) Object.assign(out, await part.load(ctx, actor, facts));
  return out;
}
