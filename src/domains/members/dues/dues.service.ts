/**
 * Dues: the team records a payment; it gets the next receipt number of the year, in the same transaction as the
 * payment (gapless: a failed recording gives its number back), pays for a period computed from the plan, and the
 * member is mailed a link to the receipt. Receipts are read by the team, and by the member for their own.
 */
import type { Transaction } from 'kysely';
import type { Actor, AppContext } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { formatDay, parisDay } from '../../../shared/time.js';
import { tFor, type Locale } from '../../../web/i18n/index.js';
import { recordAudit, recordAudits } from '../../audit/index.js';
import { findPlan } from '../plans/index.js';
import { eurosText, isUuid, mail, memberNumber, notFound, periodFor, receiptNumber, today } from '../members.common.js';
import { assertMemberStaff, assertSignedIn, canManageMembers } from '../members.policy.js';
import { findAccountForMail, findMember, latestPeriod, lockMember, lockMembers, nextCounter, reserveCounter } from '../members.repo.js';
import { textPdf, type PdfLine } from './dues.pdf.js';
import * as repo from './dues.repo.js';
import type { PaymentInput } from './dues.schemas.js';

const invalid = (field: string, key: string) => new AppError('invalid', 'errors.invalid', { [field]: key });
const receiptNotFound = () => new AppError('not_found', 'members.dues.receiptNotFound');

/** The earliest payment day the team may type: older dues belong to the previous tool's books. */
const EARLIEST_DAY = '2000-01-01';

/**
 * Records one payment of an approved member. The member's row is locked first, then the year's receipt counter:
 * always in this order, so concurrent recordings queue instead of deadlocking.
 */
export async function recordPayment(ctx: AppContext, actor: Actor, memberId: string, input: PaymentInput) {
  assertMemberStaff(actor);
  if (!isUuid(memberId)) throw notFound();
  assertPayableDay(ctx, input.paidOn);
  return ctx.db.transaction().execute((trx) => recordLocked(trx, ctx, actor, memberId, input, { notify: true, importReference: null }));
}

/**
 * The same recording for an import, in the import's own transaction (all its lines or none): the payment carries
 * the line's reference (unique per territory, so a line imported twice never pays twice) and no mail is sent,
 * since the member is told by the account's activation mail.
 */
export async function recordImportedPayment(trx: Transaction<DB>, ctx: AppContext, actor: Actor, memberId: string, input: PaymentInput & { importReference: string }) {
  assertMemberStaff(actor);
  if (!isUuid(memberId)) throw notFound();
  assertPayableDay(ctx, input.paidOn);
  return recordLocked(trx, ctx, actor, memberId, input, { notify: false, importReference: input.importReference });
}

/**
 * `recordImportedPayment` for many members at once, in the import's transaction: the members locked in one
 * statement, the receipt numbers taken in one counter step (still gapless), the payments, periods and audit entries
 * written in one statement each. One payment per member (an import refuses an address twice). Answers in the order
 * of `items`.
 */
export async function recordImportedPayments(trx: Transaction<DB>, ctx: AppContext, actor: Actor, items: { memberId: string; input: PaymentInput & { importReference: string } }[]) {
  assertMemberStaff(actor);
  if (!items.length) return [];
  for (const { memberId, input } of items) {
    if (!isUuid(memberId)) throw notFound();
    assertPayableDay(ctx, input.paidOn);
  }
  if (new Set(items.map((i) => i.memberId)).size !== items.length) throw new Error('one imported payment per member');
  const locked = new Map((await lockMembers(trx, actor.territoryId, items.map((i) => i.memberId))).map((m) => [m.id, m]));
  const plans = new Map<number, NonNullable<Awaited<ReturnType<typeof findPlan>>>>();
  for (const { memberId } of items) {
    const m = locked.get(memberId);
    if (!m) throw notFound();
    if (m.state === 'pending') throw new AppError('conflict', 'members.dues.notApproved');
    if (m.state !== 'approved') throw new AppError('conflict', 'members.dues.notMember');
    if (!plans.has(m.plan_id)) plans.set(m.plan_id, (await findPlan(trx, actor.territoryId, m.plan_id))!);
  }
  const now = ctx.clock.now();
  const year = Number(parisDay(now).slice(0, 4));
  const first = await reserveCounter(trx, actor.territoryId, `receipt:${year}`, items.length);
  const rows = items.map(({ memberId, input }, i) => {
    const m = locked.get(memberId)!;
    const plan = plans.get(m.plan_id)!;
    return { m, plan, input, seq: first + i, period: periodFor(plan.period, input.paidOn, m.last_ends_on) };
  });
  const payments = await repo.insertPayments(
    trx,
    rows.map(({ m, plan, input, seq }) => paymentRow(actor, m, plan, input, { year, seq, now, importReference: input.importReference })),
  );
  const paymentOf = new Map(payments.map((p) => [p.receipt_seq, p.id]));
  await repo.insertPeriods(trx, rows.map(({ m, seq, period }) => ({ territoryId: actor.territoryId, memberId: m.id, paymentId: paymentOf.get(seq)!, ...period })));
  await repo.clearRenewalRequests(trx, rows.filter((r) => r.m.renewal_requested_at).map((r) => r.m.id), now);
  await recordAudits(
    trx,
    ctx,
    actor,
    rows.map(({ m, input, seq, period }) => ({
      action: 'member.payment_recorded',
      subjectType: 'member',
      subjectId: m.id,
      data: { payment: paymentOf.get(seq)!, receipt: receiptNumber(year, seq), amountCents: input.amountCents, method: input.method, endsOn: period.endsOn, importReference: input.importReference },
    })),
  );
  return rows.map(({ seq, period }) => ({ paymentId: paymentOf.get(seq)!, receipt: receiptNumber(year, seq), ...period }));
}

/** Why a day cannot be a payment day (an i18n key), or null: not in the future, not before the earliest day. */
export function payableDayProblem(ctx: AppContext, paidOn: string): string | null {
  if (paidOn > today(ctx)) return 'members.dues.paidOnFuture';
  if (paidOn < EARLIEST_DAY) return 'members.dues.paidOnTooOld';
  return null;
}

function assertPayableDay(ctx: AppContext, paidOn: string) {
  const problem = payableDayProblem(ctx, paidOn);
  if (problem) throw invalid('paidOn', problem);
}

/** The payment as stored: who paid for which plan, the receipt's number, who recorded it. */
function paymentRow(
  actor: Actor & { userId: string },
  m: { id: string; first_name: string; last_name: string },
  plan: { id: number; name: string },
  input: PaymentInput,
  receipt: { year: number; seq: number; now: Date; importReference: string | null },
) {
  return {
    territoryId: actor.territoryId,
    memberId: m.id,
    planId: plan.id,
    planName: plan.name,
    payerName: `${m.first_name} ${m.last_name}`,
    amountCents: input.amountCents,
    paidOn: input.paidOn,
    method: input.method,
    reference: input.reference ?? null,
    provider: input.provider ?? null,
    providerReference: input.providerReference ?? null,
    receiptYear: receipt.year,
    receiptSeq: receipt.seq,
    recordedBy: actor.userId,
    now: receipt.now,
    importReference: receipt.importReference,
  };
}

async function recordLocked(
  trx: Transaction<DB>,
  ctx: AppContext,
  actor: Actor & { userId: string },
  memberId: string,
  input: PaymentInput,
  opts: { notify: boolean; importReference: string | null },
) {
  const m = await lockMember(trx, actor.territoryId, memberId);
  if (!m) throw notFound();
  if (m.state === 'pending') throw new AppError('conflict', 'members.dues.notApproved');
  if (m.state !== 'approved') throw new AppError('conflict', 'members.dues.notMember');
  const plan = (await findPlan(trx, actor.territoryId, m.plan_id))!;
  const last = await latestPeriod(trx, m.id);
  const period = periodFor(plan.period, input.paidOn, last?.ends_on ?? null);
  const now = ctx.clock.now();
  const year = Number(parisDay(now).slice(0, 4));
  const seq = await nextCounter(trx, actor.territoryId, `receipt:${year}`);
  const payment = await repo.insertPayment(trx, paymentRow(actor, m, plan, input, { year, seq, now, importReference: opts.importReference }));
  await repo.insertPeriod(trx, { territoryId: actor.territoryId, memberId: m.id, paymentId: payment.id, ...period });
  if (m.renewal_requested_at) await repo.clearRenewalRequest(trx, m.id, now);
  const number = receiptNumber(year, seq);
  if (m.user_id && opts.notify) {
    const account = await findAccountForMail(trx, m.user_id);
    if (account) {
      await mail(trx, ctx, account.email, account.locale, 'paid', { name: `${m.first_name} ${m.last_name}`, receipt: number, until: formatDay(period.endsOn, account.locale === 'en' ? 'en-GB' : 'fr-FR') }, `/compte/adhesion/recus/${payment.id}`);
    }
  }
  await recordAudit(trx, ctx, actor, {
    action: 'member.payment_recorded',
    subjectType: 'member',
    subjectId: m.id,
    data: { payment: payment.id, receipt: number, amountCents: input.amountCents, method: input.method, endsOn: period.endsOn, ...(opts.importReference ? { importReference: opts.importReference } : {}) },
  });
  return { paymentId: payment.id, receipt: number, ...period };
}

/** The payment form's starting values: the member's plan price and today. */
export async function paymentDefaults(ctx: AppContext, actor: Actor, memberId: string) {
  assertMemberStaff(actor);
  if (!isUuid(memberId)) throw notFound();
  const m = await findMember(ctx.db, actor.territoryId, memberId);
  if (!m) throw notFound();
  return { method: 'cheque', amount: eurosText(m.plan_price_cents), paidOn: today(ctx) };
}

export async function getReceiptForStaff(ctx: AppContext, actor: Actor, paymentId: number) {
  assertMemberStaff(actor);
  if (!isRowId(paymentId)) throw receiptNotFound();
  const r = await repo.findReceipt(ctx.db, actor.territoryId, paymentId);
  if (!r) throw receiptNotFound();
  return r;
}

/** A member's own receipt; someone else's answers "not found", whether or not it exists. */
export async function getMyReceipt(ctx: AppContext, actor: Actor, paymentId: number) {
  assertSignedIn(actor);
  if (!isRowId(paymentId)) throw receiptNotFound();
  const r = await repo.findReceipt(ctx.db, actor.territoryId, paymentId);
  if (!r || (r.user_id !== actor.userId && !canManageMembers(actor))) throw receiptNotFound();
  return r;
}

export type Receipt = repo.ReceiptRow;

/** The receipt's lines, in the reader's language: the same words on the page and in the PDF. */
export function receiptLines(ctx: AppContext, r: Receipt, locale: Locale): PdfLine[] {
  const t = tFor(locale);
  const intl = locale === 'en' ? 'en-GB' : 'fr-FR';
  const euros = new Intl.NumberFormat(intl, { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(r.amount_cents / 100);
  const lines: PdfLine[] = [
    { text: ctx.territory.programmeName, size: 12, bold: true },
    { text: t('members.receipt.title', { number: receiptNumber(r.receipt_year, r.receipt_seq) }), size: 18, bold: true, gap: 18 },
    { text: t('members.receipt.issued', { date: formatDay(parisDay(r.recorded_at), intl) }), gap: 6 },
    { text: t('members.receipt.from', { name: r.payer_name, number: memberNumber(r.member_number) }), gap: 18 },
    { text: t('members.receipt.amount', { amount: euros }), size: 14, bold: true, gap: 6 },
    { text: t('members.receipt.plan', { plan: r.plan_name }) },
    { text: t('members.receipt.paidOn', { date: formatDay(r.paid_on, intl), method: t(`members.dues.method.${r.method}`) }) },
  ];
  if (r.reference) lines.push({ text: t('members.receipt.reference', { reference: r.reference }) });
  if (r.provider) lines.push({ text: t('members.receipt.provider', { provider: r.provider, reference: r.provider_reference ?? '' }) });
  if (r.starts_on && r.ends_on) lines.push({ text: t('members.receipt.period', { from: formatDay(r.starts_on, intl), to: formatDay(r.ends_on, intl) }), gap: 6 });
  lines.push({ text: t('members.receipt.thanks'), gap: 24 });
  return lines;
}

export const receiptPdf = (ctx: AppContext, r: Receipt, locale: Locale) =>
  textPdf(receiptLines(ctx, r, locale), { title: tFor(locale)('members.receipt.title', { number: receiptNumber(r.receipt_year, r.receipt_seq) }) });
