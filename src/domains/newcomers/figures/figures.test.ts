import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import type { Role } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { csvCell, toCsv } from '../../../shared/csv.js';
import { getFunnel } from './figures.service.js';
import * as service from '../cases/cases.service.js';
import { addFunderTag, listFunderTagsForStaff, setCaseFunderTags } from '../cases/tags.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

async function agentFor(roles: Role[]) {
  const user = await createUser(w.ctx, { roles, name: `Équipe ${roles.join('+') || 'aucun'}` });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return { user, agent, actor: actorFor(w.ctx, user, roles) };
}

const at = (iso: string) => w.clock.set(new Date(iso));
const DAY = 86_400_000;

/** A commune of Lectoure's EPCI other than Lectoure, and that EPCI. */
async function lectoureEpci() {
  const { epci_siren } = await w.ctx.db.selectFrom('commune').select('epci_siren').where('insee', '=', '32208').executeTakeFirstOrThrow();
  const other = await w.ctx.db.selectFrom('commune').select(['insee', 'name']).where('epci_siren', '=', epci_siren).where('insee', '<>', '32208').orderBy('insee').executeTakeFirstOrThrow();
  return { siren: epci_siren!, other };
}

/**
 * The hand-built world, Paris time:
 * - C applies 15 Dec 2025, qualified 5 Jan 2026 (21 days new), still qualified.
 * - A (2 adults, 2 children, LEADER) applies 10 Jan 2026, qualified 20 Jan (10 days), accompanied 19 Feb
 *   (30 days), moving 1 Mar, settled in Lectoure on 5 Mar 2026.
 * - B applies at 00:30 on 1 Feb 2026 in Paris (still 31 Jan in UTC), qualified 20.5 days later, dropped 1 Mar.
 * - D (1 adult) applies 1 Mar 2026, goes straight to moving, settled on 2 Apr 2026 in another commune of
 *   Lectoure's EPCI.
 */
async function buildWorld() {
  const lea = await agentFor(['staff']);
  const epci = await lectoureEpci();
  at('2025-12-15T10:00:00Z');
  const c = await applyAsVisitor(w.ctx, { email: 'c@exemple.fr', contactName: 'Foyer C', adults: [{ position: 1, project: 'telework' }], children: [], targetCodes: ['32013'] });
  at('2026-01-05T10:00:00Z');
  await service.qualifyCase(w.ctx, lea.actor, c.caseId);

  at('2026-01-10T10:00:00Z');
  const a = await applyAsVisitor(w.ctx, { email: 'a@exemple.fr', contactName: 'Foyer A' });
  at('2026-01-20T10:00:00Z');
  await service.qualifyCase(w.ctx, lea.actor, a.caseId);
  at('2026-02-19T10:00:00Z');
  await service.startAccompaniment(w.ctx, lea.actor, a.caseId);
  at('2026-03-01T10:00:00Z');
  await service.startMoving(w.ctx, lea.actor, a.caseId);
  at('2026-03-06T10:00:00Z');
  await service.markSettled(w.ctx, lea.actor, a.caseId, { settledInsee: '32208', settledOn: '2026-03-05' });

  at('2026-01-31T23:30:00Z');
  const b = await applyAsVisitor(w.ctx, { email: 'b@exemple.fr', contactName: 'Foyer B', adults: [{ position: 1, project: 'job_search' }], children: [], targetCodes: ['32107'] });
  w.clock.set(new Date(Date.parse('2026-01-31T23:30:00Z') + 20.5 * DAY));
  await service.qualifyCase(w.ctx, lea.actor, b.caseId);
  at('2026-03-01T11:00:00Z');
  const reasons = await service.listDropReasonsForStaff(w.ctx, lea.actor);
  await service.dropCase(w.ctx, lea.actor, b.caseId, { reasonId: reasons[0].id });

  at('2026-03-01T12:00:00Z');
  const d = await applyAsVisitor(w.ctx, { email: 'd@exemple.fr', contactName: 'Foyer D', adults: [{ position: 1, project: 'freelance' }], children: [], targetCodes: [] });
  await service.qualifyCase(w.ctx, lea.actor, d.caseId);
  await service.startAccompaniment(w.ctx, lea.actor, d.caseId);
  await service.startMoving(w.ctx, lea.actor, d.caseId);
  at('2026-04-03T09:00:00Z');
  await service.markSettled(w.ctx, lea.actor, d.caseId, { settledInsee: epci.other.insee, settledOn: '2026-04-02' });

  const tags = await listFunderTagsForStaff(w.ctx, lea.actor);
  const leader = tags.find((t) => t.key === 'leader')!;
  await setCaseFunderTags(w.ctx, lea.actor, a.caseId, [leader.id]);
  at('2026-11-27T09:00:00Z');
  return { lea, a, b, c, d, leader, epci };
}

describe('who sees the figures', () => {
  test('staff and admins open the figures and both exports; other roles are refused before anything is read', async () => {
    for (const roles of [['staff'], ['admin']] as Role[][]) {
      const { agent } = await agentFor(roles);
      for (const url of ['/admin/accueil/chiffres', '/admin/accueil/chiffres.csv', '/admin/accueil/dossiers.csv']) {
        assert.equal((await agent.get(url)).statusCode, 200, `${roles} ${url}`);
      }
    }
    for (const roles of [['member'], ['candidate'], ['partner'], ['space_manager'], []] as Role[][]) {
      const { agent, actor } = await agentFor(roles);
      for (const url of ['/admin/accueil/chiffres', '/admin/accueil/chiffres.csv?annee=2026', '/admin/accueil/dossiers.csv']) {
        assert.equal((await agent.get(url)).statusCode, 403, `${roles} ${url}`);
      }
      await assert.rejects(getFunnel(w.ctx, actor, {}), (e: AppError) => e.code === 'forbidden');
    }
    const anonymous = await w.app.inject({ method: 'GET', url: '/admin/accueil/chiffres' });
    assert.equal(anonymous.statusCode, 303);
    const audits = await w.ctx.db.selectFrom('audit_event').select('action').where('action', '=', 'newcomer_funnel.exported').execute();
    assert.equal(audits.length, 2, 'only the allowed exports are logged');
  });

  test('the cases list links to the figures and to its own CSV with the same filters', async () => {
    const { agent } = await agentFor(['staff']);
    const res = await agent.get('/admin/accueil?etape=qualifie&retard=1');
    assert.match(res.body, /<a href="\/admin\/accueil\/chiffres">Chiffres du parcours<\/a>/);
    assert.match(res.body, /href="\/admin\/accueil\/dossiers\.csv\?etape=qualifie&amp;retard=1"/);
  });
});

describe('the figures', () => {
  test('count entries, moves, conversions, medians and settled people per month, year, commune and EPCI', async () => {
    const { lea, epci } = await buildWorld();
    const f = await getFunnel(w.ctx, lea.actor, { annee: 2026 });
    assert.equal(f.year, 2026);
    assert.deepEqual(f.years, [2026, 2025]);
    assert.deepEqual(Object.fromEntries(f.now.filter((r) => r.n).map((r) => [r.stage, r.n])), { qualifie: 1, installe: 2, abandon: 1 });

    const month = (m: number) => {
      const { month: _, ...counts } = f.monthly[m - 1];
      return counts;
    };
    assert.deepEqual(month(1), { entered: 1, qualifie: 2, sejour_decouverte: 0, installe: 0, abandon: 0 });
    assert.deepEqual(month(2), { entered: 1, qualifie: 1, sejour_decouverte: 0, installe: 0, abandon: 0 }, 'B applied on 1 February in Paris');
    assert.deepEqual(month(3), { entered: 1, qualifie: 1, sejour_decouverte: 0, installe: 1, abandon: 1 });
    assert.deepEqual(month(4), { entered: 0, qualifie: 0, sejour_decouverte: 0, installe: 1, abandon: 0 }, 'settled counts at the settling date');
    assert.deepEqual(
      f.yearly.map((y) => [y.year, y.entered, y.qualifie, y.installe, y.abandon]),
      [
        [2025, 1, 0, 0, 0],
        [2026, 3, 4, 2, 1],
      ],
    );

    // Cohort 2026: A, B, D. Everyone qualified; A and D accompanied; nobody had a stay; A and D moved and settled.
    const conv = Object.fromEntries(f.conversion.map((c) => [`${c.from}>${c.to}`, [c.reached, c.next, c.rate]]));
    assert.deepEqual(conv['nouveau>qualifie'], [3, 3, 100]);
    assert.deepEqual(conv['qualifie>accompagne'], [3, 2, (100 * 2) / 3]);
    assert.deepEqual(conv['accompagne>sejour_decouverte'], [2, 0, 0]);
    assert.deepEqual(conv['sejour_decouverte>installation'], [0, 0, null]);
    assert.deepEqual(conv['installation>installe'], [2, 2, 100]);

    // Days spent as "new": A 10, B 20.5, D 0 → median 10. As qualified: A 30, D 0, B from 21 Feb 11:30 to 1 Mar.
    const median = Object.fromEntries(f.medians.map((m) => [m.stage, m.median]));
    assert.equal(median.nouveau, 10);
    assert.ok(Math.abs(median.qualifie! - (Date.parse('2026-03-01T11:00:00Z') - Date.parse('2026-02-21T11:30:00Z')) / DAY) < 1e-9, 'B’s stay is the middle one');
    assert.equal(median.installe, null, 'a stay still running is not counted');

    assert.deepEqual(
      f.settledPerYear.map((y) => [y.year, y.households, y.adults, y.children]),
      [[2026, 2, 3, 2]],
    );
    assert.deepEqual(
      f.settledCommunes.map((c) => [c.insee, c.households, c.adults, c.children]).sort(),
      [
        ['32208', 1, 2, 2],
        [epci.other.insee, 1, 1, 0],
      ].sort(),
    );
    assert.deepEqual(
      f.settledEpcis.map((e) => [e.siren, e.households, e.adults, e.children]),
      [[epci.siren, 2, 3, 2]],
    );

    const all = await getFunnel(w.ctx, lea.actor, { annee: 'toutes' });
    // Every cohort: C's 21 days as new join A's 10, B's 20.5 and D's 0 → median (10 + 20.5) / 2.
    assert.equal(all.medians.find((m) => m.stage === 'nouveau')!.median, 15.25);
    assert.deepEqual([all.conversion[0].reached, all.conversion[0].next], [4, 4], 'C joins the cohort');
  });

  test('a funder tag narrows every figure to the cases carrying it', async () => {
    const { lea, leader } = await buildWorld();
    const f = await getFunnel(w.ctx, lea.actor, { annee: 2026, financeur: leader.id });
    assert.equal(f.tag?.id, leader.id);
    assert.equal(f.total, 1);
    assert.deepEqual(f.yearly.map((y) => [y.year, y.entered, y.installe]), [[2026, 1, 1]]);
    assert.deepEqual(f.settledCommunes.map((c) => c.insee), ['32208']);
    const page = await lea.agent.get(`/admin/accueil/chiffres?annee=2026&financeur=${leader.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /dossiers du financeur LEADER \(Europe\)/);
  });

  test('the page draws accessible charts with every figure in a table, and the settled communes on the map', async () => {
    const { lea } = await buildWorld();
    const res = await lea.agent.get('/admin/accueil/chiffres?annee=2026');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<svg[^>]*role="img"[^>]*aria-labelledby="ch-entered-t ch-entered-d"/);
    assert.match(res.body, /<title id="ch-entered-t">Nouveaux dossiers par mois en 2026<\/title>/);
    assert.match(res.body, /<desc id="ch-entered-d">janv\. : 1 ; févr\. : 1 ; mars : 1 ; avr\. : 0/);
    assert.match(res.body, /<caption>Entrées et passages par mois en 2026<\/caption>/);
    assert.match(res.body, /aria-label="Lectoure : 1 foyer installé"/, 'the map names each commune with its count');
    assert.match(res.body, /<a href="\/villages\/32208">Lectoure<\/a><\/th><td class="num">1<\/td><td class="num">2<\/td><td class="num">2<\/td><td class="num">4<\/td>/);
    assert.match(res.body, /Foyers installés<\/p>/, 'the map legend says what it counts');
  });
});

describe('reusing computed figures', () => {
  test('any change to a case, its stage or its tags shows at once, even within the same instant', async () => {
    const lea = await agentFor(['staff']);
    const { caseId } = await applyAsVisitor(w.ctx);
    const count = async (q = {}) => Object.fromEntries((await getFunnel(w.ctx, lea.actor, q)).now.filter((r) => r.n).map((r) => [r.stage, r.n]));
    assert.deepEqual(await count(), { nouveau: 1 });
    assert.deepEqual(await count(), { nouveau: 1 }, 'unchanged data, same figures');
    await service.qualifyCase(w.ctx, lea.actor, caseId);
    assert.deepEqual(await count(), { qualifie: 1 });
    const [tag] = await listFunderTagsForStaff(w.ctx, lea.actor);
    assert.deepEqual(await count({ financeur: tag.id }), {});
    await setCaseFunderTags(w.ctx, lea.actor, caseId, [tag.id]);
    assert.deepEqual(await count({ financeur: tag.id }), { qualifie: 1 });
    await setCaseFunderTags(w.ctx, lea.actor, caseId, []);
    assert.deepEqual(await count({ financeur: tag.id }), {});
    await applyAsVisitor(w.ctx, { email: 'autre@exemple.fr' });
    assert.deepEqual(await count(), { nouveau: 1, qualifie: 1 });
  });
});

describe('CSV exports', () => {
  test('cells are quoted, inner quotes doubled, numbers written with a decimal comma', () => {
    assert.equal(csvCell('Auch; centre'), '"Auch; centre"');
    assert.equal(csvCell('dit "le Gers"'), '"dit ""le Gers"""');
    assert.equal(csvCell(12.25), '"12,3"');
    assert.equal(csvCell(1234), '"1234"', 'no thousands separator');
    assert.equal(csvCell(null), '""');
    assert.equal(toCsv([['a', 1], ['b', 2.5]]), '\uFEFF"a";"1"\r\n"b";"2,5"\r\n');
  });

  test('the figures export opens right in French Excel and is audited', async () => {
    const { lea } = await buildWorld();
    const res = await lea.agent.get('/admin/accueil/chiffres.csv?annee=toutes');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="chiffres-accueil-toutes-annees\.csv"/);
    const body = res.rawPayload.toString('utf8');
    assert.ok(body.startsWith('\uFEFF"Indicateur";"Période";"Détail";"Code";"Valeur"\r\n'));
    assert.ok(!/[^\r]\n/.test(body), 'every line ends with CRLF');
    assert.ok(body.includes('"Durée médiane de l’étape (jours)";"Toutes les années";"Nouveau";"nouveau";"15,3"\r\n'));
    assert.ok(body.includes('"Taux de passage à l’étape suivante (%)";"Toutes les années";"Qualifié → Accompagné";"qualifie>accompagne";"50"\r\n'));
    assert.ok(body.includes('"Foyers installés";"Toutes les années";"Lectoure";"32208";"1"\r\n'));
    assert.ok(body.includes('"Enfants installés";"2026";"Gers";"";"2"\r\n'));
    const audit = await w.ctx.db.selectFrom('audit_event').select(['actor_id', 'data']).where('action', '=', 'newcomer_funnel.exported').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, lea.user.id);
    assert.deepEqual((audit.data as { export: string; year: null }).export, 'figures');
  });

  test('the cases export follows the list filters, escapes what it must and carries nothing personal', async () => {
    const { lea, a, epci } = await buildWorld();
    const odd = await addFunderTag(w.ctx, lea.actor, 'Région; "Occitanie"');
    const tags = await listFunderTagsForStaff(w.ctx, lea.actor);
    await setCaseFunderTags(w.ctx, lea.actor, a.caseId, [tags.find((t) => t.key === 'leader')!.id, odd.id]);
    await service.sendStaffMessage(w.ctx, lea.actor, a.caseId, 'Un message privé');
    await service.addCaseNote(w.ctx, lea.actor, a.caseId, 'Une note interne');

    const res = await lea.agent.get(`/admin/accueil/dossiers.csv?epci=${epci.siren}`);
    assert.equal(res.statusCode, 200);
    const body = res.rawPayload.toString('utf8');
    const lines = body.slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], '"Numéro";"Étape";"Créé le";"Dans l’étape depuis le";"Chargé(e) d’accueil";"Communes visées";"Commune d’installation";"Installé le";"Financeurs";"Adultes";"Enfants"');
    assert.equal(lines.length, 3, 'A (targets and settled in the EPCI) and D (settled there)');
    const rowA = lines.find((l) => l.includes('"05/03/2026"'))!;
    assert.match(rowA, /"Installé";"10\/01\/2026";"06\/03\/2026";"";"Auch, Lectoure";"Lectoure";"05\/03\/2026";"LEADER \(Europe\), Région; ""Occitanie""";"2";"2"$/);
    for (const secret of ['Foyer A', 'a@exemple.fr', '06 12 34 56 78', 'Un message privé', 'Une note interne', 'Lyon']) assert.ok(!body.includes(secret), secret);
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'newcomer_case.list_exported').executeTakeFirstOrThrow();
    assert.deepEqual(audit.data, { export: 'cases', filters: { epci: epci.siren }, rows: 2 });
  });
});

describe('CSV exports neutralise formulas', () => {
  const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tTab', '\rReturn'];

  test('a text cell that a spreadsheet would read as a formula is written as text', () => {
    for (const f of FORMULAS) assert.equal(csvCell(f), `"'${f.replace(/"/g, '""')}"`, JSON.stringify(f));
    assert.equal(csvCell(-2.5), '"-2,5"', 'numbers stay numbers');
    assert.equal(csvCell('Auch'), '"Auch"');
  });

  test('the figures export writes a funder tag named like a formula as text', async () => {
    const { lea, a } = await buildWorld();
    const tag = await addFunderTag(w.ctx, lea.actor, '=1+2');
    await service.addCaseTask(w.ctx, lea.actor, a.caseId, { title: 'Financée', dueOn: '2026-12-01', funderTagId: tag.id });
    const res = await lea.agent.get(`/admin/accueil/chiffres.csv?annee=toutes&financeur=${tag.id}`);
    assert.equal(res.statusCode, 200);
    const body = res.rawPayload.toString('utf8');
    assert.ok(body.includes(`"'=1+2"`), 'the tag is neutralised');
    assert.ok(!body.includes('"=1+2"'));
  });

  test('the cases export writes an adviser and a tag named like formulas as text', async () => {
    const { lea, a } = await buildWorld();
    await w.ctx.db.updateTable('user_account').set({ display_name: '@SUM(1+1)' }).where('id', '=', lea.user.id).execute();
    await service.assignAdviser(w.ctx, lea.actor, a.caseId, lea.user.id);
    const tag = await addFunderTag(w.ctx, lea.actor, '-1+cmd');
    await setCaseFunderTags(w.ctx, lea.actor, a.caseId, [tag.id]);
    const res = await lea.agent.get('/admin/accueil/dossiers.csv');
    assert.equal(res.statusCode, 200);
    const body = res.rawPayload.toString('utf8');
    assert.ok(body.includes(`"'@SUM(1+1)"`), 'the adviser is neutralised');
    assert.ok(body.includes(`"'-1+cmd"`), 'the tag is neutralised');
  });
});

describe('the staff list filters', () => {
  test('by EPCI (targeted or settled there) and by funder tag, in a GET form', async () => {
    const { lea, leader, epci } = await buildWorld();
    const names = async (url: string) => {
      const res = await lea.agent.get(url);
      assert.equal(res.statusCode, 200, url);
      return ['Foyer A', 'Foyer B', 'Foyer C', 'Foyer D'].filter((n) => res.body.includes(`>${n}</a>`));
    };
    assert.deepEqual(await names(`/admin/accueil?epci=${epci.siren}`), ['Foyer A', 'Foyer D']);
    assert.deepEqual(await names(`/admin/accueil?financeur=${leader.id}`), ['Foyer A']);
    assert.deepEqual(await names(`/admin/accueil?commune=${epci.other.insee}`), ['Foyer D'], 'a commune matches the settled one too');
    assert.deepEqual(await names(`/admin/accueil?epci=${epci.siren}&etape=installe&projet=freelance`), ['Foyer D']);
    assert.deepEqual(await names('/admin/accueil?epci=x&financeur=abc'), ['Foyer A', 'Foyer B', 'Foyer C', 'Foyer D'], 'malformed filters are ignored');
    const form = await lea.agent.get(`/admin/accueil?financeur=${leader.id}`);
    assert.match(form.body, /<form method="get" action="\/admin\/accueil" class="filters"/);
    assert.match(form.body, new RegExp(`<option value="${leader.id}" selected>LEADER \\(Europe\\)</option>`));
    assert.match(form.body, /<label for="q-epci">/);
  });
});
