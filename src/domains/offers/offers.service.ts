/**
 * Offers, in the programme's words: the welcome team writes, publishes and withdraws takeovers, jobs and housing;
 * a partner proposes one and the team is told; anybody reads the published ones until their date; a household
 * says an offer interests it and its adviser is told; the case page suggests offers that fit the household.
 * Every change runs in one transaction with its audit entry and mails, and empties the anonymous page cache.
 */
import type { Actor, AppContext, Executor } from '../../context.js';
import type { OfferStatus } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { listUsersWithAnyRole } from '../accounts/index.js';
import { queueTemplatedMail } from '../mail/index.js';
import { recordAudit } from '../audit/index.js';
import { listCommuneNames, listEpcis } from '../territory/index.js';
import { assertOfferStaff, assertPartner, assertSignedIn, canEditProposal } from './offers.policy.js';
import { householdsPoint } from './offers.households.js';
import * as repo from './offers.repo.js';
import { type AdminOfferQuery, type OfferColumns, type OfferInput, offerToFormValues, type PublicOfferQuery } from './offers.schemas.js';
import { parisDay } from '../../shared/time.js';
import { isRowId } from '../../shared/input.js';
import type { Locale } from '../../web/i18n/index.js';
import { ROLE_GROUPS } from '../../shared/roles.js';

/** Offer mails carry a link to the page, never the offer's or the household's details. */
const mail = (db: Executor, ctx: AppContext, to: string, locale: Locale, kind: string, params: Record<string, string | number>, path: string) =>
  queueTemplatedMail(db, ctx, { to, locale, template: `newcomers.offers.mail.${kind}`, params, path });

export const PUBLIC_PAGE_SIZE = 20;
export const STAFF_PAGE_SIZE = 50;
export const MAX_SUGGESTIONS = 5;
/** An expiry further than this is a typing mistake more often than a plan. */
const MAX_YEARS_AHEAD = 2;

const notFound = () => new AppError('not_found', 'newcomers.offers.notFound');
const today = (ctx: AppContext) => parisDay(ctx.clock.now());
const pagesOf = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/** The households' cases, as the newcomers domain describes them (householdsPoint). */
const households = (ctx: AppContext) => ctx.extensions.all(householdsPoint)[0];

const staffOf = (db: Executor, territoryId: number) => listUsersWithAnyRole(db, territoryId, ROLE_GROUPS.team);

// ---------------------------------------------------------------------------------------------- writing offers

/** The form's answers as columns: the other kinds' columns stay empty (the database insists). */
function columnsOf(input: OfferInput): OfferColumns {
  const t = input.takeover;
  const j = input.job;
  const h = input.housing;
  return {
    kind: input.kind,
    title: input.title,
    description: input.description,
    insee: input.insee,
    expires_on: input.expiresOn,
    sector: input.kind === 'housing' ? null : (input.sector ?? null),
    price_min: t?.priceMin ?? null,
    price_max: t?.priceMax ?? null,
    turnover: t?.turnover ?? null,
    seller_name: t?.sellerName ?? null,
    seller_email: t?.sellerEmail ?? null,
    seller_phone: t?.sellerPhone ?? null,
    employer: j?.employer ?? null,
    contract: j?.contract ?? null,
    remote: j ? j.remote : null,
    housing_type: h?.housingType ?? null,
    price: h?.price ?? null,
    surface_m2: h?.surfaceM2 ?? null,
    rooms: h?.rooms ?? null,
    available_on: h?.availableOn ?? null,
  };
}

function addYears(day: string, years: number) {
  const [y, m, d] = day.split('-');
  return `${Number(y) + years}-${m}-${d}`;
}

/** What the schema cannot know: the commune belongs to the territory, the date is not past nor absurdly far. */
async function checkInput(ctx: AppContext, territoryId: number, input: OfferInput) {
  const errors: Record<string, string> = {};
  if (!(await repo.communeExists(ctx.db, territoryId, input.insee))) errors.insee = 'newcomers.offers.form.communeUnknown';
  const now = today(ctx);
  if (input.expiresOn < now) errors.expiresOn = 'newcomers.offers.form.expiryPast';
  else if (input.expiresOn > addYears(now, MAX_YEARS_AHEAD)) errors.expiresOn = 'newcomers.offers.form.expiryTooFar';
  if (Object.keys(errors).length) throw new AppError('invalid', 'errors.invalid', errors);
}

/** The team writes an offer: a draft, or published at once with "save and publish". */
export async function createOffer(ctx: AppContext, actor: Actor, input: OfferInput) {
  assertOfferStaff(actor);
  await checkInput(ctx, actor.territoryId, input);
  const status: OfferStatus = input.publish ? 'published' : 'draft';
  const offer = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const row = await repo.insertOffer(trx, {
      ...columnsOf(input),
      territory_id: actor.territoryId,
      status,
      proposed_by: null,
      created_by: actor.userId,
      now,
      published_by: status === 'published' ? actor.userId : null,
    });
    await recordAudit(trx, ctx, actor, { action: 'offer.created', subjectType: 'offer', subjectId: String(row.id), data: { kind: input.kind, status } });
    return row;
  });
  ctx.pageCache.clear();
  return offer;
}

/** The team changes an offer, whoever wrote it; "save and publish" also publishes it. */
export async function updateOffer(ctx: AppContext, actor: Actor, offerId: number, input: OfferInput) {
  assertOfferStaff(actor);
  if (!isRowId(offerId)) throw notFound();
  await checkInput(ctx, actor.territoryId, input);
  await ctx.db.transaction().execute(async (trx) => {
    const offer = await repo.lockOffer(trx, actor.territoryId, offerId);
    if (!offer) throw notFound();
    const now = ctx.clock.now();
    await repo.updateOfferColumns(trx, offer.id, columnsOf(input), now);
    const publish = input.publish && offer.status !== 'published';
    if (publish) await repo.setOfferStatus(trx, offer.id, { status: 'published', now, by: actor.userId });
    await recordAudit(trx, ctx, actor, { action: 'offer.updated', subjectType: 'offer', subjectId: String(offer.id), data: { kind: input.kind, ...(publish ? { published: true } : {}) } });
  });
  ctx.pageCache.clear();
}

async function changeStatus(ctx: AppContext, actor: Actor, offerId: number, to: 'published' | 'withdrawn') {
  assertOfferStaff(actor);
  if (!isRowId(offerId)) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const offer = await repo.lockOffer(trx, actor.territoryId, offerId);
    if (!offer) throw notFound();
    if (offer.status === to) return;
    if (to === 'published' && offer.expires_on < today(ctx)) throw new AppError('conflict', 'newcomers.offers.publishExpired');
    await repo.setOfferStatus(trx, offer.id, { status: to, now: ctx.clock.now(), by: actor.userId });
    // The partner who proposed it hears that it is online.
    if (to === 'published' && offer.status === 'proposed' && offer.proposed_by) {
      const [partner] = (await listUsersWithAnyRole(trx, actor.territoryId, ['partner'])).filter((p) => p.id === offer.proposed_by);
      if (partner) await mail(trx, ctx, partner.email, partner.locale, 'published', { title: offer.title }, `/offres/${offer.id}`);
    }
    await recordAudit(trx, ctx, actor, { action: to === 'published' ? 'offer.published' : 'offer.withdrawn', subjectType: 'offer', subjectId: String(offer.id), data: { from: offer.status } });
  });
  ctx.pageCache.clear();
}

/** Puts a draft, a partner's proposal or a withdrawn offer on the public list (its date must not be past). */
export const publishOffer = (ctx: AppContext, actor: Actor, offerId: number) => changeStatus(ctx, actor, offerId, 'published');
/** Takes an offer off the public list; its page then says it is no longer available. */
export const withdrawOffer = (ctx: AppContext, actor: Actor, offerId: number) => changeStatus(ctx, actor, offerId, 'withdrawn');

// ---------------------------------------------------------------------------------------------- the team's reads

export async function listOffersForStaff(ctx: AppContext, actor: Actor, q: AdminOfferQuery) {
  assertOfferStaff(actor);
  const { rows, total } = await repo.listOffersForStaff(ctx.db, actor.territoryId, { kind: q.type, status: q.statut }, today(ctx), STAFF_PAGE_SIZE, (q.page - 1) * STAFF_PAGE_SIZE);
  return { rows, total, page: q.page, pages: pagesOf(total, STAFF_PAGE_SIZE), today: today(ctx) };
}

/** One offer for the team: every field (the seller's contact included) and the households interested. */
export async function getOfferForStaff(ctx: AppContext, actor: Actor, offerId: number) {
  assertOfferStaff(actor);
  if (!isRowId(offerId)) throw notFound();
  const offer = await repo.findOfferForStaff(ctx.db, actor.territoryId, offerId);
  if (!offer) throw notFound();
  const rows = await repo.listInterestsOfOffer(ctx.db, offer.id);
  const cases = new Map((await households(ctx)?.describe(ctx.db, actor.territoryId, rows.map((r) => r.case_id)) ?? []).map((c) => [c.id, c]));
  const interests = rows.flatMap((r) => {
    const c = cases.get(r.case_id);
    return c ? [{ at: r.at, case_id: c.id, number: c.number, contact_name: c.contact_name, stage: c.stage }] : [];
  });
  return { offer, interests, today: today(ctx) };
}

const communeChoices = (ctx: AppContext, territoryId: number) => listCommuneNames(ctx.db, territoryId);

/** What the team's form starts from: an empty offer, or the offer being changed. */
export async function getOfferFormForStaff(ctx: AppContext, actor: Actor, offerId?: number) {
  assertOfferStaff(actor);
  let values: Record<string, string> = {};
  let status: OfferStatus | null = null;
  if (offerId !== undefined) {
    if (!isRowId(offerId)) throw notFound();
    const offer = await repo.findOfferForStaff(ctx.db, actor.territoryId, offerId);
    if (!offer) throw notFound();
    values = offerToFormValues(offer);
    status = offer.status;
  }
  return { values, status, communes: await communeChoices(ctx, actor.territoryId) };
}

// ---------------------------------------------------------------------------------------------- partners

/** A partner proposes an offer; it waits for the team, who are told by mail. */
export async function proposeOffer(ctx: AppContext, actor: Actor, input: OfferInput) {
  assertPartner(actor);
  await checkInput(ctx, actor.territoryId, input);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const row = await repo.insertOffer(trx, {
      ...columnsOf(input),
      territory_id: actor.territoryId,
      status: 'proposed',
      proposed_by: actor.userId,
      created_by: actor.userId,
      now,
      published_by: null,
    });
    for (const person of await staffOf(trx, actor.territoryId)) {
      await mail(trx, ctx, person.email, person.locale, 'proposed', { title: input.title }, `/admin/offres/${row.id}`);
    }
    await recordAudit(trx, ctx, actor, { action: 'offer.proposed', subjectType: 'offer', subjectId: String(row.id), data: { kind: input.kind } });
    return row;
  });
}

/** A partner corrects its own proposal, until the team publishes it. */
export async function updateProposal(ctx: AppContext, actor: Actor, offerId: number, input: OfferInput) {
  assertPartner(actor);
  if (!isRowId(offerId)) throw notFound();
  await checkInput(ctx, actor.territoryId, input);
  await ctx.db.transaction().execute(async (trx) => {
    const offer = await repo.lockOffer(trx, actor.territoryId, offerId);
    if (!offer) throw notFound();
    if (offer.proposed_by !== actor.userId) throw new AppError('forbidden', 'errors.forbidden.text');
    if (!canEditProposal(actor, offer)) throw new AppError('conflict', 'newcomers.offers.partner.locked');
    await repo.updateOfferColumns(trx, offer.id, columnsOf(input), ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'offer.updated', subjectType: 'offer', subjectId: String(offer.id), data: { kind: input.kind } });
  });
}

/**
 * A partner takes back its own proposal before the team publishes it (the housing was let, the seller changed
 * their mind). A published offer is the team's to withdraw.
 */
export async function withdrawProposal(ctx: AppContext, actor: Actor, offerId: number) {
  assertPartner(actor);
  if (!isRowId(offerId)) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const offer = await repo.lockOffer(trx, actor.territoryId, offerId);
    if (!offer) throw notFound();
    if (offer.proposed_by !== actor.userId) throw new AppError('forbidden', 'errors.forbidden.text');
    if (offer.status === 'withdrawn') return;
    if (!canEditProposal(actor, offer)) throw new AppError('conflict', 'newcomers.offers.partner.locked');
    await repo.setOfferStatus(trx, offer.id, { status: 'withdrawn', now: ctx.clock.now(), by: actor.userId });
    await recordAudit(trx, ctx, actor, { action: 'offer.withdrawn', subjectType: 'offer', subjectId: String(offer.id), data: { from: offer.status, byProposer: true } });
  });
  ctx.pageCache.clear();
}

/** A partner's own offers, whatever their status. */
export async function listOwnProposals(ctx: AppContext, actor: Actor) {
  assertPartner(actor);
  const { rows } = await repo.listOffersForStaff(ctx.db, actor.territoryId, { proposedBy: actor.userId }, today(ctx), 500, 0);
  return { rows, today: today(ctx) };
}

/** The partner's form: empty, or one of its own proposals still waiting for the team. */
export async function getProposalForm(ctx: AppContext, actor: Actor, offerId?: number) {
  assertPartner(actor);
  let values: Record<string, string> = {};
  if (offerId !== undefined) {
    if (!isRowId(offerId)) throw notFound();
    const offer = await repo.findOfferForStaff(ctx.db, actor.territoryId, offerId);
    if (!offer) throw notFound();
    if (offer.proposed_by !== actor.userId) throw new AppError('forbidden', 'errors.forbidden.text');
    if (!canEditProposal(actor, offer)) throw new AppError('conflict', 'newcomers.offers.partner.locked');
    values = offerToFormValues(offer);
  }
  return { values, communes: await communeChoices(ctx, actor.territoryId) };
}

// ---------------------------------------------------------------------------------------------- public reads

/** For the site search (/recherche): live offers only, which anyone may read. */
export const searchOffers = (ctx: AppContext, q: { tsquery: string; text: string }, limit = 10) => repo.searchLiveOffers(ctx.db, ctx.territory.id, q, today(ctx), limit);

/** The public list: live offers only, filtered, newest first; with what the filters offer to choose from. */
export async function listLiveOffers(ctx: AppContext, q: PublicOfferQuery) {
  const day = today(ctx);
  const territoryId = ctx.territory.id;
  const filter: repo.PublicOfferFilter = {
    kind: q.type,
    housingType: q.logement,
    insee: q.commune,
    epciSiren: q.epci,
    sector: q.secteur,
    maxPrice: q.prixMax,
  };
  const [{ rows, total }, communes, epcis] = await Promise.all([
    repo.listPublicOffers(ctx.db, territoryId, filter, day, PUBLIC_PAGE_SIZE, (q.page - 1) * PUBLIC_PAGE_SIZE),
    repo.listCommunesWithOffers(ctx.db, territoryId, day),
    listEpcis(ctx.db, territoryId),
  ]);
  return { rows, total, page: q.page, pages: pagesOf(total, PUBLIC_PAGE_SIZE), communes, epcis };
}

/**
 * One offer for the public page. Drafts and proposals do not exist for the public (404); a withdrawn or expired
 * offer answers `available: false` so the page says it is gone. A signed-in visitor learns whether its household
 * can say it is interested (it needs a case) and whether it already did.
 */
export async function getLiveOffer(ctx: AppContext, actor: Actor, offerId: number) {
  if (!isRowId(offerId)) throw notFound();
  const offer = await repo.findPublicOffer(ctx.db, ctx.territory.id, offerId);
  if (!offer || offer.status === 'draft' || offer.status === 'proposed') throw notFound();
  const available = offer.status === 'published' && offer.expires_on >= today(ctx);
  let viewer: { hasCase: boolean; interested: boolean } | null = null;
  if (actor.userId && available) {
    const own = await households(ctx)?.caseOfContact(ctx.db, actor.territoryId, actor.userId);
    viewer = { hasCase: !!own, interested: own ? await repo.hasInterest(ctx.db, offer.id, own.id) : false };
  }
  return { offer, available, viewer };
}

// ---------------------------------------------------------------------------------------------- interest

/**
 * The household says the offer interests it. Saying it twice changes nothing and mails nobody again. Its adviser,
 * or the whole team while nobody follows the case, gets a mail with a link to the case.
 */
export async function markInterest(ctx: AppContext, actor: Actor, offerId: number) {
  assertSignedIn(actor);
  if (!isRowId(offerId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const own = await households(ctx)?.caseOfContact(trx, actor.territoryId, actor.userId);
    if (!own) throw new AppError('forbidden', 'newcomers.offers.interest.noCase');
    const offer = await repo.lockOffer(trx, actor.territoryId, offerId);
    if (!offer || offer.status === 'draft' || offer.status === 'proposed') throw notFound();
    if (offer.status !== 'published' || offer.expires_on < today(ctx)) throw new AppError('conflict', 'newcomers.offers.gone.text');
    const inserted = await repo.insertInterest(trx, { territoryId: actor.territoryId, offerId: offer.id, caseId: own.id, at: ctx.clock.now() });
    if (!inserted) return { created: false };
    const staff = await staffOf(trx, actor.territoryId);
    const adviser = own.adviser_id ? staff.find((s) => s.id === own.adviser_id) : undefined;
    for (const person of adviser ? [adviser] : staff) {
      await mail(trx, ctx, person.email, person.locale, 'interest', { number: own.number, title: offer.title }, `/admin/accueil/${own.id}#offres`);
    }
    await recordAudit(trx, ctx, actor, { action: 'offer.interest_marked', subjectType: 'newcomer_case', subjectId: own.id, data: { offer: offer.id } });
    return { created: true };
  });
}

// ---------------------------------------------------------------------------------------------- the case page and /mon-projet

/** Which offers fit a household: takeovers for a takeover project, jobs for a job search, housing as needed. */
export function wantedFor(projects: readonly string[], needs: readonly string[]): repo.Wanted {
  const housingTypes: string[] = [];
  if (needs.includes('housing_rent')) housingTypes.push('rent');
  if (needs.includes('housing_buy')) housingTypes.push('sale');
  if (needs.includes('temporary_housing')) housingTypes.push('temporary');
  return { takeover: projects.includes('takeover'), job: projects.includes('job_search'), housingTypes };
}

/**
 * The case page's offers section: the offers the household said interest it and up to five live offers that fit
 * it in its target villages or their intercommunalities. Called for the newcomers case page, after its staff check.
 */
export async function offersForCaseFile(ctx: AppContext, c: { id: string; needs: readonly string[]; projects: readonly string[]; targets: readonly string[] }) {
  const wanted = wantedFor(c.projects, c.needs);
  const anything = wanted.takeover || wanted.job || wanted.housingTypes.length > 0;
  const [interests, suggestions] = await Promise.all([
    repo.listInterestsOfCase(ctx.db, c.id),
    anything && c.targets.length ? repo.suggestOffers(ctx.db, ctx.territory.id, c.targets, wanted, today(ctx), MAX_SUGGESTIONS) : Promise.resolve([]),
  ]);
  return { interests, suggestions, hasTargets: c.targets.length > 0, anything, today: today(ctx) };
}
export type CaseOffers = Awaited<ReturnType<typeof offersForCaseFile>>;

/** The household's own interests, for /mon-projet and its export, after the page's owner check. */
export const interestsForMyCase = (ctx: AppContext, caseId: string) => repo.listInterestsOfCase(ctx.db, caseId);
export type MyOfferInterest = repo.CaseInterestRow;

export type StaffOfferSummary = repo.StaffOfferSummary;
export type StaffOffer = repo.StaffOfferRow;
export type PublicOffer = repo.PublicOfferRow;
export type PublicOfferSummary = repo.PublicOfferSummary;
