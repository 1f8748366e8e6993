/**
 * Partners of the newcomer journey: staff describe each partner (organisation, communes, theme), share a case
 * with a partner when the household consented, and revoke; a partner sees the cases shared with it, in a limited
 * view, and may leave notes for the team. Every opening by a partner is logged for staff; so is every refused
 * attempt. A partner is told about a share by a mail carrying a link, never the case's content.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { findUserByEmail, listUsersWithAnyRole } from '../../accounts/index.js';
import { recordAudit } from '../../audit/index.js';
import { communeNames, listAdults, listChildren, listTargetCodes } from '../cases/index.js';
import { assertPartner } from './partners.policy.js';
import * as pr from './partners.repo.js';
import type { PartnerProfileInput } from './partners.schemas.js';
import { assertCaseStaff } from '../newcomers.policy.js';
import { caseMailer, isUuid, notFound } from '../newcomers.common.js';
import { ROLE_GROUPS } from '../../../shared/roles.js';

/** French order of names: one collator built once, rather than `localeCompare(x, 'fr')` resolving the locale at each comparison. */
const byFrenchName = new Intl.Collator('fr').compare;

const mail = caseMailer('newcomers.partners.mail');

/** How many of a case's latest partner views its page lists (the total is shown too). */
export const LATEST_VIEWS = 50;

const forbidden = () => new AppError('forbidden', 'errors.forbidden.text');

const partnerAccounts = (db: Executor, territoryId: number) => listUsersWithAnyRole(db, territoryId, ['partner']);

// ---------------------------------------------------------------------------------------------- staff: profiles

/** The territory's partner-role accounts, each with its profile (if staff wrote one) and its live shares. */
export async function listPartnersForStaff(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  const accounts = await partnerAccounts(ctx.db, actor.territoryId);
  const [profiles, counts] = await Promise.all([
    pr.listProfiles(ctx.db, actor.territoryId, accounts.map((a) => a.id)),
    pr.countLiveSharesByPartner(ctx.db, actor.territoryId),
  ]);
  const names = await communeNames(ctx.db, actor.territoryId, profiles.flatMap((p) => p.communes));
  const byUser = new Map(profiles.map((p) => [p.user_id, p]));
  const shares = new Map(counts.map((c) => [c.partner_id, Number(c.n)]));
  return accounts.map((a) => {
    const p = byUser.get(a.id);
    return {
      id: a.id,
      name: a.display_name,
      email: a.email,
      profile: p ? { organisation: p.organisation, kind: p.kind, theme: p.theme, communes: p.communes.map((insee) => ({ insee, name: names.get(insee) ?? insee })) } : null,
      liveShares: shares.get(a.id) ?? 0,
    };
  });
}
export type PartnerListRow = Awaited<ReturnType<typeof listPartnersForStaff>>[number];

/** One partner account and its profile as form values; anything that is not a partner of the territory is not found. */
export async function getPartnerForStaff(ctx: AppContext, actor: Actor, userId: string) {
  assertCaseStaff(actor);
  if (!isUuid(userId)) throw notFound();
  const account = (await partnerAccounts(ctx.db, actor.territoryId)).find((a) => a.id === userId);
  if (!account) throw notFound();
  const [profile] = await pr.listProfiles(ctx.db, actor.territoryId, [account.id]);
  return {
    account: { id: account.id, name: account.display_name, email: account.email },
    values: profile
      ? { organisation: profile.organisation, kind: profile.kind, theme: profile.theme ?? '', communes: profile.communes.join(', ') }
      : { organisation: account.display_name },
  };
}
export type PartnerForStaff = Awaited<ReturnType<typeof getPartnerForStaff>>;

export async function savePartnerProfile(ctx: AppContext, actor: Actor, userId: string, input: PartnerProfileInput) {
  assertCaseStaff(actor);
  if (!isUuid(userId)) throw notFound();
  const known = await communeNames(ctx.db, actor.territoryId, input.communes);
  if (input.communes.some((c) => !known.has(c))) {
    throw new AppError('invalid', 'newcomers.partners.profile.unknownCommune', { communes: 'newcomers.partners.profile.unknownCommune' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await partnerAccounts(trx, actor.territoryId)).some((a) => a.id === userId)) throw notFound();
    await pr.saveProfile(trx, { territoryId: actor.territoryId, userId, ...input, by: actor.userId, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, {
      action: 'partner_profile.saved',
      subjectType: 'user_account',
      subjectId: userId,
      data: { organisation: input.organisation, kind: input.kind, theme: input.theme, communes: input.communes },
    });
  });
}

/**
 * Demo content: a profile for the demo partner account, so a case aiming at its communes suggests it. Idempotent,
 * and a profile staff already edited is left as it is; communes the territory lacks are skipped.
 */
export async function loadDemoPartnerProfile(ctx: AppContext, email: string, profile: { organisation: string; kind: pr.PartnerKind; theme?: pr.PartnerTheme; communes: string[] }) {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) return;
  const known = await communeNames(ctx.db, ctx.territory.id, profile.communes);
  await ctx.db.transaction().execute((trx) =>
    pr.insertProfileIfAbsent(trx, { territoryId: ctx.territory.id, userId: user.id, organisation: profile.organisation, kind: profile.kind, theme: profile.theme ?? null, communes: profile.communes.filter((c) => known.has(c)), now: ctx.clock.now() }),
  );
}

// ---------------------------------------------------------------------------------------------- staff: the case page

type Theme = pr.PartnerTheme;
interface Household {
  adults: { project: string }[];
  children: unknown[];
  targetCodes: string[];
}

const ENTREPRENEURIAL = new Set(['freelance', 'creation', 'takeover']);
const HOUSING = new Set(['housing_rent', 'housing_buy', 'temporary_housing']);

/** Whether a partner's theme meets what this household needs or plans. */
function themeFits(theme: Theme | null, c: { needs: string[] }, h: Household) {
  switch (theme) {
    case 'business':
      return h.adults.some((a) => ENTREPRENEURIAL.has(a.project));
    case 'jobs':
      return h.adults.some((a) => a.project === 'job_search') || c.needs.includes('partner_job');
    case 'housing':
      return c.needs.some((n) => HOUSING.has(n));
    case 'schooling':
      return h.children.length > 0 || c.needs.includes('schooling') || c.needs.includes('childcare');
    default:
      return false;
  }
}

/**
 * The partners section of a staff case page: whether the household consents, the shares (live and revoked),
 * the partners it may be shared with (those whose communes meet the target villages, or whose theme fits the
 * household, first), the partners' views and refused attempts, and their notes.
 */
export async function partnersOfCase(ctx: AppContext, actor: Actor, c: { id: string; consent_share: boolean; needs: string[] }, household: Household) {
  assertCaseStaff(actor);
  const db = ctx.db;
  const territoryId = actor.territoryId;
  const [accounts, shares, views, notes] = await Promise.all([
    partnerAccounts(db, territoryId),
    pr.listSharesOfCase(db, territoryId, c.id),
    pr.listViews(db, territoryId, c.id, LATEST_VIEWS),
    pr.listPartnerNotes(db, territoryId, c.id),
  ]);
  const profiles = await pr.listProfiles(db, territoryId, accounts.map((a) => a.id));
  const byUser = new Map(profiles.map((p) => [p.user_id, p]));
  const targets = new Set(household.targetCodes);
  const names = await communeNames(db, territoryId, profiles.flatMap((p) => p.communes).filter((x) => targets.has(x)));
  const live = new Set(shares.filter((s) => !s.revoked_at).map((s) => s.partner_id));
  const choices = accounts
    .filter((a) => !live.has(a.id))
    .map((a) => {
      const p = byUser.get(a.id);
      const communes = (p?.communes ?? []).filter((x) => targets.has(x)).map((x) => names.get(x) ?? x);
      const theme = p && themeFits(p.theme, c, household) ? p.theme : null;
      return { id: a.id, name: p?.organisation ?? a.display_name, kind: p?.kind ?? null, communes, theme, suggested: communes.length > 0 || theme !== null };
    })
    .sort((a, b) => Number(b.suggested) - Number(a.suggested) || byFrenchName(a.name, b.name));
  return {
    caseId: c.id,
    consent: c.consent_share,
    shares: shares.map((s) => ({ ...s, name: s.organisation ?? s.partner_name })),
    choices,
    views: { rows: views.rows.map((v) => ({ ...v, name: v.organisation ?? v.partner_name })), total: views.total },
    notes: notes.map((n) => ({ ...n, name: n.organisation ?? n.author_name })),
  };
}
export type CasePartners = Awaited<ReturnType<typeof partnersOfCase>>;

/**
 * Shares a case with a partner: only while the household consents, only with a partner of the territory. The case
 * row is locked, so a re-application withdrawing consent at the same moment is applied before or after, never
 * half-way. Sharing again a case already shared with that partner changes nothing.
 */
export async function shareCaseWithPartner(ctx: AppContext, actor: Actor, caseId: string, partnerId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const territoryId = actor.territoryId;
    const c = await pr.lockCase(trx, territoryId, caseId);
    if (!c) throw notFound();
    if (!c.consent_share) throw new AppError('conflict', 'newcomers.partners.share.noConsent');
    const partner = (await partnerAccounts(trx, territoryId)).find((p) => p.id === partnerId);
    if (!partner) throw new AppError('invalid', 'newcomers.partners.share.notPartner', { partnerId: 'newcomers.partners.share.notPartner' });
    const now = ctx.clock.now();
    const share = await pr.insertShare(trx, { territoryId, caseId: c.id, partnerId: partner.id, by: actor.userId, now });
    if (!share) return { shared: false };
    await mail(trx, ctx, partner.email, partner.locale, 'shared', { number: c.number }, `/partenaire/dossiers/${c.id}`);
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.shared', subjectType: 'newcomer_case', subjectId: c.id, data: { number: c.number, partner: partner.id, share: share.id } });
    return { shared: true };
  });
}

/** Ends a partner's access to a case at once; the share stays in the case's history. Revoking twice is harmless. */
export async function revokeCaseShare(ctx: AppContext, actor: Actor, caseId: string, partnerId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId) || !isUuid(partnerId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const c = await pr.lockCase(trx, actor.territoryId, caseId);
    if (!c) throw notFound();
    const share = await pr.findLiveShare(trx, c.id, partnerId);
    if (!share) return { revoked: false };
    await pr.revokeShare(trx, share.id, actor.userId, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.share_revoked', subjectType: 'newcomer_case', subjectId: c.id, data: { number: c.number, partner: partnerId, share: share.id } });
    return { revoked: true };
  });
}

// ---------------------------------------------------------------------------------------------- the partner area

/**
 * A partner asked for a case it may not see. The answer is the same 403 whatever the id (existing or not, well
 * formed or not), so nothing leaks; the attempt is written to the audit log with the id tried and, when the case
 * exists, shown to staff on its page. The record is committed on its own, then the refusal is thrown.
 */
async function refuse(ctx: AppContext, actor: Actor & { userId: string }, tried: string) {
  const id = tried.slice(0, 100);
  await ctx.db.transaction().execute(async (trx) => {
    const exists = isUuid(id) && (await pr.caseExists(trx, actor.territoryId, id));
    if (exists) await pr.insertView(trx, { territoryId: actor.territoryId, caseId: id, partnerId: actor.userId, at: ctx.clock.now(), refused: true });
    await recordAudit(trx, ctx, actor, {
      action: 'newcomer_case.partner_access_denied',
      ...(isUuid(id) ? { subjectType: 'newcomer_case', subjectId: id } : {}),
      data: { tried: id },
    });
  });
  return forbidden();
}

/** The cases shared with the signed-in partner today (consent still given, share not revoked). */
export async function listMySharedCases(ctx: AppContext, actor: Actor) {
  assertPartner(actor);
  const [rows, [profile]] = await Promise.all([
    pr.listCasesVisibleTo(ctx.db, actor.territoryId, actor.userId),
    pr.listProfiles(ctx.db, actor.territoryId, [actor.userId]),
  ]);
  const names = await communeNames(ctx.db, actor.territoryId, rows.flatMap((r) => r.communes));
  return {
    organisation: profile?.organisation ?? null,
    rows: rows.map((r) => ({
      ...r,
      firstNames: r.first_names.filter((n): n is string => !!n),
      villages: r.communes.map((insee) => names.get(insee) ?? insee),
    })),
  };
}
export type MySharedCases = Awaited<ReturnType<typeof listMySharedCases>>;

/**
 * The limited view of a case for the partner it is shared with: how to reach the household (it consented to
 * partners contacting it), who moves, their projects, target villages, needs and timing, and the partner's own
 * notes. Never staff notes, tasks, messages, documents nor other partners' notes. Each opening is logged.
 */
export async function getSharedCase(ctx: AppContext, actor: Actor, caseId: string) {
  assertPartner(actor);
  if (!isUuid(caseId)) throw await refuse(ctx, actor, caseId);
  const db = ctx.db;
  const c = await pr.findCaseVisibleTo(db, actor.territoryId, caseId, actor.userId);
  if (!c) throw await refuse(ctx, actor, caseId);
  const [adults, children, targetCodes, notes] = await Promise.all([
    listAdults(db, c.id),
    listChildren(db, c.id),
    listTargetCodes(db, c.id),
    pr.listPartnerNotes(db, actor.territoryId, c.id, actor.userId),
    pr.insertView(db, { territoryId: actor.territoryId, caseId: c.id, partnerId: actor.userId, at: ctx.clock.now(), refused: false }),
  ]);
  const names = await communeNames(db, actor.territoryId, targetCodes);
  return {
    case: c,
    adults: adults.map((a) => ({ position: a.position, first_name: a.first_name, project: a.project, profession: a.profession, sector: a.sector })),
    children: children.map((ch) => ({ position: ch.position, age: ch.age, schooling: ch.schooling })),
    targets: targetCodes.map((insee) => ({ insee, name: names.get(insee) ?? insee })),
    notes,
  };
}
export type SharedCase = Awaited<ReturnType<typeof getSharedCase>>;

/** A partner writes a note for the team on a case shared with it; the adviser (if any) gets a link by mail. */
export async function addPartnerNote(ctx: AppContext, actor: Actor, caseId: string, body: string) {
  assertPartner(actor);
  if (!isUuid(caseId)) throw await refuse(ctx, actor, caseId);
  const note = await ctx.db.transaction().execute(async (trx) => {
    const locked = await pr.lockCase(trx, actor.territoryId, caseId);
    const c = locked ? await pr.findCaseVisibleTo(trx, actor.territoryId, caseId, actor.userId) : undefined;
    if (!c) return null;
    const row = await pr.insertPartnerNote(trx, { territoryId: actor.territoryId, caseId: c.id, authorId: actor.userId, body, now: ctx.clock.now() });
    if (c.adviser_id) {
      const adviser = (await listUsersWithAnyRole(trx, actor.territoryId, ROLE_GROUPS.team)).find((s) => s.id === c.adviser_id);
      if (adviser) await mail(trx, ctx, adviser.email, adviser.locale, 'note', { number: c.number }, `/admin/accueil/${c.id}#partenaires`);
    }
    // The text stays out of the audit log, as for staff notes.
    await recordAudit(trx, ctx, actor, { action: 'newcomer_case.partner_note_added', subjectType: 'newcomer_case', subjectId: c.id, data: { note: row.id } });
    return row;
  });
  if (!note) throw await refuse(ctx, actor, caseId);
  return note;
}
