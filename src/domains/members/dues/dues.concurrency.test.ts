/**
 * Receipt numbers under concurrent recording: twenty payments recorded at the same instant (on PostgreSQL, over
 * the pool's parallel connections; on PGlite, one after the other) get twenty distinct, consecutive numbers, and
 * failed recordings among them leave no gap.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { recordPayment } from './dues.service.js';

const w = useTestWorld();

test('twenty simultaneous recordings get twenty consecutive receipt numbers, and failures among them leave no gap', async () => {
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']) as ReturnType<typeof actorFor> & { userId: string };
  const planId = await makePlan(w.ctx);
  const members = [];
  for (let i = 0; i < 20; i++) members.push((await approvedMember(w.ctx, staff, planId, { email: `solo${i}@exemple.fr` })).memberId);
  // Two staff on the same member at the same moment, too: both are recorded, one after the other.
  const jobs = [...members, members[0]].map((id) => recordPayment(w.ctx, staff, id, { method: 'cheque', amountCents: 3000, paidOn: '2026-11-27' }));
  // Five recordings that fail after taking a number (the database refuses the amount): their numbers are given back.
  const failing = members.slice(0, 5).map((id) => recordPayment(w.ctx, staff, id, { method: 'cash', amountCents: 99_000_000, paidOn: '2026-11-27' }));
  const results = await Promise.allSettled([...jobs, ...failing]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 21);
  assert.equal(results.filter((r) => r.status === 'rejected').length, 5);
  const rows = await w.ctx.db.selectFrom('member_payment').select(['receipt_year', 'receipt_seq']).orderBy('receipt_seq').execute();
  assert.deepEqual(rows.map((r) => r.receipt_seq), Array.from({ length: 21 }, (_, i) => i + 1));
  assert.ok(rows.every((r) => r.receipt_year === 2026));
  const counter = await w.ctx.db.selectFrom('member_counter').select('last_value').where('name', '=', 'receipt:2026').executeTakeFirstOrThrow();
  assert.equal(counter.last_value, 21);
  // The same member's two periods follow each other.
  const periods = await w.ctx.db.selectFrom('membership_period').select((eb) => [eb.ref('starts_on').as('s')]).where('member_id', '=', members[0]).execute();
  assert.equal(periods.length, 2);
});
