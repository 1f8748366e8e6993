import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { anonymous, type Actor } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { recordPayment } from '../dues/index.js';
import { applyForMembership } from '../joining/index.js';
import { anonymousActor, applicationInput, approvedMember, makePlan } from '../members.testing.js';
import { yearlyFigures } from './figures.compute.js';
import { exportMemberFiguresCsv, getMemberFigures } from './figures.service.js';

const w = useTestWorld();

/**
 * A small register on 27 November 2026 (reminders 30 days ahead), twelve-month plans:
 * A (Auch, Individuel) pays 2024-03-01 (30 €), renews 2025-02-20 (25 €) and 2026-02-15 (27,50 €): until 2027-02-28.
 * B (elsewhere, Individuel) pays 2024-06-01: until 2025-05-31, then lapses.
 * C (Auch, Couple) pays 2025-12-10: until 2026-12-09, expiring soon.
 * D applies and waits. E (elsewhere, Individuel) pays 2026-01-15: until 2027-01-14.
 */
async function world() {
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' }), ['staff']) as Actor & { userId: string };
  const auch = await w.ctx.db.selectFrom('commune').select(['insee', 'name', 'epci_siren']).where('insee', '=', '32013').executeTakeFirstOrThrow();
  const other = await w.ctx.db.selectFrom('commune').select(['insee', 'name', 'epci_siren']).where('epci_siren', '!=', auch.epci_siren!).orderBy('insee').executeTakeFirstOrThrow();
  const individuel = await makePlan(w.ctx, { name: 'Individuel' });
  const couple = await makePlan(w.ctx, { name: 'Couple' });
  const a = await approvedMember(w.ctx, staff, individuel, { email: 'a@exemple.fr', lastName: 'A' }, '2024-03-01');
  await recordPayment(w.ctx, staff, a.memberId, { method: 'transfer', amountCents: 2500, paidOn: '2025-02-20' });
  await recordPayment(w.ctx, staff, a.memberId, { method: 'cash', amountCents: 2750, paidOn: '2026-02-15' });
  await approvedMember(w.ctx, staff, individuel, { email: 'b@exemple.fr', lastName: 'B', insee: other.insee }, '2024-06-01');
  await approvedMember(w.ctx, staff, couple, { email: 'c@exemple.fr', lastName: 'C' }, '2025-12-10');
  await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(couple, { email: 'd@exemple.fr', lastName: 'D' }), 'fr');
  await approvedMember(w.ctx, staff, individuel, { email: 'e@exemple.fr', lastName: 'E', insee: other.insee }, '2026-01-15');
  return { staff, auch, other };
}

describe('the members’ figures', () => {
  test('a known register gives exact figures: statuses, years, renewal rate, plans, places, dues', async () => {
    const x = await world();
    const f = await getMemberFigures(w.ctx, x.staff);
    assert.equal(f.day, '2026-11-27');
    assert.equal(f.total, 5);
    assert.equal(f.upToDate, 3);
    assert.deepEqual(Object.fromEntries(f.byStatus.map((s) => [s.status, s.count])), { en_attente: 1, actif: 2, expire_bientot: 1, expire: 1, radie: 0, refuse: 0 });
    assert.deepEqual(f.years, [
      { year: 2024, members: 2, new: 2, lapsed: 0, renewed: 0, renewalRate: null },
      { year: 2025, members: 3, new: 1, lapsed: 1, renewed: 1, renewalRate: 1 / 2 },
      { year: 2026, members: 3, new: 1, lapsed: 0, renewed: 1, renewalRate: 1 / 3 },
    ]);
    assert.deepEqual(f.byPlan, [{ plan: 'Individuel', count: 2 }, { plan: 'Couple', count: 1 }]);
    assert.deepEqual(f.byCommune, [{ insee: '32013', name: x.auch.name, count: 2 }, { insee: x.other.insee, name: x.other.name, count: 1 }]);
    assert.deepEqual(f.byEpci.map((e) => [e.siren, e.count]), [[x.auch.epci_siren, 2], [x.other.epci_siren, 1]]);
    assert.equal(f.outside, 0);
    assert.deepEqual(f.dues, [{ year: 2024, payments: 2, cents: 6000 }, { year: 2025, payments: 2, cents: 5500 }, { year: 2026, payments: 2, cents: 5750 }]);
  });

  test('the page names its source and date, draws the commune map, and the CSV carries the same figures', async () => {
    await world();
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const page = await agent.get('/admin/adherents/chiffres');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<li id="source-1">Registre des adhérents et cotisations enregistrées par l’équipe de [^<]+, au 27 novembre 2026\.<\/li>/);
    assert.match(page.body, /data-sources="1"/);
    assert.match(page.body, /<svg class="commune-map-svg"/);
    assert.match(page.body, /Taux de renouvellement de l’année N = adhérents de N-1 qui ont renouvelé en N ÷ adhérents de N-1/);
    assert.match(page.body, /33,3\s?%/);
    const csv = await agent.get('/admin/adherents/chiffres.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.ok(csv.body.startsWith('\uFEFF"Chiffre";"Année ou catégorie";"Valeur";"Source"\r\n'));
    const lines = csv.body.split('\r\n');
    const source = 'Registre des adhérents et cotisations enregistrées par l’équipe de';
    assert.ok(lines.some((l) => l.startsWith('"Taux de renouvellement (%)";"2025";"50";"' + source)), 'renewal rate 2025');
    assert.ok(lines.some((l) => l.startsWith('"Taux de renouvellement (%)";"2026";"33,3";')), 'renewal rate 2026');
    assert.ok(lines.some((l) => l.startsWith('"Cotisations encaissées (€)";"2026";"57,50";')), 'dues 2026');
    assert.ok(lines.some((l) => l.startsWith('"Adhérents par statut";"Actif";"2";')));
  });

  test('staff and admins read the figures; members, candidates and visitors are refused', async () => {
    await world();
    const as = async (roles: Role[]) => actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
    for (const roles of [['staff'], ['admin']] as Role[][]) assert.equal(await codeOf(getMemberFigures(w.ctx, await as(roles))), 'ok');
    for (const roles of [['member'], ['candidate']] as Role[][]) {
      const actor = await as(roles);
      assert.equal(await codeOf(getMemberFigures(w.ctx, actor)), 'forbidden');
      assert.equal(await codeOf(exportMemberFiguresCsv(w.ctx, actor)), 'forbidden');
    }
    assert.equal(await codeOf(exportMemberFiguresCsv(w.ctx, anonymous(w.ctx.territory.id))), 'unauthenticated');
  });

  test('the yearly rule: covering a year is not renewing it, and nothing counts before the first period', () => {
    assert.deepEqual(yearlyFigures([], '2026-11-27'), []);
    const rows = yearlyFigures([{ member_id: 'a', starts_on: '2025-06-01', ends_on: '2026-05-31' }], '2026-11-27');
    assert.deepEqual(rows, [
      { year: 2025, members: 1, new: 1, lapsed: 0, renewed: 0, renewalRate: null },
      { year: 2026, members: 1, new: 0, lapsed: 1, renewed: 0, renewalRate: 0 },
    ]);
  });
});
