import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../tests/support/factories.js';
import { anonymous, type Actor } from '../../context.js';
import type { Role } from '../../db/schema.js';
import { hashPassword } from '../accounts/index.js';
import { applyForMembership } from './joining/index.js';
import { exportMembersCsv, listMembersForStaff } from './members.service.js';
import { anonymousActor, applicationInput, approvedMember, makePlan } from './members.testing.js';
import { DEFAULT_VISIBILITY, saveMyProfile } from './profiles/index.js';

const w = useTestWorld();

/** Two communes of the territory in two different EPCIs (Auch and one elsewhere). */
async function places() {
  const auch = await w.ctx.db.selectFrom('commune').select(['insee', 'epci_siren']).where('insee', '=', '32013').executeTakeFirstOrThrow();
  const other = await w.ctx.db.selectFrom('commune').select(['insee', 'epci_siren']).where('epci_siren', '!=', auch.epci_siren!).where('epci_siren', 'is not', null).orderBy('insee').executeTakeFirstOrThrow();
  return { auch, other };
}

async function world() {
  const staffUser = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  const staff = actorFor(w.ctx, staffUser, ['staff']) as Actor & { userId: string };
  const { auch, other } = await places();
  const individuel = await makePlan(w.ctx, { name: 'Individuel' });
  const couple = await makePlan(w.ctx, { name: 'Couple' });
  // On 27 November 2026 with reminders 30 days ahead: active, expiring in December, expired, pending.
  const active = await approvedMember(w.ctx, staff, individuel, { email: 'a@exemple.fr', firstName: 'Anne', lastName: 'Abadie', activity: '=HYPERLINK("http://x.example";"clic")' }, '2026-06-01');
  const soon = await approvedMember(w.ctx, staff, couple, { email: 'b@exemple.fr', firstName: 'Bruno', lastName: 'Bordes', insee: other.insee }, '2025-12-10');
  const expired = await approvedMember(w.ctx, staff, individuel, { email: 'c@exemple.fr', firstName: 'Chloé', lastName: 'Castaing', insee: other.insee }, '2025-10-01');
  const pending = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(couple, { email: 'd@exemple.fr', firstName: 'David', lastName: 'Dupuy' }), 'fr');
  const annUser = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'a@exemple.fr').executeTakeFirstOrThrow();
  await saveMyProfile(w.ctx, actorFor(w.ctx, annUser, ['member']), {
    displayName: 'Anne Abadie',
    activity: '=HYPERLINK("http://x.example";"clic")',
    skills: ['Développement web', 'Céramique'],
    insee: auch.insee,
    languages: ['fr'],
    openToBusiness: false,
    buddyOpen: false,
    contactOpen: true,
    publicShowcase: false,
    visibility: { ...DEFAULT_VISIBILITY },
  });
  return { staff, auch, other, individuel, couple, active, soon, expired, pending };
}

const names = (r: { rows: { last_name: string }[] }) => r.rows.map((x) => x.last_name);

describe('the team’s list filters', () => {
  test('filters by commune, EPCI, expiry month and skill combine with status and plan; unknown values read as "all"', async () => {
    const x = await world();
    const list = (q: Record<string, unknown>) => listMembersForStaff(w.ctx, x.staff, { page: 1, ...q });
    assert.deepEqual(names(await list({})), ['Abadie', 'Bordes', 'Castaing', 'Dupuy']);
    assert.deepEqual(names(await list({ commune: x.other.insee })), ['Bordes', 'Castaing']);
    assert.deepEqual(names(await list({ epci: x.auch.epci_siren! })), ['Abadie', 'Dupuy']);
    assert.deepEqual(names(await list({ epci: x.other.epci_siren!, statut: 'expire' })), ['Castaing']);
    assert.deepEqual(names(await list({ echeance: '2026-12' })), ['Bordes']);
    assert.deepEqual(names(await list({ echeance: '2027-05', formule: x.individuel })), ['Abadie']);
    assert.deepEqual(names(await list({ echeance: '2027-05', formule: x.couple })), []);
    // A skill by its label in any spelling, or by its key.
    assert.deepEqual(names(await list({ competence: 'developpement WEB' })), ['Abadie']);
    assert.deepEqual(names(await list({ competence: 'céramique' })), ['Abadie']);
    const unknown = await list({ commune: '99999', epci: '000000000', competence: 'Plomberie', formule: 999_999 });
    assert.deepEqual(names(unknown), ['Abadie', 'Bordes', 'Castaing', 'Dupuy']);
    assert.deepEqual([unknown.query.commune, unknown.query.epci, unknown.query.competence, unknown.query.formule], [undefined, undefined, undefined, undefined]);

    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const page = await agent.get(`/admin/adherents?commune=${x.other.insee}&echeance=2026-13&competence=&statut=nimporte`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Bordes/);
    assert.doesNotMatch(page.body, /Abadie/);
    assert.match(page.body, new RegExp(`href="/admin/adherents.csv\\?commune=${x.other.insee}"`));
    assert.match(page.body, new RegExp(`href="/admin/adherents/courriel\\?commune=${x.other.insee}"`));
    const bySkill = await agent.get('/admin/adherents?competence=developpement+web');
    assert.match(bySkill.body, /Abadie/);
    assert.doesNotMatch(bySkill.body, /Bordes/);
  });
});

describe('the list as CSV', () => {
  test('the export is the filtered list for French Excel: BOM, semicolons, formulas neutralised, audited', async () => {
    const x = await world();
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const res = await agent.get('/admin/adherents.csv?statut=actif');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="adherents-2026-11-27.csv"/);
    assert.ok(res.body.startsWith('\uFEFF'), 'starts with a byte-order mark');
    const lines = res.body.slice(1).split('\r\n');
    assert.equal(lines.length, 3, 'header, one member, final line end');
    assert.equal(lines[0].split(';')[0], '"N° d’adhérent"');
    const row = lines[1].split(';');
    assert.equal(lines[0].split(';').length, 14);
    assert.deepEqual(row.slice(0, 5), ['"M-000001"', '"Abadie"', '"Anne"', '"Actif"', '"Individuel"']);
    assert.ok(lines[1].includes('"\'=HYPERLINK(""http://x.example"";""clic"")"'), 'the formula is neutralised');
    assert.ok(lines[1].includes('"a@exemple.fr"'), 'the team sees the e-mail');
    assert.ok(lines[1].includes('"Développement web, Céramique"'));
    assert.ok(!res.body.includes('Bordes'));
    const file = await exportMembersCsv(w.ctx, x.staff, { page: 1, commune: x.other.insee });
    assert.equal(file.body.split('\r\n').length, 4);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('action', '=', 'member.list_exported').execute();
    assert.equal(audit.length, 2);
  });
});

describe('who may use the team’s list', () => {
  test('staff and admins list and export; members, candidates and visitors are refused', async () => {
    await world();
    const as = async (roles: Role[]) => actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
    for (const roles of [['staff'], ['admin']] as Role[][]) {
      const actor = await as(roles);
      assert.equal(await codeOf(listMembersForStaff(w.ctx, actor, { page: 1 })), 'ok');
      assert.equal(await codeOf(exportMembersCsv(w.ctx, actor, { page: 1 })), 'ok');
    }
    for (const roles of [['member'], ['candidate']] as Role[][]) {
      const actor = await as(roles);
      assert.equal(await codeOf(listMembersForStaff(w.ctx, actor, { page: 1 })), 'forbidden');
      assert.equal(await codeOf(exportMembersCsv(w.ctx, actor, { page: 1 })), 'forbidden');
    }
    assert.equal(await codeOf(exportMembersCsv(w.ctx, anonymous(w.ctx.territory.id), { page: 1 })), 'unauthenticated');
    const member = await createUser(w.ctx, { roles: ['member'] });
    await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD) }).where('id', '=', member.id).execute();
    const agent = new Agent(w.app);
    await agent.login(member.email, PASSWORD);
    assert.equal((await agent.get('/admin/adherents.csv')).statusCode, 403);
    const visitor = await new Agent(w.app).get('/admin/adherents.csv');
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/connexion/);
  });
});
