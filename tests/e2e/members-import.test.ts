/**
 * Importing the existing member list in a real browser, axe on every page: the team uploads a 400-line CSV with 5
 * bad lines; the dry run lists them by line number with their reason; the apply is refused; the corrected file
 * imports 400 members with their dues; a second import of it changes nothing. A file with unknown column names
 * goes through the mapping screen first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tFor } from '../../src/web/i18n/index.js';
import { makePlan } from '../../src/domains/members/members.testing.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');
const label = (key: string) => new RegExp(`^${fr(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
const e = useE2E();

const HEAD = ['Email', 'Prénom', 'Nom', 'Commune', 'Formule', 'Date de paiement', 'Montant'];
const COMMUNES = ['Auch', 'Lectoure', 'Condom', 'Fleurance', 'Mirande'];
const good = (i: number) => [`adherent${i}@exemple.fr`, `Prénom${i}`, `Nom${i}`, COMMUNES[i % 5], i % 2 ? 'Individuel' : 'Couple', `${String((i % 28) + 1).padStart(2, '0')}/03/2026`, i % 2 ? '30' : '45'];
/** Five lines gone wrong (by their index in the list): the file's line number is the index + 2. */
const BAD: Record<number, (row: string[]) => string[]> = {
  10: (r) => [r[0], r[1], r[2], 'Toulouse', ...r.slice(4)],
  50: (r) => [...r.slice(0, 5), '31/02/2026', r[6]],
  120: (r) => [...r.slice(0, 4), 'Platine', ...r.slice(5)],
  200: (r) => [...r.slice(0, 5), 'hier', r[6]],
  399: (r) => ['', ...r.slice(1)],
};
const csv = (rows: string[][]) => Buffer.from('\uFEFF' + rows.map((r) => r.map((c) => `"${c}"`).join(';')).join('\r\n') + '\r\n');
const withMistakes = csv([HEAD, ...Array.from({ length: 400 }, (_, i) => (BAD[i] ? BAD[i](good(i)) : good(i)))]);
const corrected = csv([HEAD, ...Array.from({ length: 400 }, (_, i) => good(i))]);

test('the team imports a 400-line list: the 5 bad lines are listed, the apply refused; the corrected file imports once', async () => {
  await makePlan(e.w.ctx, { name: 'Individuel', priceCents: 3000 });
  await makePlan(e.w.ctx, { name: 'Couple', priceCents: 4500 });
  const staff = await e.newPage();
  await e.signIn(staff, ['staff'], { name: 'Léa Dupuis' });
  await staff.goto('/admin/adherents');
  await staff.getByRole('link', { name: fr('members.import.link') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('members.import.title') }).waitFor();
  await checkA11y(staff, 'import: upload form');

  const upload = async (name: string, buffer: Buffer) => {
    await staff.goto('/admin/adherents/import');
    await staff.getByLabel(label('members.import.file')).setInputFiles({ name, mimeType: 'text/csv', buffer });
    await staff.getByLabel(label('members.import.defaultMethod')).selectOption('cheque');
    await staff.getByRole('button', { name: fr('members.import.upload') }).click();
  };

  // A file that is not a list is refused with a French message.
  await staff.getByLabel(label('members.import.file')).setInputFiles({ name: 'liste.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
  await staff.getByRole('button', { name: fr('members.import.upload') }).click();
  await staff.locator('#e-file').getByText(fr('members.import.badType')).waitFor();
  await checkA11y(staff, 'import: upload refused');

  // The list with five mistakes: the dry run lists them by line.
  await upload('adherents.csv', withMistakes);
  await staff.getByRole('heading', { level: 1, name: fr('members.import.review.title') }).waitFor();
  await checkA11y(staff, 'import: dry run with rejected lines');
  const rejected = staff.locator('section[aria-labelledby="refusees"] tbody tr');
  assert.equal(await rejected.count(), 5);
  const lines = await rejected.locator('th').allInnerTexts();
  assert.deepEqual(lines.map((l) => l.trim()), ['12', '52', '122', '202', '401'], 'each rejected line by its number in the file');
  const texts = await rejected.allInnerTexts();
  assert.match(texts[0], /commune inconnue du territoire : « Toulouse »/);
  assert.match(texts[1], /date impossible : « 31\/02\/2026 »/);
  assert.match(texts[2], /formule inconnue : « Platine »/);
  assert.match(texts[3], /date illisible : « hier »/);
  assert.match(texts[4], /adresse e-mail manquante/);

  // The apply is refused while lines are rejected.
  await staff.getByRole('button', { name: fr('members.import.apply.submit') }).click();
  await staff.getByRole('alert').waitFor();
  assert.ok((await staff.locator('#e-excludeRejected').innerText()).includes(fr('members.import.rejectedLines')));
  await checkA11y(staff, 'import: apply refused');
  assert.equal((await e.w.ctx.db.selectFrom('member').select('id').execute()).length, 0, 'nothing imported');

  // The corrected file imports 400 members with their dues.
  await upload('adherents-corrige.csv', corrected);
  await staff.getByRole('heading', { level: 1, name: fr('members.import.review.title') }).waitFor();
  await staff.getByText(fr('members.import.review.noRejected')).waitFor();
  // 400 accounts, members and receipts in one transaction: longer than a page usually takes on PGlite.
  staff.setDefaultTimeout(180_000);
  await staff.getByRole('button', { name: fr('members.import.apply.submit') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('members.import.applied.title') }).waitFor();
  staff.setDefaultTimeout(30_000);
  await staff.getByText(fr('members.import.flash.applied', { create: 400, update: 0, unchanged: 0, dues: 400 })).first().waitFor();
  await checkA11y(staff, 'import: applied');
  const count = async () => ({
    members: (await e.w.ctx.db.selectFrom('member').select('id').execute()).length,
    payments: (await e.w.ctx.db.selectFrom('member_payment').select('id').execute()).length,
  });
  assert.deepEqual(await count(), { members: 400, payments: 400 });

  // The same file again: every line unchanged, nothing added.
  await upload('adherents-corrige.csv', corrected);
  await staff.getByRole('heading', { level: 1, name: fr('members.import.review.title') }).waitFor();
  await staff.getByRole('button', { name: fr('members.import.apply.submit') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('members.import.applied.title') }).waitFor();
  await staff.getByText(fr('members.import.flash.applied', { create: 0, update: 0, unchanged: 400, dues: 0 })).first().waitFor();
  assert.deepEqual(await count(), { members: 400, payments: 400 });

  // A file whose columns we do not know: the mapping screen first.
  await upload('autre.csv', csv([['Qui', 'Prénom usuel', 'Courrier électronique', 'Adhésion'], ['Nouvelle', 'Nina', 'nina@exemple.fr', 'Individuel']]));
  await staff.getByRole('heading', { level: 1, name: fr('members.import.mapping.title') }).waitFor();
  await checkA11y(staff, 'import: column mapping');
  await staff.getByRole('button', { name: fr('members.import.mapping.save') }).click();
  await staff.getByRole('alert').waitFor();
  await checkA11y(staff, 'import: column mapping with errors');
  await staff.getByLabel(label('members.import.field.email')).selectOption({ index: 3 });
  await staff.getByLabel(label('members.import.field.firstName')).selectOption({ index: 2 });
  await staff.getByLabel(fr('members.import.field.lastName'), { exact: true }).selectOption({ index: 1 });
  await staff.getByLabel(label('members.import.field.plan')).selectOption({ index: 4 });
  await staff.getByRole('button', { name: fr('members.import.mapping.save') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('members.import.review.title') }).waitFor();
  assert.match(await staff.locator('section[aria-labelledby="toutes"] tbody').innerText(), /Nina Nouvelle/);
});
