/**
 * Demo members: five plans (one archived), about sixty solos across the Gers with accounts (no password: they
 * cannot sign in) and dues, so the list, the statuses and the reminder round show something: most active, some
 * expiring within 30 days, some expired, a few pending, one struck off. The demo member account (solo@) gets an
 * active membership and a card. Loaded once: nothing happens when the territory already has plans.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { PlanPeriod } from '../../db/schema.js';
import { findUserByEmail, grantRoles, insertUser } from '../accounts/index.js';
import { insertPaymentRow, insertPeriodRow } from './dues/index.js';
import { listCommuneNames } from '../territory/index.js';
import { insertMember, setDecision } from './joining/index.js';
import { addDays, addMonths, periodFor, today } from './members.common.js';
import { loadDemoProfiles } from './profiles/index.js';
import { DEMO_FIRST_NAMES, demoTradeFor } from './members.demo-people.js';
import { nextCounter } from './members.repo.js';
import { insertPlan, listPlans, updatePlanRow } from './plans/index.js';

const PLANS: { name: string; price: number; period: PlanPeriod; approval: boolean; archived?: boolean }[] = [
  { name: 'Individuel', price: 3000, period: 'calendar_year', approval: true },
  { name: 'Couple', price: 4500, period: 'calendar_year', approval: true },
  { name: 'Entreprise', price: 8000, period: 'twelve_months', approval: true },
  { name: 'Tarif réduit', price: 1500, period: 'twelve_months', approval: false },
  { name: 'Ancien tarif individuel', price: 2500, period: 'calendar_year', approval: true, archived: true },
];

const LAST = ['Dubois', 'Lafitte', 'Castaing', 'Moreau', 'Bordes', 'Laborde', 'Fourcade', 'Garcia', 'Daguzan', 'Lacoste', 'Martin', 'Soulé', 'Pujol', 'Cazaux', 'Bernard', 'Dupuy', 'Lannes', 'Abadie', 'Sarrade', 'Vignaux'];
const COMMUNES = ['32013', '32208', '32107', '32160', '32147', '32256', '32296', '32065', '32319', '32462', '32400', '32096', '32177', '32246', '32338'];

export async function loadDemoMembers(ctx: AppContext) {
  const territoryId = ctx.territory.id;
  if ((await listPlans(ctx.db, territoryId)).length) return;
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const day = today(ctx);
    const plans = [];
    for (const p of PLANS) {
      const row = await insertPlan(trx, territoryId, { name: p.name, price_cents: p.price, period: p.period, needs_approval: p.approval }, now);
      if (p.archived) await updatePlanRow(trx, row.id, { name: p.name, price_cents: p.price, period: p.period, needs_approval: p.approval, archived_at: now }, now);
      plans.push({ ...p, id: row.id });
    }
    const known = new Set((await listCommuneNames(trx, territoryId)).map((c) => c.insee));
    const communes = COMMUNES.filter((c) => known.has(c));
    const staff = await findUserByEmail(trx, 'accueil@demo.soho-solo.fr');

    const people: { email: string; first: string; last: string; existing?: string }[] = [];
    const solo = await findUserByEmail(trx, 'solo@demo.soho-solo.fr');
    if (solo) people.push({ email: solo.email, first: 'Léa', last: 'Solo', existing: solo.id });
    for (let i = 0; people.length < 60; i++) {
      const first = DEMO_FIRST_NAMES[i % DEMO_FIRST_NAMES.length].name;
      const last = LAST[(i * 7 + Math.floor(i / DEMO_FIRST_NAMES.length)) % LAST.length];
      people.push({ email: `${first}.${last}.${i}@demo.soho-solo.fr`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''), first, last });
    }

    for (const [i, p] of people.entries()) {
      const userId =
        p.existing ??
        (await findUserByEmail(trx, p.email))?.id ??
        (await insertUser(trx, { email: p.email, passwordHash: null, displayName: `${p.first} ${p.last}`, locale: 'fr', verifiedAt: now, createdAt: now, demo: true, territoryId })).id;
      // Who is who: 4 pending, 1 struck off, 8 expired, 8 expiring within 30 days, the rest active.
      const kind = i === 0 ? 'active' : i <= 4 ? 'pending' : i === 5 ? 'struck' : i <= 13 ? 'expired' : i <= 21 ? 'expiring' : 'active';
      const plan = kind === 'expiring' || kind === 'expired' ? plans[i % 2 === 0 ? 2 : 3] : plans[i % 4 === 3 ? 3 : i % 4];
      const member = await insertMember(trx, {
        territoryId,
        number: await nextCounter(trx, territoryId, 'member'),
        userId,
        planId: plan.id,
        firstName: p.first,
        lastName: p.last,
        phone: null,
        activity: demoTradeFor(i, p.first),
        insee: i % 15 === 9 ? null : communes[i % communes.length],
        newcomerCaseId: null,
        state: kind === 'pending' ? 'pending' : 'approved',
        cardToken: randomBytes(18).toString('base64url'),
        now,
      });
      if (kind === 'struck') await setDecision(trx, member.id, { state: 'struck_off', message: null, by: staff?.id ?? userId, now, reason: 'Exemple de radiation : cotisation non réglée après relances.' });
      if (kind !== 'pending' && kind !== 'struck') await grantRoles(trx, territoryId, userId, ['member'], null, now);
      if (kind === 'pending' || kind === 'struck') continue;
      // The day paid decides the period: twelve months back plus a few days for those expiring soon.
      const paidOn =
        kind === 'expiring' ? addDays(addMonths(day, -12), 3 + ((i * 3) % 26)) : kind === 'expired' ? addDays(addMonths(day, -12), -(10 + i * 9)) : addDays(day, -(5 + ((i * 11) % 200)));
      const period = periodFor(plan.period, paidOn, null);
      const year = Number(paidOn.slice(0, 4));
      const payment = await insertPaymentRow(trx, {
        territoryId,
        memberId: member.id,
        planId: plan.id,
        planName: plan.name,
        payerName: `${p.first} ${p.last}`,
        amountCents: plan.price,
        paidOn,
        method: (['cheque', 'transfer', 'cash', 'card'] as const)[i % 4],
        reference: i % 4 === 0 ? `Chèque n° ${1000 + i}` : null,
        provider: null,
        providerReference: null,
        receiptYear: year,
        receiptSeq: await nextCounter(trx, territoryId, `receipt:${year}`),
        recordedBy: staff?.id ?? null,
        now: new Date(`${paidOn}T10:00:00Z`),
      });
      await insertPeriodRow(trx, { territoryId, memberId: member.id, paymentId: payment.id, ...period });
    }
    await loadDemoProfiles(ctx, trx);
  });
  ctx.pageCache.clear();
}
