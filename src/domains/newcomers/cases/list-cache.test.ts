/**
 * The team's list and board are rendered once per version of their data (decision 0031): these tests prove that no
 * change, whoever writes it (a page, a job, a script, another process: here straight SQL), leaves a stale page, and
 * that a body shared between viewers carries only what each viewer may see (their menus, their token, their "me").
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { createUser, signedInUser } from '../../../../tests/support/factories.js';
import { applyAsVisitor } from '../newcomers.testing.js';
import * as repo from './cases.repo.js';
import * as service from './cases.service.js';

const w = useTestWorld();

const signedIn = (roles: ('staff' | 'admin' | 'partner' | 'member')[], name: string) => signedInUser(w, roles, name);

const page = async (agent: Agent, url: string) => {
  const res = await agent.get(url);
  assert.equal(res.statusCode, 200, url);
  return res.body;
};

describe('the list and the board rendered once per version of their data', () => {
  test('a change written outside the services (another process, a job, a script) shows at the next request', async () => {
    const lea = await signedIn(['staff'], 'Léa Dupuis');
    const martin = await applyAsVisitor(w.ctx);
    await service.assignAdviser(w.ctx, lea.actor, martin.caseId, 'moi');
    const pages = ['/admin/accueil', '/admin/accueil/tableau'];
    for (const url of pages) assert.match(await page(lea.agent, url), />Camille Martin<\/a>/);

    // Each table the pages read, changed by plain SQL: the next request shows it, on both pages.
    const steps: { change: () => Promise<unknown>; seen: RegExp }[] = [
      { change: () => w.ctx.db.updateTable('newcomer_case').set({ contact_name: 'Camille Martin-Roy' }).where('id', '=', martin.caseId).execute(), seen: />Camille Martin-Roy<\/a>/ },
      { change: () => w.ctx.db.updateTable('user_account').set({ display_name: 'Léa Dupuis-Marty' }).where('id', '=', lea.user.id).execute(), seen: /Léa Dupuis-Marty/ },
      {
        change: () =>
          w.ctx.db
            .insertInto('case_task')
            .values({ territory_id: w.ctx.territory.id, case_id: martin.caseId, title: 'Rappeler', due_on: '2026-11-01', assignee_id: lea.user.id, created_by: lea.user.id, created_at: w.clock.now() })
            .execute(),
        seen: /<strong class="overdue">/,
      },
    ];
    for (const step of steps) {
      for (const url of pages) assert.doesNotMatch(await page(lea.agent, url), step.seen, url);
      await step.change();
      for (const url of pages) assert.match(await page(lea.agent, url), step.seen, url);
    }

    // A colleague given the team role appears in the adviser filter; the list's people follow the household's rows.
    await createUser(w.ctx, { roles: ['staff'], name: 'Noé Vidal' });
    for (const url of pages) assert.match(await page(lea.agent, url), /<option value="[0-9a-f-]{36}">Noé Vidal<\/option>/, url);
    const people = /(\d) ad\. · (\d) enf\./;
    const [, adults, children] = people.exec(await page(lea.agent, '/admin/accueil'))!;
    await w.ctx.db.deleteFrom('case_child').where('case_id', '=', martin.caseId).execute();
    assert.equal(people.exec(await page(lea.agent, '/admin/accueil'))![0], `${adults} ad. · 0 enf.`);
    assert.notEqual(children, '0');
  });

  test('the version moves with a committed change only, in the same transaction', async () => {
    const martin = await applyAsVisitor(w.ctx);
    const before = await repo.readListVersion(w.ctx.db, w.ctx.territory.id);
    await assert.rejects(
      w.ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable('newcomer_case').set({ contact_name: 'Jamais' }).where('id', '=', martin.caseId).execute();
        throw new Error('rolled back');
      }),
    );
    assert.equal(await repo.readListVersion(w.ctx.db, w.ctx.territory.id), before);
    await w.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('newcomer_case').set({ contact_name: 'Camille M.' }).where('id', '=', martin.caseId).execute();
      // Not yet committed: another connection would still read the old version with the old rows.
      await trx.updateTable('case_adult').set({ profession: 'menuisière' }).where('case_id', '=', martin.caseId).execute();
    });
    const after = await repo.readListVersion(w.ctx.db, w.ctx.territory.id);
    assert.notEqual(after, before);
    // A transaction touching nothing the pages read leaves it alone.
    await sql`select 1`.execute(w.ctx.db);
    await w.ctx.db.updateTable('case_checklist_item').set({ done_at: w.clock.now() }).where('case_id', '=', martin.caseId).execute();
    assert.equal(await repo.readListVersion(w.ctx.db, w.ctx.territory.id), after);
  });

  test('overdue tasks follow the day in Paris without any write', async () => {
    const lea = await signedIn(['staff'], 'Léa Dupuis');
    const martin = await applyAsVisitor(w.ctx);
    await service.addCaseTask(w.ctx, lea.actor, martin.caseId, { title: 'Rappeler', dueOn: '2026-11-28' });
    assert.doesNotMatch(await page(lea.agent, '/admin/accueil'), /<strong class="overdue">/);
    w.clock.set('2026-11-29T09:00:00Z');
    assert.match(await page(lea.agent, '/admin/accueil'), /<strong class="overdue">1<\/strong>/);
  });

  test('each viewer gets their own menus, their own token and their own "me"; other roles are refused as before', async () => {
    const lea = await signedIn(['staff'], 'Léa Dupuis');
    const marc = await signedIn(['admin'], 'Marc Admin');
    const martin = await applyAsVisitor(w.ctx);
    const bernard = await applyAsVisitor(w.ctx, { email: 'bernard@exemple.fr', contactName: 'Jo Bernard' });
    await service.assignAdviser(w.ctx, lea.actor, martin.caseId, 'moi');
    await service.assignAdviser(w.ctx, marc.actor, bernard.caseId, 'moi');

    const mine = '/admin/accueil?conseiller=moi';
    const leaList = await page(lea.agent, mine);
    const marcList = await page(marc.agent, mine);
    assert.match(leaList, />Camille Martin<\/a>/);
    assert.doesNotMatch(leaList, />Jo Bernard<\/a>/);
    assert.match(marcList, />Jo Bernard<\/a>/);
    assert.doesNotMatch(marcList, />Camille Martin<\/a>/);
    // The admin's back-office menu (users, journal) is not the staff member's.
    assert.match(marcList, /href="\/admin\/utilisateurs"/);
    assert.doesNotMatch(leaList, /href="\/admin\/utilisateurs"/);
    assert.doesNotMatch(leaList, /Marc Admin<\/(a|span|button)>/);

    // A body served again is the page as rendered the first time; the board's forms carry the viewer's own token.
    assert.equal(await page(lea.agent, mine), leaList);
    const leaBoard = await page(lea.agent, '/admin/accueil/tableau');
    const marcBoard = await page(marc.agent, '/admin/accueil/tableau');
    const tokens = (html: string) => new Set([...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(tokens(leaBoard).size, 1);
    assert.equal(tokens(marcBoard).size, 1);
    assert.notDeepEqual(tokens(leaBoard), tokens(marcBoard));
    const moved = await marc.agent.post(`/admin/accueil/${bernard.caseId}/etape?retour=tableau`, { expected: 'nouveau', transition: 'qualify' });
    assert.equal(moved.statusCode, 303);
    assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('stage').where('id', '=', bernard.caseId).executeTakeFirstOrThrow()).stage, 'qualifie');

    // Whatever is kept, a partner or a member is refused before anything is read.
    const partner = await signedIn(['partner'], 'Comité');
    const member = await signedIn(['member'], 'Solo');
    for (const url of ['/admin/accueil', mine, '/admin/accueil/tableau']) {
      assert.equal((await partner.agent.get(url)).statusCode, 403, url);
      assert.equal((await member.agent.get(url)).statusCode, 403, url);
    }
  });
});
