import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import writeXlsxFile from 'write-excel-file/node';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { allRowCounts, failWritesTo } from '../../../../tests/support/db-faults.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { parseCsv } from '../../../shared/csv.js';
import { AppError } from '../../../shared/app-error.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { detectSource, guessMapping, readDay, splitFullName } from './imports.formats.js';
import { applyMemberImport, chooseColumns, getImportReview, uploadMemberList, type LineReport } from './imports.service.js';

const w = useTestWorld();

async function staff(roles: ('staff' | 'admin')[] = ['staff']) {
  const user = await createUser(w.ctx, { roles, email: `${roles.join('-')}@exemple.fr` });
  return actorFor(w.ctx, user, roles);
}

const csv = (rows: string[][], sep = ';', bom = true) => Buffer.from((bom ? '\uFEFF' : '') + rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(sep)).join('\r\n') + '\r\n', 'utf8');
const file = (name: string, bytes: Buffer) => ({ name, bytes, truncated: false });

async function upload(actor: ReturnType<typeof actorFor>, name: string, bytes: Buffer) {
  return uploadMemberList(w.ctx, actor, file(name, bytes), 'transfer');
}

async function review(actor: ReturnType<typeof actorFor>, id: string) {
  const r = await getImportReview(w.ctx, actor, id);
  assert.equal(r.state, 'review');
  return r as Extract<typeof r, { state: 'review' }>;
}

const outcomes = (lines: LineReport[]) => lines.map((l) => [l.line, l.outcome]);
const reasonsOf = (lines: LineReport[], line: number) => lines.find((l) => l.line === line)!.reasons.map((r) => r.key.replace('members.import.reason.', ''));

async function counts() {
  const c = await allRowCounts(w.ctx.db);
  return { member: c.member, user_account: c.user_account, member_payment: c.member_payment, membership_period: c.membership_period, role_grant: c.role_grant, outbox_mail: c.outbox_mail, member_counter: c.member_counter, audit_event: c.audit_event };
}

const HELLOASSO = [
  ['Référence commande', 'Date de la commande', 'Statut de la commande', 'Nom adhérent', 'Prénom adhérent', 'Nom payeur', 'Prénom payeur', 'Email payeur', 'Tarif', 'Montant tarif', 'Moyen de paiement', 'Ville'],
  ['1001', '2026-03-14 10:12:00', 'Validé', 'Abadie', 'Lucie', 'Abadie', 'Lucie', 'Lucie.Abadie@exemple.fr', 'Individuel', '30,00', 'Carte bancaire', 'Auch'],
  ['1002', '2026-04-02 18:40:00', 'Validé', 'Bordes', 'Marc, dit « Marco »', 'Bordes', 'Marc', 'marc.bordes@exemple.fr', 'Couple', '45,00', 'Carte bancaire', 'LECTOURE'],
];

describe('reading files', () => {
  test('CSV with or without byte-order mark, ; or , and quoted fields holding separators, quotes and line breaks', () => {
    assert.deepEqual(parseCsv('\uFEFFa;b\r\n"x;1";"dit ""y"""\r\n'), [['a', 'b'], ['x;1', 'dit "y"']]);
    assert.deepEqual(parseCsv('a,b,c\n1,"deux\nlignes",3\n'), [['a', 'b', 'c'], ['1', 'deux\nlignes', '3']]);
    assert.deepEqual(parseCsv('a;b\n\n1;2'), [['a', 'b'], [''], ['1', '2']], 'a blank line keeps its place, so line numbers match the spreadsheet');
  });

  test('days in JJ/MM/AAAA, ISO (with a time) and as an XLSX cell; an impossible day is told apart from a non-date', () => {
    assert.deepEqual(readDay('14/03/2026'), { day: '2026-03-14' });
    assert.deepEqual(readDay('4/3/2026 10:12'), { day: '2026-03-04' });
    assert.deepEqual(readDay('2026-03-14T10:12:00Z'), { day: '2026-03-14' });
    assert.deepEqual(readDay('31/02/2026'), { problem: 'impossible' });
    assert.deepEqual(readDay('2026-13-01'), { problem: 'impossible' });
    assert.deepEqual(readDay('mars 2026'), { problem: 'invalid' });
  });

  test('the exports of HelloAsso, Paheko and Galette are recognised by their column names', () => {
    assert.equal(detectSource(HELLOASSO[0]), 'helloasso');
    assert.equal(detectSource(['Numéro de membre', 'Nom & prénom', 'Adresse E-Mail', 'Code postal', 'Ville', 'Date d’inscription']), 'paheko');
    assert.equal(detectSource(['id_adh', 'nom_adh', 'prenom_adh', 'email_adh', 'ville_adh']), 'galette');
    assert.equal(detectSource(['Courriel', 'Qui', 'Où']), 'other');
    const m = guessMapping(HELLOASSO[0]);
    assert.equal(m.email, 7, 'the payer’s e-mail when the adherent has none');
    assert.equal(m.firstName, 4, 'the adherent’s first name before the payer’s');
    assert.equal(m.plan, 8);
    assert.equal(m.amount, 9);
    assert.deepEqual(splitFullName('DUPONT Marie'), { lastName: 'DUPONT', firstName: 'Marie' });
    assert.deepEqual(splitFullName('Dupont Marie-Claire'), { lastName: 'Dupont', firstName: 'Marie-Claire' });
  });
});

describe('importing', () => {
  test('a HelloAsso export: members created with accounts to activate and dues with receipts; the same file again changes nothing', async () => {
    const team = await staff();
    await makePlan(w.ctx, { name: 'Individuel' });
    await makePlan(w.ctx, { name: 'Couple', priceCents: 4500 });
    const bytes = csv(HELLOASSO, ',');
    const up = await upload(team, 'export-helloasso.csv', bytes);
    assert.equal(up.needsMapping, false);
    const r = await review(team, up.id);
    assert.equal(r.source, 'helloasso');
    assert.deepEqual(outcomes(r.lines), [[2, 'create'], [3, 'create']]);
    assert.deepEqual(r.lines[0].dues && { ...r.lines[0].dues, reference: '' }, { paidOn: '2026-03-14', amountCents: 3000, method: 'online', reference: '' });

    const summary = await applyMemberImport(w.ctx, team, up.id, { excludeRejected: false });
    assert.deepEqual(summary, { lines: 2, create: 2, update: 0, unchanged: 0, rejected: 0, dues: 2 });
    const members = await w.ctx.db
      .selectFrom('member as m')
      .innerJoin('user_account as u', 'u.id', 'm.user_id')
      .select(['u.email', 'u.password_hash', 'm.state', 'm.first_name', 'm.insee'])
      .orderBy('m.number')
      .execute();
    assert.deepEqual(
      members.map((m) => [m.email, m.password_hash, m.state, m.first_name, m.insee]),
      [
        ['lucie.abadie@exemple.fr', null, 'approved', 'Lucie', '32013'],
        ['marc.bordes@exemple.fr', null, 'approved', 'Marc, dit « Marco »', '32208'],
      ],
    );
    const payments = await w.ctx.db.selectFrom('member_payment').select(['receipt_year', 'receipt_seq', 'method', 'provider', 'amount_cents', 'import_reference']).orderBy('receipt_seq').execute();
    assert.deepEqual(payments.map((p) => [`${p.receipt_year}-${p.receipt_seq}`, p.method, p.provider, p.amount_cents]), [['2026-1', 'online', 'HelloAsso', 3000], ['2026-2', 'online', 'HelloAsso', 4500]]);
    assert.ok(payments.every((p) => /^imp-[0-9a-f]{32}$/.test(p.import_reference!)));
    const roles = await w.ctx.db.selectFrom('role_grant').select('role').where('role', '=', 'member').execute();
    assert.equal(roles.length, 2);
    const mails = await w.ctx.db.selectFrom('outbox_mail').select(['to_address', 'text_body']).where('to_address', 'in', ['lucie.abadie@exemple.fr', 'marc.bordes@exemple.fr']).execute();
    assert.equal(mails.length, 2, 'one mail each, no receipt mail');
    assert.ok(mails.every((m) => m.text_body.includes('/compte/activer?jeton=')), 'each new account gets its activation link');
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('action', '=', 'member.import_applied').execute();
    assert.equal(audit.length, 1);

    assert.equal(await codeOf(applyMemberImport(w.ctx, team, up.id, { excludeRejected: false })), 'conflict', 'an upload is applied once');
    const before = await counts();
    const again = await upload(team, 'export-helloasso.csv', bytes);
    const r2 = await review(team, again.id);
    assert.deepEqual(outcomes(r2.lines), [[2, 'unchanged'], [3, 'unchanged']]);
    const s2 = await applyMemberImport(w.ctx, team, again.id, { excludeRejected: false });
    assert.deepEqual({ ...s2 }, { lines: 2, create: 0, update: 0, unchanged: 2, rejected: 0, dues: 0 });
    const after = await counts();
    assert.deepEqual({ ...after, audit_event: before.audit_event }, before, 'no member, account, payment, receipt number or mail more');
  });

  test('a Paheko export (; and no byte-order mark, name and first name in one column, JJ/MM/AAAA) and a Galette XLSX (date cells, numbers)', async () => {
    const team = await staff(['admin']);
    await makePlan(w.ctx, { name: 'Individuel', priceCents: 2500 });
    const paheko = csv(
      [
        ['Numéro de membre', 'Nom & prénom', 'Adresse E-Mail', 'Code postal', 'Ville', 'Téléphone', 'Date d’inscription', 'Formule'],
        ['12', 'DUPUY Anne', 'anne.dupuy@exemple.fr', '32700', 'Lectoure', '06 12 34 56 78', '05/01/2026', 'individuel'],
      ],
      ';',
      false,
    );
    const p = await upload(team, 'membres.csv', paheko);
    const pr = await review(team, p.id);
    assert.equal(pr.source, 'paheko');
    assert.deepEqual(outcomes(pr.lines), [[2, 'create']]);
    assert.deepEqual(pr.lines[0].member, { email: 'anne.dupuy@exemple.fr', firstName: 'Anne', lastName: 'DUPUY', phone: '06 12 34 56 78', activity: null, insee: '32208', planId: pr.lines[0].member!.planId });
    assert.deepEqual(pr.lines[0].dues && [pr.lines[0].dues.paidOn, pr.lines[0].dues.amountCents, pr.lines[0].dues.method], ['2026-01-05', 2500, 'transfer'], 'no amount: the plan’s price');

    const xlsx = await writeXlsxFile([
      ['id_adh', 'nom_adh', 'prenom_adh', 'email_adh', 'ville_adh', 'prof_adh', 'date_crea_adh', 'montant_cotis', 'libelle_type_cotis'].map((value) => ({ value })),
      [{ value: 7 }, { value: 'Castaing' }, { value: 'Paul' }, { value: 'paul.castaing@exemple.fr' }, { value: 'Condom' }, { value: 'Menuisier' }, { value: new Date(Date.UTC(2026, 1, 20)), format: 'dd/mm/yyyy' }, { value: 30 }, { value: 'Individuel' }],
    ]).toBuffer();
    const g = await upload(team, 'galette.xlsx', xlsx);
    const gr = await review(team, g.id);
    assert.equal(gr.source, 'galette');
    assert.deepEqual(outcomes(gr.lines), [[2, 'create']]);
    assert.deepEqual(gr.lines[0].dues && [gr.lines[0].dues.paidOn, gr.lines[0].dues.amountCents], ['2026-02-20', 3000]);
    assert.equal(gr.lines[0].member!.activity, 'Menuisier');
  });

  test('any other file goes through the mapping screen; the e-mail and the name columns are required', async () => {
    const team = await staff();
    await makePlan(w.ctx, { name: 'Individuel' });
    const bytes = csv([
      ['Qui', 'Prénom usuel', 'Courrier électronique', 'Village', 'Payé le', 'Adhésion'],
      ['Lafitte', 'Inès', 'ines@exemple.fr', '32013', '2026-05-01', 'Platine'],
    ]);
    const up = await upload(team, 'liste.csv', bytes);
    assert.equal(up.needsMapping, true);
    assert.equal((await getImportReview(w.ctx, team, up.id)).state, 'mapping');
    const refused = await chooseColumns(w.ctx, team, up.id, { lastName: 0, firstName: 0 }, 'cheque').catch((e: AppError) => e.fields);
    assert.deepEqual(refused, { lastName: 'members.import.columnTwice', email: 'members.import.emailColumnRequired' });
    await chooseColumns(w.ctx, team, up.id, { lastName: 0, firstName: 1, email: 2, commune: 3, paidOn: 4 }, 'cheque');
    const r = await review(team, up.id);
    assert.deepEqual(outcomes(r.lines), [[2, 'rejected']]);
    assert.deepEqual(reasonsOf(r.lines, 2), ['planMissing'], 'a new member needs a plan');
    await chooseColumns(w.ctx, team, up.id, { lastName: 0, firstName: 1, email: 2, commune: 3, paidOn: 4, plan: 5 }, 'cheque');
    assert.deepEqual(reasonsOf((await review(team, up.id)).lines, 2), ['planUnknown']);
  });

  test('bad lines are rejected with their reason; the apply is refused until they are left out, and then imports only the others', async () => {
    const team = await staff();
    await makePlan(w.ctx, { name: 'Individuel' });
    const head = ['Email', 'Prénom', 'Nom', 'Commune', 'Formule', 'Date de paiement', 'Montant'];
    const bytes = csv([
      head,
      ['ok@exemple.fr', 'Léa', 'Bon', 'Auch', 'Individuel', '14/03/2026', '30'],
      ['double@exemple.fr', 'Jean', 'Un', 'Auch', 'Individuel', '14/03/2026', '30'],
      ['DOUBLE@exemple.fr', 'Jean', 'Deux', 'Auch', 'Individuel', '14/03/2026', '30'],
      ['ville@exemple.fr', 'Zoé', 'Ailleurs', 'Toulouse', 'Individuel', '14/03/2026', '30'],
      ['date@exemple.fr', 'Max', 'Date', 'Lectoure', 'Individuel', '31/02/2026', '30'],
      ['illisible@exemple.fr', 'Max', 'Mots', 'Lectoure', 'Individuel', 'hier', '30'],
      ['formule@exemple.fr', 'Ana', 'Plan', 'Condom', 'Platine', '2026-03-14', '30'],
      ['', 'Sans', 'Adresse', 'Condom', 'Individuel', '2026-03-14', '30'],
      ['futur@exemple.fr', 'Tom', 'Futur', 'Condom', 'Individuel', '2027-01-01', '30'],
      ['montant@exemple.fr', 'Eva', 'Somme', 'condom', 'Individuel', '2026-03-14', 'trente'],
      ['accent@exemple.fr', 'Eve', 'Accent', 'LÉCTOURE', 'INDIVIDUEL', '2026-03-14', '30,50'],
    ]);
    const up = await upload(team, 'liste.csv', bytes);
    const r = await review(team, up.id);
    assert.deepEqual(outcomes(r.lines), [
      [2, 'create'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'rejected'],
      [6, 'rejected'],
      [7, 'rejected'],
      [8, 'rejected'],
      [9, 'rejected'],
      [10, 'rejected'],
      [11, 'rejected'],
      [12, 'create'],
    ]);
    assert.deepEqual(reasonsOf(r.lines, 3), ['emailTwice']);
    assert.equal(r.lines[1].reasons[0].params!.lines, '4');
    assert.deepEqual(reasonsOf(r.lines, 5), ['communeUnknown']);
    assert.deepEqual(reasonsOf(r.lines, 6), ['dateImpossible']);
    assert.deepEqual(reasonsOf(r.lines, 7), ['dateInvalid']);
    assert.deepEqual(reasonsOf(r.lines, 8), ['planUnknown']);
    assert.deepEqual(reasonsOf(r.lines, 9), ['emailMissing']);
    assert.deepEqual(reasonsOf(r.lines, 10), ['dateFuture']);
    assert.deepEqual(reasonsOf(r.lines, 11), ['amountInvalid']);

    const before = await counts();
    const refused = await applyMemberImport(w.ctx, team, up.id, { excludeRejected: false }).catch((e: AppError) => e);
    assert.ok(refused instanceof AppError && refused.code === 'invalid' && refused.fields.excludeRejected);
    assert.deepEqual(await counts(), before, 'nothing written');
    const s = await applyMemberImport(w.ctx, team, up.id, { excludeRejected: true });
    assert.deepEqual({ ...s }, { lines: 11, create: 2, update: 0, unchanged: 0, rejected: 9, dues: 2 });
    const names = await w.ctx.db.selectFrom('member').select('last_name').orderBy('number').execute();
    assert.deepEqual(names.map((n) => n.last_name), ['Bon', 'Accent']);
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'member.import_applied').executeTakeFirstOrThrow();
    assert.deepEqual((audit.data as { excludedLines: number[] }).excludedLines, [3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('a known member is updated (only what the file gives), dues not recorded twice, and a pending application is left to the team', async () => {
    const team = await staff();
    const plan = await makePlan(w.ctx, { name: 'Individuel', needsApproval: true });
    await approvedMember(w.ctx, team, plan, { email: 'connue@exemple.fr', firstName: 'Rose', lastName: 'Connue', activity: 'Graphiste' }, '2026-03-14');
    const bytes = csv([
      ['Email', 'Prénom', 'Nom', 'Activité', 'Date de paiement', 'Montant'],
      ['connue@exemple.fr', 'Rose', 'Connue', 'Illustratrice', '2026-03-14', '30'],
    ]);
    const up = await upload(team, 'maj.csv', bytes);
    const r = await review(team, up.id);
    assert.deepEqual(outcomes(r.lines), [[2, 'update']]);
    assert.deepEqual(r.lines[0].changes, ['activity']);
    assert.equal(r.lines[0].dues, null, 'the cheque recorded by the team on that day for that amount is the same dues');
    await applyMemberImport(w.ctx, team, up.id, { excludeRejected: false });
    const m = await w.ctx.db.selectFrom('member').select(['activity', 'first_name']).executeTakeFirstOrThrow();
    assert.deepEqual(m, { activity: 'Illustratrice', first_name: 'Rose' });
    assert.equal((await w.ctx.db.selectFrom('member_payment').select('id').execute()).length, 1);
  });

  test('the apply is all or nothing: a failure partway leaves no member, account, payment or receipt number', async () => {
    const team = await staff();
    await makePlan(w.ctx, { name: 'Individuel' });
    const rows = [['Email', 'Prénom', 'Nom', 'Formule', 'Date de paiement']];
    for (let i = 0; i < 5; i++) rows.push([`p${i}@exemple.fr`, 'Prénom', `Nom${i}`, 'Individuel', '2026-03-14']);
    const up = await upload(team, 'liste.csv', csv(rows));
    const before = await allRowCounts(w.ctx.db);
    const restore = await failWritesTo(w.ctx.db, 'membership_period');
    try {
      await assert.rejects(applyMemberImport(w.ctx, team, up.id, { excludeRejected: false }));
    } finally {
      await restore();
    }
    assert.deepEqual(await allRowCounts(w.ctx.db), before);
    assert.equal((await getImportReview(w.ctx, team, up.id)).state, 'review', 'the upload can be applied once the fault is gone');
    assert.equal((await applyMemberImport(w.ctx, team, up.id, { excludeRejected: false })).create, 5);
  });

  test('a list longer than one batch: member numbers and receipt numbers follow each other without a gap, each member paid up, and the same file again changes nothing', async () => {
    const team = await staff();
    await makePlan(w.ctx, { name: 'Individuel' });
    const rows = [['Email', 'Prénom', 'Nom', 'Formule', 'Date de paiement']];
    for (let i = 0; i < 620; i++) rows.push([`n${i}@exemple.fr`, 'Prénom', `Nom${i}`, 'Individuel', i % 2 ? '2026-03-14' : '14/03/2026']);
    // A member already there, and a receipt already numbered: the batch continues both sequences.
    rows.push(['connue@exemple.fr', 'Rose', 'Connue', 'Individuel', '2026-04-01']);
    const planId = (await w.ctx.db.selectFrom('member_plan').select('id').executeTakeFirstOrThrow()).id;
    await approvedMember(w.ctx, team, planId, { email: 'connue@exemple.fr', firstName: 'Rose', lastName: 'Connue' }, '2026-03-14');
    const up = await upload(team, 'longue.csv', csv(rows));
    const s = await applyMemberImport(w.ctx, team, up.id, { excludeRejected: false });
    assert.deepEqual({ ...s }, { lines: 621, create: 620, update: 1, unchanged: 0, rejected: 0, dues: 621 });
    const numbers = (await w.ctx.db.selectFrom('member').select('number').orderBy('number').execute()).map((m) => m.number);
    assert.deepEqual(numbers, Array.from({ length: 621 }, (_, i) => i + 1));
    const receipts = (await w.ctx.db.selectFrom('member_payment').select('receipt_seq').orderBy('receipt_seq').execute()).map((p) => p.receipt_seq);
    assert.deepEqual(receipts, Array.from({ length: 622 }, (_, i) => i + 1));
    const unpaid = await w.ctx.db.selectFrom('member').select('id').where('valid_until', 'is', null).execute();
    assert.equal(unpaid.length, 0, 'every member has a period');
    const roles = await w.ctx.db.selectFrom('role_grant').select('user_id').where('role', '=', 'member').execute();
    assert.equal(roles.length, 621);
    const recorded = await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'member.payment_recorded').execute();
    assert.equal(recorded.length, 622, 'one entry per payment, as when recorded by hand');
    const before = await counts();
    const again = await upload(team, 'longue.csv', csv(rows));
    const s2 = await applyMemberImport(w.ctx, team, again.id, { excludeRejected: false });
    assert.deepEqual({ ...s2 }, { lines: 621, create: 0, update: 0, unchanged: 621, rejected: 0, dues: 0 });
    assert.deepEqual({ ...(await counts()), audit_event: before.audit_event }, before, 'only the import’s own audit entry is new');
  });

  test('only the team imports: members, candidates and visitors are refused at every step', async () => {
    const team = await staff();
    await makePlan(w.ctx, { name: 'Individuel' });
    const up = await upload(team, 'liste.csv', csv([['Email', 'Prénom', 'Nom', 'Formule'], ['a@exemple.fr', 'A', 'B', 'Individuel']]));
    const admin = await staff(['admin']);
    assert.equal((await getImportReview(w.ctx, admin, up.id)).state, 'review', 'an admin of the territory may');
    for (const [actor, code] of [
      [actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']), 'forbidden'],
      [actorFor(w.ctx, await createUser(w.ctx, { roles: ['candidate'] }), ['candidate']), 'forbidden'],
      [actorFor(w.ctx, null), 'unauthenticated'],
    ] as const) {
      assert.equal(await codeOf(upload(actor, 'liste.csv', csv([['Email'], ['x@exemple.fr']]))), code);
      assert.equal(await codeOf(getImportReview(w.ctx, actor, up.id)), code);
      assert.equal(await codeOf(chooseColumns(w.ctx, actor, up.id, { email: 0, fullName: 1 }, 'cash')), code);
      assert.equal(await codeOf(applyMemberImport(w.ctx, actor, up.id, { excludeRejected: true })), code);
    }
    assert.equal((await w.ctx.db.selectFrom('member').select('id').execute()).length, 0);
  });

  test('a broken, foreign, empty, oversize or NUL-holding file is refused with a French reason', async () => {
    const team = await staff();
    const reason = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.fields.file);
    const xlsx = await writeXlsxFile([[{ value: 'Email' }], [{ value: 'a@exemple.fr' }]]).toBuffer();
    assert.equal(await reason(upload(team, 'liste.xlsx', xlsx.subarray(0, 200))), 'members.import.brokenXlsx');
    assert.equal(await reason(upload(team, 'liste.xlsx', Buffer.from('Email;Nom\n'))), 'members.import.brokenXlsx');
    assert.equal(await reason(upload(team, 'liste.pdf', Buffer.from('%PDF-1.4'))), 'members.import.badType');
    assert.equal(await reason(upload(team, 'liste.csv', xlsx)), 'members.import.badType');
    assert.equal(await reason(upload(team, 'liste.csv', Buffer.from('Email;Nom\na@b.fr;A\u0000B\n'))), 'members.import.nulByte');
    assert.equal(await reason(upload(team, 'liste.csv', Buffer.alloc(0))), 'members.import.empty');
    assert.equal(await reason(upload(team, 'liste.csv', Buffer.from('Email;Nom\n'))), 'members.import.noLines');
    assert.equal(await reason(uploadMemberList(w.ctx, team, { name: 'liste.csv', bytes: Buffer.from('Email\n'), truncated: true }, 'cash')), 'members.import.tooLarge');
    assert.equal(await reason(uploadMemberList(w.ctx, team, null, 'cash')), 'members.import.fileMissing');
    const latin1 = Buffer.from('Email;Prénom;Nom\na@exemple.fr;Hélène;Dupré\n', 'latin1');
    const up = await upload(team, 'excel.csv', latin1);
    const draft = await w.ctx.db.selectFrom('member_import').select(['headers', 'rows']).where('id', '=', up.id).executeTakeFirstOrThrow();
    assert.deepEqual([draft.headers, draft.rows], [['Email', 'Prénom', 'Nom'], [['a@exemple.fr', 'Hélène', 'Dupré']]], 'a Windows-1252 file from French Excel reads right');
  });
});

/** A multipart body as a browser sends the upload form: the token first, then the method, then the file. */
function multipart(fields: Record<string, string>, name: string, bytes: Buffer) {
  const boundary = '----formulaire7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('over HTTP', () => {
  async function post(agent: Agent, name: string, bytes: Buffer, csrf?: string) {
    const page = await agent.get('/admin/adherents/import');
    const token = csrf ?? /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const { payload, contentType } = multipart({ _csrf: token, defaultMethod: 'cheque' }, name, bytes);
    return w.app.inject({ method: 'POST', url: '/admin/adherents/import', payload, headers: { 'content-type': contentType, cookie: `${agentCookies(agent)}` } });
  }
  const agentCookies = (agent: Agent) => ['sid', 'csrf'].map((n) => (agent.cookie(n) ? `${n}=${agent.cookie(n)}` : '')).filter(Boolean).join('; ');

  test('upload, dry run, refused apply, apply without the rejected lines; broken uploads answer in French, never 500', async () => {
    const user = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
    await makePlan(w.ctx, { name: 'Individuel' });
    const agent = new Agent(w.app);
    await agent.login(user.email, user.password);
    const list = await agent.get('/admin/adherents');
    assert.match(list.body, /href="\/admin\/adherents\/import"/);
    const form = await agent.get('/admin/adherents/import');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);

    const res = await post(agent, 'liste.csv', csv([['Email', 'Prénom', 'Nom', 'Formule'], ['a@exemple.fr', 'Aline', 'Arrieu', 'Individuel'], ['b@exemple.fr', 'Bob', 'Bop', 'Or']]));
    assert.equal(res.statusCode, 303, res.body);
    const url = String(res.headers.location);
    const page = await agent.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /formule inconnue : « Or »/);
    const apply = await agent.post(`${url}/appliquer`, {});
    assert.equal(apply.statusCode, 422);
    assert.match(apply.body, /Des lignes sont refusées/);
    const done = await agent.post(`${url}/appliquer`, { excludeRejected: '1' });
    assert.equal(done.statusCode, 303);
    const applied = await agent.get(url);
    assert.match(applied.body, /Import appliqué : 1 adhérent\(s\) créé\(s\)/);
    assert.equal((await agent.post(`${url}/appliquer`, { excludeRejected: '1' })).statusCode, 409);

    const broken = await post(agent, 'liste.xlsx', Buffer.from('PK\u0003\u0004nimporte quoi'));
    assert.equal(broken.statusCode, 422);
    assert.match(broken.body, /Ce fichier Excel est illisible/);
    const pdf = await post(agent, 'liste.pdf', Buffer.from('%PDF-1.4'));
    assert.equal(pdf.statusCode, 422);
    assert.match(pdf.body, /Seuls les fichiers CSV/);
    const big = await post(agent, 'liste.csv', Buffer.alloc(5 * 1024 * 1024 + 10, 'a'));
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /dépasse la taille permise \(5 Mo\)/);
    const nul = await post(agent, 'li\u0000ste.csv', csv([['Email'], ['a@b.fr']]));
    assert.equal(nul.statusCode, 422);
    const forged = await post(agent, 'liste.csv', csv([['Email'], ['a@b.fr']]), 'faux');
    assert.equal(forged.statusCode, 403);
    const cut = await w.app.inject({ method: 'POST', url: '/admin/adherents/import', payload: 'x', headers: { 'content-type': 'multipart/form-data', cookie: agentCookies(agent) } });
    assert.ok([400, 403, 422].includes(cut.statusCode), `no 500 for a body without boundary (${cut.statusCode})`);
    assert.equal((await agent.get('/admin/adherents/import/pas-un-id')).statusCode, 404);
    assert.equal((await agent.get('/admin/adherents/import/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    const mapping = await agent.post(`${url}/colonnes`, { email: 'x\u0000' });
    assert.ok([400, 409, 422].includes(mapping.statusCode));

    const member = await createUser(w.ctx, { roles: ['member'] });
    const other = new Agent(w.app);
    await other.login(member.email, member.password);
    assert.equal((await other.get('/admin/adherents/import')).statusCode, 403);
    assert.equal((await other.get(url)).statusCode, 403);
    const stillOne = await sql<{ n: number }>`select count(*)::int as n from member`.execute(w.ctx.db);
    assert.equal(stillOne.rows[0].n, 1);
  });
});
