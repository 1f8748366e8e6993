/** SQL of dues: payments, the periods they pay for, receipts. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { PaymentMethod } from '../../../db/schema.js';
import { paymentColumns } from '../members.repo.js';

export interface NewPayment {
  territoryId: number;
  memberId: string;
  planId: number;
  planName: string;
  payerName: string;
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference: string | null;
  provider: string | null;
  providerReference: string | null;
  receiptYear: number;
  receiptSeq: number;
  recordedBy: string | null;
  now: Date;
  /** Dues recorded by an import: the line's stable reference. */
  importReference?: string | null;
}

const paymentRow = (p: NewPayment) => ({
  territory_id: p.territoryId,
  member_id: p.memberId,
  plan_id: p.planId,
  plan_name: p.planName,
  payer_name: p.payerName,
  amount_cents: p.amountCents,
  paid_on: p.paidOn,
  method: p.method,
  reference: p.reference,
  provider: p.provider,
  provider_reference: p.providerReference,
  receipt_year: p.receiptYear,
  receipt_seq: p.receiptSeq,
  recorded_by: p.recordedBy,
  recorded_at: p.now,
  import_reference: p.importReference ?? null,
});

export const insertPayment = (db: Executor, p: NewPayment) => db.insertInto('member_payment').values(paymentRow(p)).returning('id').executeTakeFirstOrThrow();

/** Several payments in one statement (an import); each answer carries its receipt number, to match it with its line. */
export const insertPayments = (db: Executor, payments: NewPayment[]) =>
  payments.length === 0 ? Promise.resolve([]) : db.insertInto('member_payment').values(payments.map(paymentRow)).returning(['id', 'receipt_seq']).execute();

export const insertPeriod = (db: Executor, p: { territoryId: number; memberId: string; paymentId: number; startsOn: string; endsOn: string }) =>
  db
    .insertInto('membership_period')
    .values({ territory_id: p.territoryId, member_id: p.memberId, payment_id: p.paymentId, starts_on: p.startsOn, ends_on: p.endsOn })
    .returning('id')
    .executeTakeFirstOrThrow();

export const insertPeriods = async (db: Executor, periods: { territoryId: number; memberId: string; paymentId: number; startsOn: string; endsOn: string }[]) => {
  if (!periods.length) return;
  await db
    .insertInto('membership_period')
    .values(periods.map((p) => ({ territory_id: p.territoryId, member_id: p.memberId, payment_id: p.paymentId, starts_on: p.startsOn, ends_on: p.endsOn })))
    .execute();
};

export const clearRenewalRequests = (db: Executor, memberIds: string[], now: Date) =>
  memberIds.length ? db.updateTable('member').set({ renewal_requested_at: null, updated_at: now }).where('id', 'in', memberIds).execute() : Promise.resolve([]);

export const clearRenewalRequest = (db: Executor, memberId: string, now: Date) =>
  db.updateTable('member').set({ renewal_requested_at: null, updated_at: now }).where('id', '=', memberId).execute();

/** One payment with what its receipt prints. */
export const findReceipt = (db: Executor, territoryId: number, paymentId: number) =>
  db
    .selectFrom('member_payment as p')
    .innerJoin('member as m', 'm.id', 'p.member_id')
    .leftJoin('membership_period as pe', 'pe.payment_id', 'p.id')
    .select(paymentColumns)
    .select(['p.member_id', 'm.user_id', 'm.number as member_number'])
    .where('p.territory_id', '=', territoryId)
    .where('p.id', '=', paymentId)
    .executeTakeFirst();

export type ReceiptRow = NonNullable<Awaited<ReturnType<typeof findReceipt>>>;
