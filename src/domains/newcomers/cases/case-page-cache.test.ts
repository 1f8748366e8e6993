/**
 * The team's case page is rendered once per version of what it shows (decision 0032): these tests prove that no
 * change to any table it reads, whoever writes it (here straight SQL, as another process, a job or a script would),
 * leaves a stale page; that deadlines passing within a day show without any write; and that a body shared between
 * colleagues carries only what each may see, while outsiders are refused as before.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { createUser, signedInUser } from '../../../../tests/support/factories.js';
import { tFor } from '../../../web/i18n/index.js';
import { approvedMember, makePlan } from '../../members/members.testing.js';
import { applyAsVisitor } from '../newcomers.testing.js';
import { shareCaseWithPartner } from '../partners/index.js';
import { createStay, enrolCase } from '../stays/stays.service.js';
import * as service from './cases.service.js';

const w = useTestWorld();
const t = tFor('fr');

const signedIn = (roles: ('staff' | 'admin' | 'partner' | 'member' | 'candidate')[], name: string) => signedInUser(w, roles, name);

const page = async (agent: Agent, url: string) => {
  const res = await agent.get(url);
  assert.equal(res.statusCode, 200, url);
  return res.body;
};

/** Text as the page carries it (escaped as preact escapes), as a pattern. */
const shown = (text: string) => new RegExp(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const stayInput = (title: string) => ({ title, summary: undefined, startsOn: '2026-12-10', endsOn: '2026-12-12', applyBy: '2026-12-01', seats: 6, status: 'open' as const });

describe('the case page rendered once per version of its data', () => {
  test('a change to any table the page reads, written outside the services, shows at the next request', async () => {
    const lea = await signedIn(['staff'], 'Léa Dupuis');
    const martin = await applyAsVisitor(w.ctx, { consentShare: true });
    const caseId = martin.caseId;
    const url = `/admin/accueil/${caseId}`;
    const db = w.ctx.db;
    const tid = w.ctx.territory.id;
    const now = w.clock.now();
    await service.assignAdviser(w.ctx, lea.actor, caseId, 'moi');

    // A partner the case is shared with, another one it could be, a member who may become a buddy, two offers,
    // two discovery stays (the household enrolled in the first).
    const partner = await createUser(w.ctx, { roles: ['partner'], name: 'Comité de Lectoure' });
    const other = await createUser(w.ctx, { roles: ['partner'], name: 'Chambre des métiers' });
    for (const [p, organisation] of [[partner, 'Comité d’accueil de Lectoure'], [other, 'CMA du Gers']] as const) {
      await db.insertInto('partner_profile').values({ territory_id: tid, user_id: p.id, organisation, kind: 'other', theme: null, updated_at: now, updated_by: null }).execute();
    }
    await shareCaseWithPartner(w.ctx, lea.actor, caseId, partner.id);
    const noe = await createUser(w.ctx, { name: 'Noé Vidal' });
    const plan = await makePlan(w.ctx);
    const membership = await approvedMember(w.ctx, lea.actor, plan, { email: 'adherente@exemple.fr' });
    const offer = (
      await db
        .insertInto('offer')
        .values({ territory_id: tid, kind: 'housing', housing_type: 'sale', price: 180000, status: 'published', title: 'Maison de ville à vendre', description: 'Quatre pièces.', insee: '32208', expires_on: '2027-06-30', created_at: now, updated_at: now, published_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const unlisted = (
      await db
        .insertInto('offer')
        .values({ territory_id: tid, kind: 'housing', housing_type: 'rent', price: 650, status: 'draft', title: 'Appartement à louer', description: 'Deux pièces.', insee: '32013', expires_on: '2027-06-30', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const first = await createStay(w.ctx, lea.actor, stayInput('Trois jours en Lomagne'));
    const second = await createStay(w.ctx, lea.actor, stayInput('Un week-end dans l’Astarac'));
    await enrolCase(w.ctx, lea.actor, caseId, { stayId: first.id, people: 2 });
    const application = await db.selectFrom('stay_application').select(['id', 'registration_id']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const secondEvent = (await db.selectFrom('discovery_stay').select('event_id').where('id', '=', second.id).executeTakeFirstOrThrow()).event_id;
    const auch = await db.selectFrom('commune').select('name').where('territory_id', '=', tid).where('insee', '=', '32013').executeTakeFirstOrThrow();
    const elsewhere = await db.selectFrom('commune').select(['insee', 'name']).where('territory_id', '=', tid).where('insee', 'not in', ['32208', '32013']).orderBy('insee').executeTakeFirstOrThrow();

    const before = await page(lea.agent, url);
    const tag = await db.selectFrom('funder_tag').select(['id', 'key']).where('territory_id', '=', tid).orderBy('id').executeTakeFirstOrThrow();
    const staffOption = (name: string) => new RegExp(`<option value="[0-9a-f-]{36}"[^>]*>${name}</option>`);
    assert.doesNotMatch(before, staffOption('Zoé Marchal'));

    // Each table the page reads, changed by plain SQL: the next request shows it (`seen`) or no longer shows it (`gone`).
    const steps: { table: string; change: () => Promise<unknown>; seen?: RegExp; gone?: RegExp }[] = [
      { table: 'newcomer_case', change: () => db.updateTable('newcomer_case').set({ contact_name: 'Camille Martin-Roy' }).where('id', '=', caseId).execute(), seen: shown('Camille Martin-Roy') },
      { table: 'case_adult', change: () => db.updateTable('case_adult').set({ profession: 'Ébéniste' }).where('case_id', '=', caseId).where('position', '=', 2).execute(), seen: shown('Ébéniste') },
      { table: 'case_child', change: () => db.updateTable('case_child').set({ needs: 'Classe bilingue gasconne' }).where('case_id', '=', caseId).where('position', '=', 1).execute(), seen: shown('Classe bilingue gasconne') },
      {
        table: 'case_commune',
        change: () => db.insertInto('case_commune').values({ territory_id: tid, case_id: caseId, insee: elsewhere.insee, added_at: now }).execute(),
        seen: shown(elsewhere.name),
      },
      {
        table: 'case_application',
        change: () => db.updateTable('case_application').set({ signed_in: true }).where('case_id', '=', caseId).execute(),
        gone: shown(t('newcomers.timeline.notSignedIn')),
      },
      { table: 'case_stage_event', change: () => db.updateTable('case_stage_event').set({ comment: 'Dossier reçu par courrier' }).where('case_id', '=', caseId).execute(), seen: shown('Dossier reçu par courrier') },
      {
        table: 'case_note',
        change: () => db.insertInto('case_note').values({ territory_id: tid, case_id: caseId, author_id: lea.user.id, body: 'Appel de la mairie', created_at: now }).execute(),
        seen: shown('Appel de la mairie'),
      },
      {
        table: 'case_task',
        change: () => db.insertInto('case_task').values({ territory_id: tid, case_id: caseId, title: 'Rappeler le notaire', due_on: '2026-12-20', assignee_id: lea.user.id, created_by: lea.user.id, created_at: now }).execute(),
        seen: shown('Rappeler le notaire'),
      },
      {
        table: 'case_checklist_item',
        change: () => db.insertInto('case_checklist_item').values({ territory_id: tid, case_id: caseId, key: null, label: 'Visiter le collège', position: 99, created_at: now }).execute(),
        seen: shown('Visiter le collège'),
      },
      {
        table: 'case_message',
        change: () => db.insertInto('case_message').values({ territory_id: tid, case_id: caseId, author_id: null, from_staff: false, body: 'Nous arrivons en mars', created_at: now }).execute(),
        seen: shown('Nous arrivons en mars'),
      },
      {
        table: 'case_funder_tag',
        change: () => db.insertInto('case_funder_tag').values({ territory_id: tid, case_id: caseId, tag_id: tag.id, added_at: now }).execute(),
        seen: new RegExp(`name="tags" value="${tag.id}" checked`),
      },
      {
        table: 'case_share',
        change: () => db.insertInto('case_share').values({ territory_id: tid, case_id: caseId, partner_id: other.id, shared_at: now, shared_by: null }).execute(),
        seen: shown(t('newcomers.partners.case.revokeLabel', { name: 'CMA du Gers' })),
      },
      {
        table: 'case_partner_view',
        change: () => db.insertInto('case_partner_view').values({ territory_id: tid, case_id: caseId, partner_id: partner.id, at: now, refused: false }).execute(),
        seen: shown(t('newcomers.partners.case.viewsCaption', { shown: 1, total: 1 })),
      },
      {
        table: 'case_partner_note',
        change: () => db.insertInto('case_partner_note').values({ territory_id: tid, case_id: caseId, author_id: partner.id, body: 'Logement trouvé rue Nationale', created_at: now }).execute(),
        seen: shown('Logement trouvé rue Nationale'),
      },
      {
        table: 'case_followup',
        change: () => db.insertInto('case_followup').values({ territory_id: tid, case_id: caseId, month_offset: 6, due_on: '2027-05-27', created_at: now, updated_at: now }).execute(),
        seen: shown(t('newcomers.followups.afterMonths', { n: 6 })),
      },
      {
        table: 'case_document',
        change: () =>
          db
            .insertInto('case_document')
            .values({ id: '6f1b7a52-3c1e-4d55-9a55-0c7a1d2e9b01', territory_id: tid, case_id: caseId, original_name: 'bail-signe.pdf', content_type: 'application/pdf', size_bytes: 1200, sha256: 'a'.repeat(64), uploaded_by: lea.user.id, from_staff: true, uploaded_at: now })
            .execute(),
        seen: shown('bail-signe.pdf'),
      },
      { table: 'offer_interest', change: () => db.insertInto('offer_interest').values({ territory_id: tid, offer_id: unlisted, case_id: caseId, at: now }).execute(), seen: shown('Appartement à louer') },
      { table: 'offer', change: () => db.updateTable('offer').set({ title: 'Maison de maître à vendre' }).where('id', '=', offer).execute(), seen: shown('Maison de maître à vendre') },
      { table: 'stay_application', change: () => db.updateTable('stay_application').set({ people: 5 }).where('id', '=', application.id).execute(), seen: shown(t('newcomers.stays.peopleCount', { count: 5 })) },
      {
        table: 'event_registration',
        change: () => db.updateTable('event_registration').set({ status: 'waiting' }).where('id', '=', application.registration_id).execute(),
        seen: shown(t('newcomers.stays.status.waiting')),
      },
      { table: 'event', change: () => db.updateTable('event').set({ title: 'Un week-end en Astarac' }).where('id', '=', secondEvent).execute(), seen: shown('Un week-end en Astarac') },
      { table: 'discovery_stay', change: () => db.deleteFrom('discovery_stay').where('id', '=', second.id).execute(), gone: shown('Un week-end en Astarac') },
      {
        table: 'case_drop_reason',
        change: () => db.insertInto('case_drop_reason').values({ territory_id: tid, key: null, label: 'Projet reporté à plus tard', created_at: now }).execute(),
        seen: shown('Projet reporté à plus tard'),
      },
      { table: 'funder_tag', change: () => db.updateTable('funder_tag').set({ key: null, label: 'Fonds européen agricole' }).where('id', '=', tag.id).execute(), seen: shown('Fonds européen agricole') },
      { table: 'commune', change: () => db.updateTable('commune').set({ name: 'Lectoure-en-Lomagne' }).where('territory_id', '=', tid).where('insee', '=', '32208').execute(), seen: shown('Lectoure-en-Lomagne') },
      { table: 'partner_profile', change: () => db.updateTable('partner_profile').set({ organisation: 'Comité d’accueil lectourois' }).where('user_id', '=', partner.id).execute(), seen: shown('Comité d’accueil lectourois') },
      {
        table: 'partner_commune',
        // Revoked first (plain SQL too): the other partner is offered again, now suggested for the case's village.
        change: async () => {
          await db.deleteFrom('case_share').where('partner_id', '=', other.id).execute();
          await db.insertInto('partner_commune').values({ territory_id: tid, user_id: other.id, insee: '32013' }).execute();
        },
        seen: shown(t('newcomers.partners.case.suggestedHint', { count: 1 })),
      },
      {
        table: 'buddy',
        change: () => db.insertInto('buddy').values({ territory_id: tid, user_id: noe.id, home_insee: '32013', presentation: null, max_households: 2, opted_in_at: now, marked_by: null, updated_at: now }).execute(),
        seen: shown('Noé Vidal'),
      },
      // The buddy's account becomes a member's: their profile (not open to be a buddy) now decides, then says yes.
      { table: 'member', change: () => db.updateTable('member').set({ user_id: noe.id }).where('id', '=', membership.memberId).execute(), gone: shown('Noé Vidal') },
      {
        table: 'member_profile',
        change: () =>
          db
            .insertInto('member_profile')
            .values({ member_id: membership.memberId, territory_id: tid, slug: 'noe-vidal', display_name: 'Noé Vidal', buddy_open: true, visibility: JSON.stringify({}), created_at: now, updated_at: now })
            .onConflict((oc) => oc.column('member_id').doUpdateSet({ buddy_open: true }))
            .execute(),
        seen: shown('Noé Vidal'),
      },
      {
        table: 'case_buddy',
        change: () => db.insertInto('case_buddy').values({ territory_id: tid, case_id: caseId, buddy_user_id: noe.id, confirmed_at: now, confirmed_by: lea.user.id }).execute(),
        seen: shown(t('newcomers.buddies.current', { name: 'Noé Vidal', commune: auch.name })),
      },
      {
        table: 'role_grant',
        change: async () => {
          const zoe = await createUser(w.ctx, { name: 'Zoé Marchal' });
          await db.insertInto('role_grant').values({ territory_id: tid, user_id: zoe.id, role: 'staff', granted_at: now, granted_by: null }).execute();
        },
        seen: staffOption('Zoé Marchal'),
      },
      { table: 'user_account', change: () => db.updateTable('user_account').set({ display_name: 'Léa Dupuis-Marty' }).where('id', '=', lea.user.id).execute(), seen: shown('Léa Dupuis-Marty') },
    ];
    for (const step of steps) {
      const html = await page(lea.agent, url);
      if (step.seen) assert.doesNotMatch(html, step.seen, `${step.table}: shown before the change`);
      if (step.gone) assert.match(html, step.gone, `${step.table}: missing before the change`);
      await step.change();
      const after = await page(lea.agent, url);
      if (step.seen) assert.match(after, step.seen, `${step.table}: the change is not shown`);
      if (step.gone) assert.doesNotMatch(after, step.gone, `${step.table}: still shown after the change`);
    }

    // Every table carrying the page's trigger has its line above (a new trigger needs one, and a new table read needs both).
    const tracked = (
      await sql<{ table: string }>`select distinct c.relname as table from pg_trigger g join pg_class c on c.oid = g.tgrelid where g.tgname like '%\_case\_page\_changed'`.execute(db)
    ).rows.map((r) => r.table);
    assert.deepEqual(steps.map((s) => s.table).sort(), [...tracked].sort());
  });

  test('the versions move with a committed change only, in the same transaction', async () => {
    const martin = await applyAsVisitor(w.ctx);
    const read = () => w.ctx.db.selectFrom('case_page_version').select('version').where('case_id', '=', martin.caseId).executeTakeFirst();
    const before = await read();
    await assert.rejects(
      w.ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable('case_note').set({ body: 'Jamais' }).where('case_id', '=', martin.caseId).execute();
        await trx.insertInto('case_note').values({ territory_id: w.ctx.territory.id, case_id: martin.caseId, author_id: null, body: 'Jamais', created_at: w.clock.now() }).execute();
        throw new Error('rolled back');
      }),
    );
    assert.deepEqual(await read(), before);
    await w.ctx.db.insertInto('case_note').values({ territory_id: w.ctx.territory.id, case_id: martin.caseId, author_id: null, body: 'Une note', created_at: w.clock.now() }).execute();
    const after = await read();
    assert.ok(after && (!before || BigInt(String(after.version)) > BigInt(String(before.version))));
    // A deleted case takes its version with it.
    await w.ctx.db.deleteFrom('newcomer_case').where('id', '=', martin.caseId).execute();
    assert.equal(await read(), undefined);
  });

  test('commits changing cases and their territory in opposite orders at the same moment all go through', async () => {
    const martin = await applyAsVisitor(w.ctx);
    const bernard = await applyAsVisitor(w.ctx, { email: 'bernard@exemple.fr', contactName: 'Jo Bernard' });
    const db = w.ctx.db;
    const tid = w.ctx.territory.id;
    const note = (trx: typeof db, caseId: string, body: string) => trx.insertInto('case_note').values({ territory_id: tid, case_id: caseId, author_id: null, body, created_at: w.clock.now() }).execute();
    const addReason = (trx: typeof db, label: string) => trx.insertInto('case_drop_reason').values({ territory_id: tid, key: null, label, created_at: w.clock.now() }).execute();
    // Case first then territory, territory first then case, over two cases: without one order of the version rows'
    // locks, PostgreSQL would find commits waiting on each other and cancel one of them.
    const runs = Array.from({ length: 24 }, (_, i) =>
      db.transaction().execute(async (trx) => {
        const [first, second] = i % 2 ? [martin.caseId, bernard.caseId] : [bernard.caseId, martin.caseId];
        if (i % 4 < 2) {
          await note(trx, first, `note ${i}`);
          await addReason(trx, `motif ${i}`);
          await note(trx, second, `note ${i}`);
        } else {
          await addReason(trx, `motif ${i}`);
          await note(trx, second, `note ${i}`);
          await note(trx, first, `note ${i}`);
        }
      }),
    );
    const outcomes = await Promise.allSettled(runs);
    assert.deepEqual(outcomes.filter((o) => o.status === 'rejected'), []);
    const versions = await db.selectFrom('case_page_version').select('case_id').where('case_id', 'in', [martin.caseId, bernard.caseId]).execute();
    assert.equal(versions.length, 2);
  });

  test('a deletion request turns late when its deadline passes, without any write', async () => {
    const lea = await signedIn(['staff'], 'Léa Dupuis');
    const martin = await applyAsVisitor(w.ctx);
    await w.ctx.db.updateTable('newcomer_case').set({ deletion_requested_at: new Date('2026-10-27T15:00:00Z') }).where('id', '=', martin.caseId).execute();
    const late = shown(` · ${t('newcomers.privacy.staff.late')}`);
    w.clock.set('2026-11-27T14:00:00Z');
    assert.doesNotMatch(await page(lea.agent, `/admin/accueil/${martin.caseId}`), late);
    w.clock.set('2026-11-27T16:00:00Z');
    assert.match(await page(lea.agent, `/admin/accueil/${martin.caseId}`), late);
  });

  test('colleagues share a body with their own menus and token; outsiders are refused whatever is kept', async () => {
    const lea = await signedIn(['staff'], 'Léa Dupuis');
    const marc = await signedIn(['admin'], 'Marc Admin');
    const martin = await applyAsVisitor(w.ctx);
    const url = `/admin/accueil/${martin.caseId}`;
    const leaPage = await page(lea.agent, url);
    const marcPage = await page(marc.agent, url);
    assert.match(marcPage, /href="\/admin\/utilisateurs"/);
    assert.doesNotMatch(leaPage, /href="\/admin\/utilisateurs"/);
    assert.doesNotMatch(leaPage, /Marc Admin<\/(a|span|button)>/);
    assert.equal(await page(lea.agent, url), leaPage);
    const tokens = (html: string) => new Set([...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(tokens(leaPage).size, 1);
    assert.equal(tokens(marcPage).size, 1);
    assert.notDeepEqual(tokens(leaPage), tokens(marcPage));
    // Lea's token works on the kept body's forms.
    const [token] = tokens(await page(lea.agent, url));
    const noted = await lea.agent.post(`${url}/notes`, { body: 'Premier appel' }, { csrf: token });
    assert.equal(noted.statusCode, 303);
    assert.match(await page(marc.agent, url), /Premier appel/);

    const partner = await signedIn(['partner'], 'Comité');
    const member = await signedIn(['member'], 'Solo');
    const household = await signedIn(['candidate'], 'Foyer');
    for (const who of [partner, member, household]) assert.equal((await who.agent.get(url)).statusCode, 403);
    assert.equal((await lea.agent.get('/admin/accueil/3f0c8a4e-2b7d-4c1a-9e55-7d9b1c2a4e60')).statusCode, 404);
    assert.equal((await lea.agent.get('/admin/accueil/pas-un-id')).statusCode, 404);
  });
});
