/**
 * Buddies (parrainage): members who offer to accompany newcomers (home commune, project types they can talk about, a
 * short presentation, how many households at once). The case page suggests the nearest buddies who share the
 * household's projects; staff confirm a pairing and both sides are introduced by mail. The pairing then shows on the
 * household's page and on the buddy's page. Every change is audited; capacity holds under concurrent confirmations.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { recordAudit } from '../../audit/index.js';
import { haversineKm, listCommunesForMap } from '../../territory/index.js';
import { communeNames, communesByCode, findCase, listTargetCodes, lockCase } from '../cases/index.js';
import { assertMember } from './buddies.policy.js';
import { keepOpenBuddies } from './buddies.optin.js';
import * as repo from './buddies.repo.js';
import type { BuddyOfferInput, MarkBuddyInput } from './buddies.schemas.js';
import { assertCaseStaff } from '../newcomers.policy.js';
import { caseMailer, isUuid, notFound } from '../newcomers.common.js';

/** French order of names: one collator built once, rather than `localeCompare(x, 'fr')` resolving the locale at each comparison. */
const byFrenchName = new Intl.Collator('fr').compare;

const mail = caseMailer('newcomers.buddies.mail');

/** Each project type shared with the household counts as this many kilometres closer in the ranking. */
export const SHARED_PROJECT_KM = 20;
export const MAX_SUGGESTIONS = 10;

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

// ---------------------------------------------------------------------------------------------- communes

interface Place {
  insee: string;
  name: string;
  lat: number;
  lon: number;
}

async function places(ctx: AppContext, db: Executor = ctx.db) {
  const rows = await listCommunesForMap(db, ctx.territory.id);
  return { list: rows.map((r) => ({ insee: r.insee, name: r.name })), byCode: new Map<string, Place>(rows.map((r) => [r.insee, { insee: r.insee, name: r.name, lat: r.lat, lon: r.lon }])) };
}

async function communeName(db: Executor, territoryId: number, insee: string) {
  const [row] = await communesByCode(db, territoryId, [insee]);
  return row?.name;
}

// ---------------------------------------------------------------------------------------------- ranking

export interface Suggestion {
  userId: string;
  name: string;
  presentation: string | null;
  homeInsee: string;
  homeName: string;
  km: number | null;
  shared: string[];
  active: number;
  max: number;
  full: boolean;
}

/**
 * Ranks buddies for a household: the straight-line distance from the buddy's commune to the nearest of the case's
 * communes (the settled commune once settled, else the target villages), minus SHARED_PROJECT_KM per shared project
 * type. Buddies at capacity come last, marked full. Pure, so the ranking is tested on its own.
 */
export function rankBuddies(
  buddies: Pick<repo.BuddyRow, 'user_id' | 'display_name' | 'presentation' | 'home_insee' | 'projects' | 'max_households' | 'active'>[],
  byCode: Map<string, Place>,
  caseCodes: string[],
  caseProjects: string[],
): Suggestion[] {
  const targets = caseCodes.map((c) => byCode.get(c)).filter((p): p is Place => !!p);
  const wanted = new Set(caseProjects);
  const ranked = buddies.map((b) => {
    const home = byCode.get(b.home_insee);
    const km = home && targets.length ? Math.min(...targets.map((x) => haversineKm(home, x))) : null;
    const shared = b.projects.filter((p) => wanted.has(p));
    const active = Number(b.active);
    return {
      suggestion: { userId: b.user_id, name: b.display_name, presentation: b.presentation, homeInsee: b.home_insee, homeName: home?.name ?? b.home_insee, km: km === null ? null : Math.round(km), shared, active, max: b.max_households, full: active >= b.max_households },
      score: (km ?? 1000) - SHARED_PROJECT_KM * shared.length,
    };
  });
  ranked.sort((a, b) => Number(a.suggestion.full) - Number(b.suggestion.full) || a.score - b.score || byFrenchName(a.suggestion.name, b.suggestion.name));
  return ranked.map((r) => r.suggestion);
}

// ---------------------------------------------------------------------------------------------- the case page

/** The case page's "Parrainage" section: the current pairing, past ones, and ranked suggestions. Staff only (checked by the caller). */
export async function caseBuddies(ctx: AppContext, c: { id: string; stage: string; settled_insee: string | null }, targetCodes: string[], adults: { project: string }[]) {
  const [active, ended, listed] = await Promise.all([
    repo.findActivePairing(ctx.db, c.id),
    repo.listEndedPairings(ctx.db, c.id),
    repo.listBuddies(ctx.db, ctx.territory.id, { availableOnly: true }),
  ]);
  // A member who unticked "open to be a buddy" on their profile is no longer suggested.
  const buddies = await keepOpenBuddies(ctx, ctx.db, ctx.territory.id, listed);
  const codes = c.settled_insee ? [c.settled_insee] : targetCodes;
  const points = await communesByCode(ctx.db, ctx.territory.id, [...new Set([...codes, ...buddies.map((b) => b.home_insee), ...(active?.home_insee ? [active.home_insee] : [])])]);
  const byCode = new Map<string, Place>(points.map((p) => [p.insee, p]));
  const suggestions = active || c.stage === 'abandon' ? [] : rankBuddies(buddies, byCode, codes, adults.map((a) => a.project)).slice(0, MAX_SUGGESTIONS);
  return {
    active: active ? { ...active, homeName: active.home_insee ? (byCode.get(active.home_insee)?.name ?? active.home_insee) : null } : null,
    ended,
    suggestions,
    basis: c.settled_insee ? ('settled' as const) : ('targets' as const),
  };
}
export type CaseBuddies = Awaited<ReturnType<typeof caseBuddies>>;

/**
 * Staff pair a case with a buddy. The case row, then the buddy row, are locked: one active pairing per case and never
 * more households than the buddy accepts, even when two advisers confirm at the same moment. Both sides get a mail
 * introducing the other (first name, commune, address and a link): the household consented to be contacted, the
 * buddy by opting in.
 */
export async function confirmBuddyPairing(ctx: AppContext, actor: Actor, caseId: string, buddyUserId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  if (!isUuid(buddyUserId)) throw new AppError('invalid', 'newcomers.buddies.pickBuddy', { buddyId: 'newcomers.buddies.pickBuddy' });
  return ctx.db.transaction().execute(async (trx) => {
    const territoryId = actor.territoryId;
    const locked = await lockCase(trx, territoryId, caseId);
    if (!locked) throw notFound();
    if (locked.stage === 'abandon') throw new AppError('conflict', 'newcomers.buddies.caseDropped');
    if (await repo.lockActivePairing(trx, locked.id)) throw new AppError('conflict', 'newcomers.buddies.alreadyPaired');
    const buddyRow = await repo.lockBuddy(trx, territoryId, buddyUserId);
    if (!buddyRow || buddyRow.withdrawn_at || buddyRow.disabled_at || !(await keepOpenBuddies(ctx, trx, territoryId, [buddyRow])).length) {
      throw new AppError('invalid', 'newcomers.buddies.pickBuddy', { buddyId: 'newcomers.buddies.pickBuddy' });
    }
    if ((await repo.countActivePairings(trx, territoryId, buddyUserId)) >= buddyRow.max_households) {
      throw new AppError('conflict', 'newcomers.buddies.full', { buddyId: 'newcomers.buddies.full' });
    }
    const now = ctx.clock.now();
    const pairing = await repo.insertPairing(trx, { territoryId, caseId: locked.id, buddyUserId, by: actor.userId, now });
    if (!pairing) throw new AppError('conflict', 'newcomers.buddies.alreadyPaired');

    const c = (await findCase(trx, territoryId, locked.id))!;
    const buddy = (await repo.findBuddy(trx, territoryId, buddyUserId))!;
    const codes = c.settled_insee ? [c.settled_insee] : await listTargetCodes(trx, c.id);
    const names = await communeNames(trx, territoryId, [...codes, buddy.home_insee]);
    const villages = codes.map((code) => names.get(code) ?? code).join(', ') || '—';
    await mail(
      trx,
      ctx,
      buddy.email,
      buddy.locale,
      'toBuddy',
      { name: firstName(buddy.display_name), household: firstName(c.contact_name), villages, email: c.contact_email },
      '/parrainage',
    );
    await mail(
      trx,
      ctx,
      c.contact_email,
      c.contact_locale,
      'toHousehold',
      { name: firstName(c.contact_name), buddy: firstName(buddy.display_name), commune: names.get(buddy.home_insee) ?? buddy.home_insee, email: buddy.email },
      '/mon-projet#parrain',
    );
    await recordAudit(trx, ctx, actor, { action: 'case_buddy.confirmed', subjectType: 'newcomer_case', subjectId: c.id, data: { pairing: pairing.id, buddy: buddyUserId } });
    return pairing;
  });
}

/** Staff end the case's current pairing (the buddy's place frees up); the buddy and the household are both told. */
export async function endBuddyPairing(ctx: AppContext, actor: Actor, caseId: string) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, actor.territoryId, caseId);
    if (!locked) throw notFound();
    const pairing = await repo.lockActivePairing(trx, locked.id);
    if (!pairing) throw new AppError('conflict', 'newcomers.buddies.noPairing');
    await repo.endPairing(trx, pairing.id, actor.userId, ctx.clock.now());
    const c = await findCase(trx, actor.territoryId, locked.id);
    const buddy = await repo.findBuddy(trx, actor.territoryId, pairing.buddy_user_id);
    if (c && buddy) {
      await mail(trx, ctx, buddy.email, buddy.locale, 'endedToBuddy', { name: firstName(buddy.display_name), household: firstName(c.contact_name) }, '/parrainage');
      // An anonymised case has no address left to write to.
      if (c.contact_email) {
        await mail(trx, ctx, c.contact_email, c.contact_locale, 'endedToHousehold', { name: firstName(c.contact_name), buddy: firstName(buddy.display_name) }, '/mon-projet');
      }
    }
    await recordAudit(trx, ctx, actor, { action: 'case_buddy.ended', subjectType: 'newcomer_case', subjectId: locked.id, data: { pairing: pairing.id, buddy: pairing.buddy_user_id } });
  });
}

// ---------------------------------------------------------------------------------------------- the household's side

/** "Votre parrain / marraine" on /mon-projet: the current buddy's name, commune and address (the caller owns the case). */
export async function householdBuddy(ctx: AppContext, caseId: string) {
  const active = await repo.findActivePairing(ctx.db, caseId);
  if (!active) return null;
  const commune = active.home_insee ? await communeName(ctx.db, ctx.territory.id, active.home_insee) : undefined;
  return { name: active.display_name, email: active.email, commune: commune ?? null };
}
export type HouseholdBuddy = Awaited<ReturnType<typeof householdBuddy>>;

// ---------------------------------------------------------------------------------------------- the member's side

/** /parrainage: the member's offer (if any), the households they accompany, and the communes to choose from. */
export async function getMyBuddyPage(ctx: AppContext, actor: Actor) {
  assertMember(actor);
  const [buddy, households, territory] = await Promise.all([
    repo.findBuddy(ctx.db, actor.territoryId, actor.userId),
    repo.listHouseholdsOfBuddy(ctx.db, actor.territoryId, actor.userId),
    places(ctx),
  ]);
  const nameOf = (code: string) => territory.byCode.get(code)?.name ?? code;
  return {
    buddy: buddy ?? null,
    homeName: buddy ? nameOf(buddy.home_insee) : null,
    households: households.map((h) => ({
      id: h.id,
      since: h.confirmed_at,
      firstName: firstName(h.contact_name),
      email: h.contact_email,
      adults: Number(h.adults),
      children: Number(h.children),
      projects: h.projects,
      villages: (h.settled_insee ? [h.settled_insee] : h.communes).map((code) => ({ insee: code, name: nameOf(code) })),
    })),
    communes: territory.list,
  };
}
export type MyBuddyPage = Awaited<ReturnType<typeof getMyBuddyPage>>;

async function checkCommune(db: Executor, territoryId: number, insee: string) {
  if (!(await communeName(db, territoryId, insee))) throw new AppError('invalid', 'newcomers.buddies.communeUnknown', { homeInsee: 'newcomers.buddies.communeUnknown' });
}

const offerValues = (input: BuddyOfferInput): repo.BuddyValues => ({
  homeInsee: input.homeInsee,
  projects: input.projects,
  presentation: input.presentation ?? null,
  maxHouseholds: input.maxHouseholds,
});

/** A member offers to be a buddy, or updates the offer. */
export async function saveMyBuddyOffer(ctx: AppContext, actor: Actor, input: BuddyOfferInput) {
  assertMember(actor);
  await checkCommune(ctx.db, actor.territoryId, input.homeInsee);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findBuddy(trx, actor.territoryId, actor.userId);
    await repo.upsertBuddy(trx, { ...offerValues(input), territoryId: actor.territoryId, userId: actor.userId, markedBy: null, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, {
      action: before && !before.withdrawn_at ? 'buddy.updated' : 'buddy.opted_in',
      subjectType: 'user_account',
      subjectId: actor.userId,
      data: { commune: input.homeInsee, projects: input.projects, max: input.maxHouseholds },
    });
  });
}

/** A member steps back: no new pairings; the households already accompanied stay until staff end the pairing. */
export async function withdrawMyBuddyOffer(ctx: AppContext, actor: Actor) {
  assertMember(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const res = await repo.withdrawBuddy(trx, actor.territoryId, actor.userId, ctx.clock.now());
    if (!Number(res.numUpdatedRows)) return;
    await recordAudit(trx, ctx, actor, { action: 'buddy.withdrawn', subjectType: 'user_account', subjectId: actor.userId, data: {} });
  });
}

// ---------------------------------------------------------------------------------------------- staff's list of buddies

export async function listBuddiesForStaff(ctx: AppContext, actor: Actor) {
  assertCaseStaff(actor);
  const [buddies, pairings, territory] = await Promise.all([
    repo.listBuddies(ctx.db, actor.territoryId, { availableOnly: false }),
    repo.listActivePairings(ctx.db, actor.territoryId),
    places(ctx),
  ]);
  return {
    buddies: buddies.map((b) => ({ ...b, active: Number(b.active), homeName: territory.byCode.get(b.home_insee)?.name ?? b.home_insee, pairings: pairings.filter((p) => p.buddy_user_id === b.user_id) })),
    communes: territory.list,
  };
}
export type StaffBuddyList = Awaited<ReturnType<typeof listBuddiesForStaff>>;

/** Staff mark a member account as buddy (with the member's agreement, until members opt in themselves). */
export async function markMemberAsBuddy(ctx: AppContext, actor: Actor, input: MarkBuddyInput) {
  assertCaseStaff(actor);
  await checkCommune(ctx.db, actor.territoryId, input.homeInsee);
  return ctx.db.transaction().execute(async (trx) => {
    const member = await repo.findMemberByEmail(trx, actor.territoryId, input.email);
    if (!member || !member.is_member || member.disabled_at) throw new AppError('invalid', 'newcomers.buddies.notMember', { email: 'newcomers.buddies.notMember' });
    await repo.upsertBuddy(trx, { ...offerValues(input), territoryId: actor.territoryId, userId: member.id, markedBy: actor.userId, now: ctx.clock.now() });
    await recordAudit(trx, ctx, actor, {
      action: 'buddy.marked',
      subjectType: 'user_account',
      subjectId: member.id,
      data: { commune: input.homeInsee, projects: input.projects, max: input.maxHouseholds },
    });
  });
}

export async function unmarkBuddy(ctx: AppContext, actor: Actor, userId: string) {
  assertCaseStaff(actor);
  if (!isUuid(userId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const res = await repo.withdrawBuddy(trx, actor.territoryId, userId, ctx.clock.now());
    if (!Number(res.numUpdatedRows)) throw notFound();
    await recordAudit(trx, ctx, actor, { action: 'buddy.unmarked', subjectType: 'user_account', subjectId: userId, data: {} });
  });
}
