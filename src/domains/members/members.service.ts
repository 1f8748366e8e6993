/**
 * The members' reads that gather the rooms' data: the team's list and member page, the member's own page, the
 * API's answers, and the person's data for the export and erasure hooks.
 */
import type { Actor, AppContext } from '../../context.js';
import { recordAudit } from '../audit/index.js';
import type { HomeHighlight } from '../site/index.js';
import { tFor } from '../../web/i18n/index.js';
import { listPlans } from './plans/index.js';
import { eurosText, isUuid, memberNumber, notFound, reminderWindow, statusOf, today, addDays } from './members.common.js';
import { assertMemberStaff, assertSignedIn } from './members.policy.js';
import * as repo from './members.repo.js';
import { eraseProfileData, exportProfileData, listSkillChoices, skillKey } from './profiles/index.js';
import { deleteMemberNotes, listMemberNotes } from './notes/index.js';
import { filterParams, type MemberListQuery } from './members.schemas.js';
import { listCommunesForMap, listEpcis } from '../territory/index.js';
import { toCsv } from '../../shared/csv.js';
import { parisDay } from '../../shared/time.js';

export const STAFF_PAGE_SIZE = 50;

async function statusContext(ctx: AppContext, territoryId: number) {
  const offsets = await repo.getReminderOffsets(ctx.db, territoryId);
  const day = today(ctx);
  const window = reminderWindow(offsets);
  return { offsets, day, window, windowEnd: addDays(day, window) };
}

/**
 * The list's filters as the team chose them, checked against what exists: a commune, EPCI, plan or skill that does
 * not exist reads as "all" (and is dropped from `query`, so the page shows what was applied). With the choices the
 * filter form offers.
 */
export async function resolveMemberFilter(ctx: AppContext, actor: Actor, q: MemberListQuery) {
  assertMemberStaff(actor);
  const [plans, communes, epcis, skills, s] = await Promise.all([
    listPlans(ctx.db, actor.territoryId),
    listCommunesForMap(ctx.db, actor.territoryId),
    listEpcis(ctx.db, actor.territoryId),
    listSkillChoices(ctx),
    statusContext(ctx, actor.territoryId),
  ]);
  const key = q.competence === undefined ? undefined : skillKey(q.competence);
  const skill = key ? skills.find((k) => k.key === key) : undefined;
  const query: MemberListQuery = {
    ...q,
    formule: plans.some((p) => p.id === q.formule) ? q.formule : undefined,
    commune: communes.some((c) => c.insee === q.commune) ? q.commune : undefined,
    epci: epcis.some((e) => e.siren === q.epci) ? q.epci : undefined,
    competence: skill?.key,
  };
  const filter: repo.MemberFilter = { status: query.statut, planId: query.formule, insee: query.commune, epciSiren: query.epci, expiryMonth: query.echeance, skillKey: query.competence };
  return {
    query,
    filter,
    status: s,
    choices: {
      plans,
      communes: communes.map((c) => ({ insee: c.insee, name: c.name })),
      epcis,
      skills: skills.map((k) => ({ key: k.key, label: k.label })),
    },
  };
}

export type MemberFilterChoices = Awaited<ReturnType<typeof resolveMemberFilter>>['choices'];

export async function listMembersForStaff(ctx: AppContext, actor: Actor, q: MemberListQuery) {
  const { query, filter, status: s, choices } = await resolveMemberFilter(ctx, actor, q);
  const { rows, total } = await repo.listMembers(ctx.db, actor.territoryId, filter, s.day, s.windowEnd, STAFF_PAGE_SIZE, (query.page - 1) * STAFF_PAGE_SIZE);
  return { rows, total, page: query.page, pages: Math.max(1, Math.ceil(total / STAFF_PAGE_SIZE)), plans: choices.plans, choices, query };
}

/**
 * The filtered list as CSV for French Excel (shared/csv.ts: BOM, `;`, formulas neutralised), with what the team may
 * see of each member (e-mail and phone included, never the card token or decision texts). The export is audited.
 */
export async function exportMembersCsv(ctx: AppContext, actor: Actor, q: MemberListQuery) {
  const { query, filter, status: s } = await resolveMemberFilter(ctx, actor, q);
  const rows = await repo.listMembersForExport(ctx.db, actor.territoryId, filter, s.day, s.windowEnd);
  const t = tFor('fr');
  const header = [
    'members.staff.number', 'members.csv.lastName', 'members.csv.firstName', 'members.staff.status', 'members.staff.plan', 'members.staff.validUntil',
    'members.staff.commune', 'members.csv.insee', 'members.csv.epci', 'members.join.email', 'members.join.phone', 'members.join.activity', 'members.csv.skills', 'members.staff.appliedAt',
  ].map((k) => t(k));
  const body = rows.map((r) => [
    memberNumber(r.number),
    r.last_name,
    r.first_name,
    t(`members.status.${r.status}`),
    r.plan_name,
    r.valid_until ?? '',
    r.outside_territory ? t('members.join.outsideShort') : r.commune_name,
    r.insee,
    r.epci_name,
    r.email,
    r.phone,
    r.activity,
    r.skills,
    parisDay(r.created_at),
  ]);
  await recordAudit(ctx.db, ctx, actor, { action: 'member.list_exported', subjectType: 'member', data: { count: rows.length, filter: filterParams(query) } });
  return { name: `adherents-${s.day}.csv`, body: toCsv([header, ...body]) };
}

/** One member for the team: identity, status, dues with their receipts, reminders sent, and the payment form's defaults. */
export async function getMemberForStaff(ctx: AppContext, actor: Actor, memberId: string) {
  assertMemberStaff(actor);
  if (!isUuid(memberId)) throw notFound();
  const member = await repo.findMember(ctx.db, actor.territoryId, memberId);
  if (!member) throw notFound();
  const s = await statusContext(ctx, actor.territoryId);
  const [payments, reminders, notes] = await Promise.all([repo.listPayments(ctx.db, member.id), repo.listReminders(ctx.db, member.id), listMemberNotes(ctx.db, member.id)]);
  return {
    member,
    status: statusOf(member.state, member.valid_until, s.day, s.window),
    payments,
    reminders,
    notes,
    paymentDefaults: { method: 'cheque', amount: eurosText(member.plan_price_cents), paidOn: s.day },
  };
}

/** The member's own page: status, validity, dues and receipts; null when they hold no membership. */
export async function getMyMembership(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const member = await repo.findMemberOfUser(ctx.db, actor.territoryId, actor.userId);
  if (!member) return null;
  const s = await statusContext(ctx, actor.territoryId);
  const [payments, optout] = await Promise.all([repo.listPayments(ctx.db, member.id), repo.findMailOptout(ctx.db, member.id)]);
  return { member, status: statusOf(member.state, member.valid_until, s.day, s.window), payments, groupMailsOffSince: optout?.opted_out_at ?? null };
}

// ---------------------------------------------------------------------------------------------- personal data

/** Everything the members domain holds about a person (their membership, dues, reminders), or null. */
export async function exportMemberData(ctx: AppContext, userId: string) {
  const ids = await repo.findMemberIdsOfUser(ctx.db, userId);
  if (!ids.length) {
    // Someone who is not a member may still have written to members through the directory.
    const directory = await exportProfileData(ctx, userId, []);
    return directory.contacts.length ? { memberships: [], directory } : null;
  }
  const memberships = [];
  for (const { id, territory_id } of ids) {
    const m = (await repo.findMember(ctx.db, territory_id, id))!;
    memberships.push({
      number: memberNumber(m.number),
      firstName: m.first_name,
      lastName: m.last_name,
      phone: m.phone,
      activity: m.activity,
      commune: m.commune_name,
      outsideTerritory: m.outside_territory,
      plan: m.plan_name,
      state: m.state,
      validUntil: m.valid_until,
      decisionMessage: m.decision_message,
      struckOffReason: m.struck_off_reason,
      appliedAt: m.created_at.toISOString(),
      payments: (await repo.listPayments(ctx.db, m.id)).map((p) => ({
        receipt: `${p.receipt_year}-${String(p.receipt_seq).padStart(4, '0')}`,
        amountCents: p.amount_cents,
        paidOn: p.paid_on,
        method: p.method,
        plan: p.plan_name,
        period: p.starts_on && p.ends_on ? { from: p.starts_on, to: p.ends_on } : null,
      })),
      groupMailsOffSince: (await repo.findMailOptout(ctx.db, m.id))?.opted_out_at.toISOString() ?? null,
      reminders: (await repo.listReminders(ctx.db, m.id)).map((r) => ({ offsetDays: r.offset_days, sentAt: r.sent_at.toISOString() })),
      notes: (await listMemberNotes(ctx.db, m.id)).map((n) => ({ source: n.source, body: n.body, at: n.created_at.toISOString() })),
    });
  }
  return { memberships, directory: await exportProfileData(ctx, userId, ids) };
}

/**
 * Erasure: each membership loses the person's name, phone, activity and account; dues stay for the legal
 * accounting period with the payer's name replaced by "Adhérent anonymisé M-000123".
 */
export async function eraseMemberData(ctx: AppContext, userId: string) {
  const ids = await repo.findMemberIdsOfUser(ctx.db, userId);
  // First, while the memberships still point at the account: the directory entry disappears at once, with the
  // skills and the texts of relayed messages.
  let changed = await eraseProfileData(ctx, userId, ids.map((m) => m.id));
  for (const { id, territory_id, number } of ids) {
    await ctx.db.transaction().execute(async (trx) => {
      const payments = await repo.anonymiseMember(trx, id, `Adhérent anonymisé ${memberNumber(number)}`, ctx.clock.now());
      await deleteMemberNotes(trx, id);
      await recordAudit(trx, ctx, { userId: null, territoryId: territory_id }, { action: 'member.anonymised', subjectType: 'member', subjectId: id, data: { number, payments } });
      changed += 1 + payments;
    });
  }
  return changed;
}

/**
 * The home page's count of active members (contributed to the site's highlights): computed from the register on
 * the day it is shown, and cited as such. Nothing is shown before the first member.
 */
export async function membersHomeHighlights(ctx: AppContext): Promise<HomeHighlight[]> {
  const day = today(ctx);
  const count = await repo.countActiveMembers(ctx.db, ctx.territory.id, day);
  if (count === 0) return [];
  return [
    {
      key: 'members.active',
      order: 40,
      label: { key: 'members.home.active' },
      value: { kind: 'count', amount: count },
      sources: [{ title: tFor('fr')('members.home.source', { programme: ctx.territory.programmeName }), publisher: ctx.territory.programmeName, date: day }],
    },
  ];
}

export type { MemberListRow, MemberRow, PaymentRow } from './members.repo.js';
