/**
 * The figures' months are Paris months, including at their edges: a case that applies at 23:59:59 on the last day
 * of a month and one at 00:00 on the first of the next (Paris time, so 22:00 or 23:00 UTC the day before), on both
 * sides of a daylight-saving change, and households settled on the first and the last day of a month.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import * as service from '../cases/cases.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';
import { getFunnel } from './figures.service.js';

const w = useTestWorld();

const at = (iso: string) => w.clock.set(new Date(iso));
const oneAdult = (email: string) => ({ email, contactName: email, adults: [{ position: 1, project: 'telework' as const }], children: [], targetCodes: ['32013'] });

test('entries, qualifications and settlements count in their Paris month at the month’s first and last instant, across both daylight-saving changes', async () => {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const lea = actorFor(w.ctx, staff, ['staff']);

  // Summer time began on 29 March 2026: Paris is UTC+2 at the end of March.
  at('2026-03-31T21:59:59Z'); // 31 March, 23:59:59 in Paris
  const lastOfMarch = await applyAsVisitor(w.ctx, oneAdult('mars@exemple.fr'));
  at('2026-03-31T22:00:00Z'); // 1 April, 00:00 in Paris (still 31 March in UTC)
  const firstOfApril = await applyAsVisitor(w.ctx, oneAdult('avril@exemple.fr'));
  // Winter time came back on 25 October 2026: Paris is UTC+1 at the end of October.
  at('2026-10-31T22:59:59Z'); // 31 October, 23:59:59 in Paris
  await service.qualifyCase(w.ctx, lea, lastOfMarch.caseId);
  at('2026-10-31T23:00:00Z'); // 1 November, 00:00 in Paris
  await service.qualifyCase(w.ctx, lea, firstOfApril.caseId);

  // Households settled on the last of March, the first and the last of April and the first of May (they applied
  // and moved in 2025, so only their settling counts in 2026).
  for (const settledOn of ['2026-03-31', '2026-04-01', '2026-04-30', '2026-05-01']) {
    at('2025-06-02T10:00:00Z');
    const { caseId } = await applyAsVisitor(w.ctx, oneAdult(`installe.${settledOn}@exemple.fr`));
    await service.qualifyCase(w.ctx, lea, caseId);
    await service.startAccompaniment(w.ctx, lea, caseId);
    await service.startMoving(w.ctx, lea, caseId);
    at('2026-05-02T10:00:00Z');
    await service.markSettled(w.ctx, lea, caseId, { settledInsee: '32208', settledOn });
  }

  at('2026-11-27T09:00:00Z');
  const f = await getFunnel(w.ctx, lea, { annee: 2026 });
  const counts = Object.fromEntries(
    f.monthly
      .map(({ month, ...c }) => [month, Object.fromEntries(Object.entries(c).filter(([, n]) => n))] as const)
      .filter(([, c]) => Object.keys(c).length),
  );
  assert.deepEqual(counts, {
    3: { entered: 1, installe: 1 },
    4: { entered: 1, installe: 2 },
    5: { installe: 1 },
    10: { qualifie: 1 },
    11: { qualifie: 1 },
  });
  const year = f.yearly.find((y) => y.year === 2026)!;
  assert.deepEqual([year.entered, year.qualifie, year.installe], [2, 2, 4]);
});

test('a case created at Paris midnight on 1 January belongs to the new year’s cohort, one a second earlier to the old one', async () => {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const lea = actorFor(w.ctx, staff, ['staff']);
  at('2026-12-31T22:59:59Z'); // 31 December 2026, 23:59:59 in Paris
  await applyAsVisitor(w.ctx, oneAdult('reveillon@exemple.fr'));
  at('2026-12-31T23:00:00Z'); // 1 January 2027, 00:00 in Paris
  await applyAsVisitor(w.ctx, oneAdult('nouvel.an@exemple.fr'));
  at('2027-01-15T09:00:00Z');
  const y2026 = await getFunnel(w.ctx, lea, { annee: 2026 });
  const y2027 = await getFunnel(w.ctx, lea, { annee: 2027 });
  assert.equal(y2026.monthly[11].entered, 1);
  assert.equal(y2027.monthly[0].entered, 1);
  assert.equal(y2026.conversion[0].reached, 1, 'the 2026 cohort holds the case of 31 December only');
  assert.equal(y2027.conversion[0].reached, 1, 'the 2027 cohort the case of 1 January only');
});
