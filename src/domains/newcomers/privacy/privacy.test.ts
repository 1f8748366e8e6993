import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import type { Actor } from '../../../context.js';
import { anonymous } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { erasePersonalData, jobHandlers } from '../../../modules.js';
import { schedulePurge } from '../../../jobs/maintenance.js';
import { JobWorker } from '../../../jobs/worker.js';
import { hashPassword } from '../../accounts/index.js';
import * as documents from '../documents/documents.service.js';
import { PERSONAL_CASE_TABLES } from './privacy.repo.js';
import { ANONYMISED_NAME, RETENTION_MONTHS } from './privacy.rules.js';
import * as privacy from './privacy.service.js';
import * as service from '../cases/cases.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

type Who = 'visitor' | 'owner' | 'otherCandidate' | 'member' | 'partner' | 'staff' | 'admin';
const OUTSIDERS: Who[] = ['visitor', 'owner', 'otherCandidate', 'member', 'partner'];

async function world() {
  const { caseId } = await applyAsVisitor(w.ctx, { consentShare: true, targetText: 'Près d’une gare', project: 'Ouvrir une boulangerie', phone: '06 12 34 56 78' });
  const { caseId: otherCaseId } = await applyAsVisitor(w.ctx, { email: 'autre.foyer@exemple.fr', contactName: 'Dominique Autre', adults: [{ position: 1, firstName: 'Dominique', project: 'freelance' }], children: [] });
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).execute();
  const owner = await w.ctx.db.selectFrom('user_account').select(['id', 'email']).where('email', '=', 'camille.martin@exemple.fr').executeTakeFirstOrThrow();
  const other = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'autre.foyer@exemple.fr').executeTakeFirstOrThrow();
  const staffUser = await createUser(w.ctx, { roles: ['staff'], name: 'Léa Dupuis' });
  const people: Record<Who, Actor> = {
    visitor: anonymous(w.ctx.territory.id),
    owner: actorFor(w.ctx, owner, ['candidate']),
    otherCandidate: actorFor(w.ctx, other, ['candidate']),
    member: actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']),
    partner: actorFor(w.ctx, await createUser(w.ctx, { roles: ['partner'] }), ['partner']),
    staff: actorFor(w.ctx, staffUser, ['staff'] as Role[]),
    admin: actorFor(w.ctx, await createUser(w.ctx, { roles: ['admin'] }), ['admin'] as Role[]),
  };
  return { caseId, otherCaseId, people, owner, staffUser };
}

/**
 * Tables about a case that anonymisation keeps rows of, each with the reason and its columns sorted in two: blanked
 * by the anonymisation, or kept because they hold nothing personal. Every other table with a case (a `case_id`
 * column or a foreign key to `newcomer_case`) must be in PERSONAL_CASE_TABLES and is emptied. A new table, or a
 * new column in a kept table, fails the test below until it is classified here or there.
 */
// The member row is the members domain's: every column but the link to the case is its business, not this room's.
const MEMBER_COLUMNS = ['id', 'territory_id', 'number', 'user_id', 'plan_id', 'first_name', 'last_name', 'phone', 'activity', 'insee', 'outside_territory', 'state', 'decision_message', 'decided_at', 'decided_by', 'struck_off_reason', 'card_token', 'renewal_requested_at', 'accepted_statutes_at', 'accepted_privacy_at', 'anonymised_at', 'created_at', 'updated_at', 'valid_until'];

const KEPT_CASE_TABLES: Record<string, { why: string; blanked: string[]; kept: string[] }> = {
  case_adult: {
    why: 'how many adults came and with which kind of project: the programme’s figures',
    blanked: ['first_name', 'profession', 'sector'],
    kept: ['id', 'territory_id', 'case_id', 'position', 'project'],
  },
  case_child: {
    why: 'children’s ages and schooling: the figures for schools',
    blanked: ['needs'],
    kept: ['id', 'territory_id', 'case_id', 'position', 'age', 'schooling'],
  },
  case_stage_event: {
    why: 'the stage history: the funnel and the time spent in each stage',
    blanked: ['by_user_id', 'comment'],
    // reason_id: one of the programme's listed drop reasons, not words about the household.
    // left_at: when the case left that stage, for the time spent in each stage; stay_days: the same in days;
    // cohort_year: the year the case was created, for the figures of a cohort.
    kept: ['id', 'territory_id', 'case_id', 'from_stage', 'to_stage', 'at', 'left_at', 'reason_id', 'cohort_year', 'stay_days'],
  },
  case_followup: {
    why: 'answered check-ins after settling: whether households are still there after six and twelve months',
    blanked: ['comment', 'answered_by'],
    // Unanswered check-ins are deleted; answered ones keep their closed answers (lists of choices, no words).
    kept: ['id', 'territory_id', 'case_id', 'month_offset', 'due_on', 'sent_at', 'answered_at', 'channel', 'still_living', 'satisfaction', 'housing_settled', 'work_situation', 'created_at', 'updated_at'],
  },
  member: {
    why: 'a membership of the association, erased by the members domain on its own terms (dues kept for the accounts); only its link to the case goes',
    blanked: ['newcomer_case_id'],
    kept: MEMBER_COLUMNS,
  },
  case_funder_tag: {
    why: 'which funders count the case in their figures: no one’s data',
    blanked: [],
    kept: ['territory_id', 'case_id', 'tag_id', 'added_at'],
  },
  case_funnel: {
    why: 'the funnel figures’ facts of the case (decision 0035): its cohort, the stages it reached, when and where it settled, how many adults and children',
    blanked: [],
    kept: ['case_id', 'territory_id', 'cohort_year', 'reached', 'settled_year', 'settled_insee', 'adults', 'children'],
  },
  case_flow: {
    why: 'the months in which the case entered, was qualified, started a stay, settled or dropped: the funnel’s flows (decision 0035)',
    blanked: [],
    kept: ['case_id', 'territory_id', 'kind', 'year', 'month'],
  },
  case_page_version: {
    why: 'the version of what the team’s case page shows (decision 0032): a number, no one’s data',
    blanked: [],
    kept: ['case_id', 'version'],
  },
};

/** Every table whose rows belong to a case, with the column linking them, read from the schema itself (not from the list under test). */
async function caseLinksInSchema(): Promise<Map<string, string>> {
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as table, column_name as column from information_schema.columns where table_schema = current_schema() and column_name = 'case_id'
    union
    select cl.relname, a.attname from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid
      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    where con.contype = 'f' and con.confrelid = 'newcomer_case'::regclass and cl.relname <> 'newcomer_case'
    order by 1`.execute(w.ctx.db);
  return new Map(rows.map((r) => [r.table, r.column]));
}

const caseTablesInSchema = async () => [...(await caseLinksInSchema()).keys()];

const columnsOf = async (table: string) =>
  (
    await sql<{ column: string }>`select column_name as column from information_schema.columns where table_schema = current_schema() and table_name = ${table} order by 1`.execute(w.ctx.db)
  ).rows.map((r) => r.column);

/** After anonymising `caseId`: no row left in an emptied table, and every blanked column of a kept table is empty. */
async function assertNothingPersonalLeft(caseId: string) {
  for (const [table, link] of await caseLinksInSchema()) {
    const kept = KEPT_CASE_TABLES[table];
    if (!kept) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(link)} = ${caseId}`.execute(w.ctx.db);
      assert.equal(rows[0].n, 0, `${table} is emptied`);
      continue;
    }
    for (const column of kept.blanked) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(link)} = ${caseId} and ${sql.ref(column)} is not null`.execute(w.ctx.db);
      assert.equal(rows[0].n, 0, `${table}.${column} is blanked`);
    }
  }
}

test('every table holding a case’s rows is either emptied by the anonymisation or kept on purpose, column by column', async () => {
  const tables = await caseTablesInSchema();
  assert.ok(tables.includes('case_note') && tables.includes('case_adult'), 'the schema is read');
  const emptied = new Set<string>(PERSONAL_CASE_TABLES);
  for (const table of tables) {
    assert.ok(emptied.has(table) || KEPT_CASE_TABLES[table], `${table} holds rows about a case: add it to PERSONAL_CASE_TABLES (privacy.repo.ts) or, with its reason, to KEPT_CASE_TABLES`);
    assert.ok(!(emptied.has(table) && KEPT_CASE_TABLES[table]), `${table} cannot be both emptied and kept`);
  }
  for (const table of [...emptied, ...Object.keys(KEPT_CASE_TABLES)]) assert.ok(tables.includes(table), `${table} is listed but holds no case rows`);
  for (const [table, { blanked, kept }] of Object.entries(KEPT_CASE_TABLES)) {
    assert.deepEqual([...blanked, ...kept].sort(), await columnsOf(table), `every column of ${table} is either blanked or kept on purpose`);
  }
});

const PDF = Buffer.from('%PDF-1.7\nun avis d’imposition\n');
const pdfSource: documents.UploadSource = async (write) => ({ file: await write(Readable.from([PDF])), filename: 'avis.pdf', truncated: false });

/** A case with everything a household's file holds: settled, with messages, notes, a task, a ticked item and a document. */
async function fullCase(caseId: string, people: Record<Who, Actor>) {
  const staff = people.staff;
  await service.assignAdviser(w.ctx, staff, caseId, 'moi');
  await service.qualifyCase(w.ctx, staff, caseId, { comment: 'Appel avec Camille, très motivée' });
  await service.startAccompaniment(w.ctx, staff, caseId);
  await service.startMoving(w.ctx, staff, caseId);
  await service.markSettled(w.ctx, staff, caseId, { settledInsee: '32208', settledOn: '2026-11-20' });
  await service.addCaseNote(w.ctx, staff, caseId, 'Sami cherche un fonds de boulangerie');
  await service.addCaseTask(w.ctx, staff, caseId, { title: 'Rappeler Camille', dueOn: '2026-12-01' });
  const [item] = (await w.ctx.db.selectFrom('case_checklist_item').select('id').where('case_id', '=', caseId).execute());
  await service.setChecklistItem(w.ctx, staff, caseId, item.id, true);
  await service.sendStaffMessage(w.ctx, staff, caseId, 'Bienvenue à Lectoure !');
  await service.sendHouseholdMessage(w.ctx, people.owner, 'Merci beaucoup');
  return documents.uploadMyDocument(w.ctx, people.owner, pdfSource);
}

const signedInAgent = async (email: string) => {
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return agent;
};

describe('the household asks for deletion', () => {
  test('recorded once with its date, the adviser is mailed, audited; only a household with a case can ask', async () => {
    const { caseId, people, staffUser } = await world();
    await service.assignAdviser(w.ctx, people.staff, caseId, 'moi');
    const expected: Record<Who, string> = { visitor: 'unauthenticated', owner: 'ok', otherCandidate: 'ok', member: 'not_found', partner: 'not_found', staff: 'not_found', admin: 'not_found' };
    for (const who of Object.keys(expected) as Who[]) assert.equal(await codeOf(privacy.requestCaseDeletion(w.ctx, people[who])), expected[who], who);
    w.clock.advance(86_400_000);
    const again = await privacy.requestCaseDeletion(w.ctx, people.owner);
    assert.equal(again.already, true);
    assert.equal(again.requestedAt.toISOString(), '2026-11-27T09:00:00.000Z', 'the first date starts the legal month');
    const mails = await w.ctx.db.selectFrom('outbox_mail').select(['to_address', 'subject', 'text_body']).where('subject', 'like', 'Demande de suppression%').execute();
    // The Martin case has an adviser: only she hears of it. The other case has none: the whole team does.
    const aboutMartin = mails.filter((m) => m.text_body.includes(`/admin/accueil/${caseId}`));
    assert.deepEqual(aboutMartin.map((m) => m.to_address), [staffUser.email]);
    assert.equal(mails.length - aboutMartin.length, 2, 'staff and admin for the case nobody follows');
    const toAdviser = aboutMartin;
    assert.ok(toAdviser[0].text_body.includes(`/admin/accueil/${caseId}`));
    assert.ok(!toAdviser[0].text_body.includes('Camille'), 'mails carry a link, not the household’s name');
    const retention = await privacy.caseRetention(w.ctx.db, w.ctx.territory.id, caseId);
    assert.equal(retention?.deletionDeadline.toISOString(), '2026-12-27T09:00:00.000Z');
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', '=', 'newcomer_case.deletion_requested').execute();
    assert.equal(audit.length, 2);
  });

  test('over HTTP: a confirmation step (422 without the box), then the request shows on both sides and on the retention page', async () => {
    const { caseId, staffUser } = await world();
    const household = await signedInAgent('camille.martin@exemple.fr');
    const page = await household.get('/mon-projet');
    assert.match(page.body, /href="\/mon-projet\/suppression"/);
    assert.equal((await household.get('/mon-projet/suppression')).statusCode, 200);
    const refused = await household.post('/mon-projet/suppression', {});
    assert.equal(refused.statusCode, 422);
    assert.ok(refused.body.includes('Cochez la case pour confirmer votre demande.'));
    const ok = await household.post('/mon-projet/suppression', { confirm: '1' });
    assert.equal(ok.statusCode, 303);
    assert.match((await household.get('/mon-projet')).body, /Vous avez demandé la suppression de votre dossier le 27 novembre 2026/);
    const data = JSON.parse((await household.get('/mon-projet/donnees.json')).body);
    assert.equal(data.case.deletionRequestedAt, '2026-11-27T09:00:00.000Z');

    const lea = await signedInAgent(staffUser.email);
    const casePage = await lea.get(`/admin/accueil/${caseId}`);
    assert.match(casePage.body, /a demandé la suppression de son dossier le 27 novembre 2026\. Délai légal de réponse : 27 décembre 2026/);
    const retentionPage = await lea.get('/admin/accueil/conservation');
    assert.equal(retentionPage.statusCode, 200);
    assert.match(retentionPage.body, /n° \d+ – Camille Martin/);
  });
});

describe('the household withdraws its deletion request', () => {
  test('before the team acts, the request is withdrawn, the adviser told and the retention page cleared; after anonymisation nothing is left to withdraw', async () => {
    const { caseId, people, staffUser } = await world();
    await service.assignAdviser(w.ctx, people.staff, caseId, 'moi');
    const household = await signedInAgent('camille.martin@exemple.fr');
    assert.equal((await household.post('/mon-projet/suppression', { confirm: '1' })).statusCode, 303);
    const page = await household.get('/mon-projet');
    assert.match(page.body, /action="\/mon-projet\/suppression\/annuler"/);

    const withdrawn = await household.post('/mon-projet/suppression/annuler', {});
    assert.equal(withdrawn.statusCode, 303);
    assert.equal(withdrawn.headers.location, '/mon-projet#suppression');
    const after = await household.get('/mon-projet');
    assert.match(after.body, /Votre demande de suppression est retirée/);
    assert.match(after.body, /href="\/mon-projet\/suppression"/, 'the household may ask again');
    const row = await w.ctx.db.selectFrom('newcomer_case').select('deletion_requested_at').where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(row.deletion_requested_at, null);
    const told = await w.ctx.db.selectFrom('outbox_mail').select('to_address').where('subject', 'like', 'Demande de suppression retirée%').execute();
    assert.deepEqual(told.map((m) => m.to_address), [staffUser.email]);
    const audit = await w.ctx.db.selectFrom('audit_event').select('actor_id').where('action', '=', 'newcomer_case.deletion_withdrawn').execute();
    assert.deepEqual(audit.map((a) => a.actor_id), [people.owner.userId]);
    const lea = await signedInAgent(staffUser.email);
    assert.doesNotMatch((await lea.get('/admin/accueil/conservation')).body, /Camille Martin/);

    // Nothing to withdraw: a second click, someone without a case, or a case already anonymised.
    assert.deepEqual(await privacy.withdrawCaseDeletion(w.ctx, people.owner), { withdrawn: false });
    assert.equal(await codeOf(privacy.withdrawCaseDeletion(w.ctx, people.member)), 'not_found');
    assert.equal(await codeOf(privacy.withdrawCaseDeletion(w.ctx, people.visitor)), 'unauthenticated');
    await privacy.requestCaseDeletion(w.ctx, people.owner);
    await privacy.anonymiseCase(w.ctx, people.staff, caseId);
    assert.equal(await codeOf(privacy.withdrawCaseDeletion(w.ctx, people.owner)), 'not_found');
  });
});

describe('anonymising a case', () => {
  test('also purges the household’s mails from the outbox and its traces in older log entries, which stay', async () => {
    const { caseId, otherCaseId, people, owner } = await world();
    await fullCase(caseId, people);
    await service.sendStaffMessage(w.ctx, people.staff, otherCaseId, 'Bonjour Dominique');
    const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select('id').where('to_address', '=', to).execute();
    assert.ok((await mailsTo(owner.email)).length > 0, 'the household was mailed');
    const entries = () => w.ctx.db.selectFrom('audit_event').select(['id', 'actor_id', 'data']).where('subject_type', '=', 'newcomer_case').where('subject_id', '=', caseId).execute();
    const before = await entries();
    assert.ok(before.some((e) => e.actor_id === owner.id), 'the household acted on its case');
    assert.ok(before.some((e) => JSON.stringify(e.data).includes('sha256')), 'its document is fingerprinted in the log');

    await privacy.anonymiseCase(w.ctx, people.staff, caseId);
    assert.deepEqual(await mailsTo(owner.email), [], 'no mail to the household is left in the outbox');
    assert.ok((await mailsTo('autre.foyer@exemple.fr')).length > 0, 'other households’ mails stay');
    const after = await entries();
    assert.equal(after.length, before.length + 1, 'the entries stay, plus the anonymisation');
    assert.ok(after.every((e) => e.actor_id !== owner.id), 'the household is no longer named as actor');
    assert.ok(after.every((e) => !JSON.stringify(e.data).includes('sha256')));
    assert.ok(after.some((e) => JSON.stringify(e.data).includes('"from":"household"')), 'what happened is still told');
    const otherEntries = await w.ctx.db.selectFrom('audit_event').select('id').where('subject_id', '=', otherCaseId).execute();
    assert.ok(otherEntries.length > 0, 'other cases’ entries are untouched');
  });

  test('only the team may; everyone else is refused before anything is read', async () => {
    const { caseId, otherCaseId, people } = await world();
    for (const who of OUTSIDERS) assert.equal(await codeOf(privacy.anonymiseCase(w.ctx, people[who], caseId)), who === 'visitor' ? 'unauthenticated' : 'forbidden', who);
    assert.equal(await codeOf(privacy.anonymiseCase(w.ctx, people.staff, caseId)), 'ok');
    assert.equal(await codeOf(privacy.anonymiseCase(w.ctx, people.admin, otherCaseId)), 'ok');
    assert.equal(await codeOf(privacy.anonymiseCase(w.ctx, people.staff, 'pas-un-uuid')), 'not_found');
    for (const who of OUTSIDERS) assert.equal(await codeOf(privacy.getRetentionWork(w.ctx, people[who])), who === 'visitor' ? 'unauthenticated' : 'forbidden', who);
  });

  test('keeps the figures (people, projects, settled commune, stage history) and removes every personal field, row and file', async () => {
    const { caseId, otherCaseId, people, owner } = await world();
    const doc = await fullCase(caseId, people);
    const file = path.join(w.ctx.config.dataDir, 'documents', String(w.ctx.territory.id), doc.id);
    assert.ok(existsSync(file));
    const eventsBefore = await w.ctx.db.selectFrom('case_stage_event').select(['from_stage', 'to_stage', 'at']).where('case_id', '=', caseId).orderBy('id').execute();
    const before = await w.ctx.db.selectFrom('newcomer_case').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    w.clock.advance(3_600_000);

    assert.deepEqual(await privacy.anonymiseCase(w.ctx, people.staff, caseId), { anonymised: true });

    const after = await w.ctx.db.selectFrom('newcomer_case').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    // Every column, one by one: what stays for the figures, what is blanked.
    assert.deepEqual(after, {
      id: caseId,
      number: before.number,
      territory_id: before.territory_id,
      contact_user_id: null,
      contact_name: ANONYMISED_NAME,
      phone: null,
      current_place: null,
      timing: before.timing,
      needs: [],
      heard_from: before.heard_from,
      target_text: null,
      project_text: null,
      consent_contact_at: before.consent_contact_at,
      consent_share: false,
      consent_share_at: null,
      stage: 'installe',
      paused_from: null,
      stage_changed_at: before.stage_changed_at,
      adviser_id: null,
      settled_insee: '32208',
      settled_on: before.settled_on,
      drop_reason_id: null,
      drop_comment: null,
      created_at: before.created_at,
      updated_at: w.clock.now(),
      deletion_requested_at: null,
      demo: false,
      anonymised_at: w.clock.now(),
    });
    assert.notEqual(before.phone, null);
    assert.notEqual(before.target_text, null);

    const adults = await w.ctx.db.selectFrom('case_adult').select(['position', 'first_name', 'project', 'profession', 'sector']).where('case_id', '=', caseId).orderBy('position').execute();
    assert.deepEqual(adults, [
      { position: 1, first_name: null, project: 'telework', profession: null, sector: null },
      { position: 2, first_name: null, project: 'takeover', profession: null, sector: null },
    ]);
    const children = await w.ctx.db.selectFrom('case_child').select(['age', 'schooling', 'needs']).where('case_id', '=', caseId).orderBy('position').execute();
    assert.deepEqual(children, [
      { age: 8, schooling: 'elementaire', needs: null },
      { age: 3, schooling: 'maternelle', needs: null },
    ]);
    const events = await w.ctx.db.selectFrom('case_stage_event').select(['from_stage', 'to_stage', 'at', 'by_user_id', 'comment']).where('case_id', '=', caseId).orderBy('id').execute();
    assert.deepEqual(events.map(({ from_stage, to_stage, at }) => ({ from_stage, to_stage, at })), eventsBefore);
    assert.ok(events.every((e) => e.by_user_id === null && e.comment === null));
    await assertNothingPersonalLeft(caseId);
    assert.equal(existsSync(file), false, 'the document’s file is removed');

    // The other household is untouched.
    const other = await w.ctx.db.selectFrom('newcomer_case').select(['contact_name', 'anonymised_at']).where('id', '=', otherCaseId).executeTakeFirstOrThrow();
    assert.deepEqual(other, { contact_name: 'Dominique Autre', anonymised_at: null });
    // The account stays, without the candidate role; its page shows no case any more.
    const roles = await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', owner.id).execute();
    assert.deepEqual(roles, []);
    assert.ok(await w.ctx.db.selectFrom('user_account').select('id').where('id', '=', owner.id).executeTakeFirst());
    assert.equal(await service.getMyCase(w.ctx, actorFor(w.ctx, owner, [])), null);
    // The team's list and board hide it; its page is gone; a second anonymisation changes nothing.
    const list = await service.listCasesForStaff(w.ctx, people.staff, { page: 1 });
    assert.deepEqual(list.rows.map((r) => r.id), [otherCaseId]);
    const board = await service.getBoard(w.ctx, people.staff, { page: 1 });
    assert.ok(!board.rows.some((r) => r.id === caseId));
    assert.equal(await codeOf(service.getCaseFile(w.ctx, people.staff, caseId)), 'not_found');
    assert.equal(await codeOf(service.addCaseNote(w.ctx, people.staff, caseId, 'encore')), 'not_found');
    assert.deepEqual(await privacy.anonymiseCase(w.ctx, people.staff, caseId), { anonymised: false });
    const audit = await w.ctx.db.selectFrom('audit_event').select(['actor_id', 'data']).where('action', '=', 'newcomer_case.anonymised').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, people.staff.userId);
  });

  test('over HTTP: the case page asks for confirmation (422), then the case leaves the team’s pages', async () => {
    const { caseId, staffUser } = await world();
    const lea = await signedInAgent(staffUser.email);
    await lea.get(`/admin/accueil/${caseId}`);
    const refused = await lea.post(`/admin/accueil/${caseId}/anonymiser`, {});
    assert.equal(refused.statusCode, 422);
    assert.ok(refused.body.includes('Cochez la case pour confirmer l’anonymisation.'));
    const ok = await lea.post(`/admin/accueil/${caseId}/anonymiser`, { confirmAnonymise: '1' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/admin/accueil/conservation');
    assert.equal((await lea.get(`/admin/accueil/${caseId}`)).statusCode, 404);
    assert.ok(!(await lea.get('/admin/accueil')).body.includes('Camille Martin'));
  });
});

describe('erasing a person', () => {
  test('anonymises the case whose contact they are, with its files, audited as the system; other cases stay; a second erasure finds nothing', async () => {
    const { caseId, otherCaseId, people, owner } = await world();
    const doc = await fullCase(caseId, people);
    const file = path.join(w.ctx.config.dataDir, 'documents', String(w.ctx.territory.id), doc.id);

    const erased = await erasePersonalData(w.ctx, owner.id);
    assert.equal(erased.newcomers, 1);

    const after = await w.ctx.db.selectFrom('newcomer_case').select(['contact_user_id', 'contact_name', 'anonymised_at', 'settled_insee']).where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.deepEqual(after, { contact_user_id: null, contact_name: ANONYMISED_NAME, anonymised_at: w.clock.now(), settled_insee: '32208' });
    await assertNothingPersonalLeft(caseId);
    assert.equal(existsSync(file), false, 'the document’s file is removed');
    const other = await w.ctx.db.selectFrom('newcomer_case').select('anonymised_at').where('id', '=', otherCaseId).executeTakeFirstOrThrow();
    assert.equal(other.anonymised_at, null);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['actor_id', 'subject_id', 'data']).where('action', '=', 'newcomer_case.anonymised').execute();
    assert.deepEqual(audit.map((a) => [a.actor_id, a.subject_id, (a.data as { reason: string }).reason]), [[null, caseId, 'erasure']]);

    assert.equal((await erasePersonalData(w.ctx, owner.id)).newcomers, 0);
  });
});

describe('retention dates and the daily job', () => {
  test('a dropped case is kept two years after the drop; other stages three years after the last activity', async () => {
    const { caseId, otherCaseId, people } = await world();
    const at = async (id: string) => (await privacy.caseRetention(w.ctx.db, w.ctx.territory.id, id))!;
    assert.equal((await at(caseId)).retentionUntil.toISOString(), '2029-11-27T09:00:00.000Z');
    assert.equal((await at(caseId)).rule, 'other');
    // A message months later pushes the date.
    w.clock.set('2027-03-01T10:00:00Z');
    await service.sendHouseholdMessage(w.ctx, people.owner, 'Nous avons trouvé une maison');
    assert.equal((await at(caseId)).retentionUntil.toISOString(), '2030-03-01T10:00:00.000Z');
    // Dropped: from the drop, whatever happens later.
    const [reason] = await service.listDropReasonsForStaff(w.ctx, people.staff);
    w.clock.set('2027-06-15T08:00:00Z');
    await service.dropCase(w.ctx, people.staff, otherCaseId, { reasonId: reason.id });
    w.clock.set('2027-07-01T08:00:00Z');
    await service.sendHouseholdMessage(w.ctx, people.otherCandidate, 'Finalement nous restons en ville');
    const dropped = await at(otherCaseId);
    assert.equal(dropped.rule, 'dropped');
    assert.equal(dropped.months, RETENTION_MONTHS.dropped);
    assert.equal(dropped.retentionUntil.toISOString(), '2029-06-15T08:00:00.000Z');
  });

  test('the daily maintenance anonymises cases past their date, as the system, once', async () => {
    const { caseId, otherCaseId, people } = await world();
    const [reason] = await service.listDropReasonsForStaff(w.ctx, people.staff);
    await service.dropCase(w.ctx, people.staff, otherCaseId, { reasonId: reason.id });
    // Two years and a day later: the dropped case is due, the Martin case (three years) is not.
    w.clock.set('2028-11-28T09:00:00Z');
    const page = await privacy.getRetentionWork(w.ctx, people.staff);
    assert.deepEqual(page.expired.map((r) => r.id), [otherCaseId]);

    await schedulePurge(w.ctx);
    await new JobWorker(w.ctx, jobHandlers).runOnce();
    const rows = await w.ctx.db.selectFrom('newcomer_case').select(['id', 'anonymised_at']).orderBy('number').execute();
    assert.deepEqual(rows.map((r) => [r.id, r.anonymised_at?.toISOString() ?? null]), [
      [caseId, null],
      [otherCaseId, '2028-11-28T09:00:00.000Z'],
    ]);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['actor_id', 'data']).where('action', '=', 'newcomer_case.anonymised').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, null, 'the system acted');
    assert.equal((audit[0].data as { reason: string }).reason, 'retention');

    // Running it again changes nothing.
    assert.equal(await privacy.anonymiseCasesPastRetention(w.ctx), 0);
    assert.equal((await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'newcomer_case.anonymised').execute()).length, 1);
    // The Martin household wrote in March 2027: three years after its creation it is not due yet, three years after
    // that message it is.
    w.clock.set('2027-03-01T10:00:00Z');
    await service.sendHouseholdMessage(w.ctx, people.owner, 'Nous avons trouvé une maison');
    w.clock.set('2029-11-28T09:00:00Z');
    assert.equal(await privacy.anonymiseCasesPastRetention(w.ctx), 0);
    w.clock.set('2030-03-01T10:00:01Z');
    assert.equal(await privacy.anonymiseCasesPastRetention(w.ctx), 1);
    assert.equal(await privacy.anonymiseCasesPastRetention(w.ctx), 0);
  });
});
