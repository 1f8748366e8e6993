/**
 * The newcomer journey in a real browser: a family of four applies in French without JavaScript (first with a
 * mistake), activates its account from the mailed link and writes to the team; an adviser takes the case on the
 * board and the case page, qualifies it, adds a task and answers; the family reads the answer and applies again,
 * which lands on the same case. axe checks every page on the way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');

const e = useE2E();

const EMAIL = 'famille.garcia@exemple.fr';

async function fillApplication(page: Page) {
  const form = page.locator('main form[action="/candidature"]');
  await form.getByLabel(fr('newcomers.apply.contactName')).fill('Inès Garcia');
  await form.getByLabel(fr('newcomers.apply.email')).fill(EMAIL);
  await form.getByLabel(fr('newcomers.apply.currentPlace')).fill('Nantes, France');
  const adult1 = form.getByRole('group', { name: fr('newcomers.apply.adultFirst') });
  await adult1.getByLabel(fr('newcomers.apply.project')).selectOption('freelance');
  await adult1.getByLabel(fr('newcomers.apply.profession')).fill('Graphiste');
  await form.getByText(fr('newcomers.apply.addAdult', { n: 2 })).click();
  const adult2 = form.getByRole('group', { name: fr('newcomers.apply.adultN', { n: 2 }) });
  await adult2.getByLabel(fr('newcomers.apply.project')).selectOption('job_search');
  await adult2.getByLabel(fr('newcomers.apply.profession')).fill('Infirmier');
  for (const [n, age, schooling] of [[1, '9', 'elementaire'], [2, '14', 'college']] as const) {
    await form.getByText(fr('newcomers.apply.addChild', { n })).click();
    const child = form.getByRole('group', { name: fr('newcomers.apply.childN', { n }) });
    await child.getByLabel(fr('newcomers.apply.age')).fill(age);
    await child.getByLabel(fr('newcomers.apply.schooling')).selectOption(schooling);
  }
  await form.getByLabel(fr('newcomers.apply.timing')).selectOption('months_6_12');
  await form.getByLabel(fr('newcomers.need.housing_rent')).check();
  await form.getByLabel(fr('newcomers.need.partner_job')).check();
  // The village is found by its name (no code to type): search, then tick it among the matches.
  await form.getByLabel(fr('newcomers.apply.villageSearch')).fill('lectou');
  await form.getByRole('button', { name: fr('newcomers.apply.villageSearchSubmit'), exact: true }).click();
  await page.getByText(fr('newcomers.apply.villageMatches', { q: 'lectou' })).waitFor();
  await page.locator('main form[action="/candidature"]').getByRole('checkbox', { name: 'Lectoure', exact: true }).check();
  return page.locator('main form[action="/candidature"]');
}

test('a family applies without JavaScript, follows its case and talks with its adviser, who moves the case on', async () => {
  // The family applies; the contact consent is forgotten at first.
  const family = await e.newPage({ javaScript: false });
  await family.goto('/');
  await family.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link', { name: fr('newcomers.nav.settle') }).click();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.apply.title') }).waitFor();
  await checkA11y(family, 'application form');
  let form = await fillApplication(family);
  await form.getByRole('button', { name: fr('newcomers.apply.submit') }).click();
  await family.getByRole('alert').waitFor();
  assert.ok((await family.locator('#e-consentContact').innerText()).includes(fr('newcomers.apply.consentRequired')));
  assert.equal(await family.getByLabel(fr('newcomers.apply.contactName')).inputValue(), 'Inès Garcia');
  await checkA11y(family, 'application form with errors');
  form = family.locator('main form[action="/candidature"]');
  await form.getByLabel(fr('newcomers.apply.consentContact')).check();
  await form.getByRole('button', { name: fr('newcomers.apply.submit') }).click();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.apply.sent.title') }).waitFor();
  await checkA11y(family, 'application sent');

  // The activation link (second mail, same instant as the confirmation) opens the activation page, which signs
  // the family in and leads to its project.
  const activation = await e.w.ctx.db.selectFrom('outbox_mail').select('text_body').where('to_address', '=', EMAIL).where('subject', 'like', 'Activez%').executeTakeFirstOrThrow();
  const link = new RegExp(`${e.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+`).exec(activation.text_body)![0];
  await family.goto(link);
  await family.getByRole('heading', { level: 1, name: fr('accounts.activate.title') }).waitFor();
  await checkA11y(family, 'activation');
  await family.getByLabel(fr('accounts.activate.password')).fill('les coteaux de Lectoure');
  await family.locator('main form button[type="submit"]').click();
  await family.waitForURL('**/mon-projet');
  await family.getByText(fr('accounts.activate.done')).waitFor();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.my.title') }).waitFor();
  assert.ok(await family.getByText(fr('newcomers.stageForHousehold.nouveau')).isVisible());
  await checkA11y(family, 'my project');
  await family.getByLabel(fr('newcomers.messages.write')).fill('Bonjour, le collège de Lectoure a-t-il une section sport ?');
  await family.getByRole('button', { name: fr('newcomers.messages.send') }).click();
  await family.getByText(fr('newcomers.flash.messageSent')).waitFor();

  // An adviser finds the case on the board, takes it, qualifies it, adds a task and answers.
  const staff = await e.newPage();
  await e.signIn(staff, ['staff'], { name: 'Léa Dupuis' });
  await staff.goto('/admin');
  await staff.getByRole('navigation', { name: fr('admin.nav.label') }).getByRole('link', { name: fr('newcomers.nav.admin') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('newcomers.staff.title') }).waitFor();
  await checkA11y(staff, 'staff list of cases');
  await staff.getByRole('link', { name: fr('newcomers.staff.board') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('newcomers.staff.board') }).waitFor();
  await checkA11y(staff, 'board by stage');
  await staff.getByRole('link', { name: 'Inès Garcia' }).click();
  await staff.getByRole('heading', { level: 1, name: /Inès Garcia/ }).waitFor();
  await checkA11y(staff, 'case page');
  await staff.getByRole('button', { name: fr('newcomers.case.assignSelf') }).click();
  await staff.getByText(fr('newcomers.flash.assigned')).waitFor();
  await staff.getByRole('button', { name: fr('newcomers.transition.qualify') }).click();
  await staff.getByText(fr('newcomers.flash.stageChanged')).waitFor();
  const taskForm = staff.locator('main form[action$="/taches"]');
  await taskForm.getByLabel(fr('newcomers.tasks.taskTitle')).fill('Appeler le collège de Lectoure');
  await taskForm.getByLabel(fr('newcomers.tasks.dueOn')).fill('2026-12-02');
  await taskForm.getByRole('button', { name: fr('newcomers.tasks.add') }).click();
  await staff.getByText(fr('newcomers.flash.taskAdded')).waitFor();
  await staff.getByLabel(fr('newcomers.messages.writeToHousehold')).fill('Oui, une section handball. Je vous appelle jeudi.');
  await staff.getByRole('button', { name: fr('newcomers.messages.send') }).click();
  await staff.getByText(fr('newcomers.flash.messageSent')).waitFor();
  assert.ok(await staff.getByText('Appeler le collège de Lectoure', { exact: true }).isVisible());
  await checkA11y(staff, 'case page after actions');

  // The family reads the answer, sees its adviser, and applies again: same case.
  await family.goto('/mon-projet');
  await family.getByText('Oui, une section handball. Je vous appelle jeudi.').waitFor();
  assert.ok(await family.getByText(fr('newcomers.my.adviser', { name: 'Léa Dupuis' })).isVisible());
  assert.ok(await family.getByText(fr('newcomers.stage.qualifie'), { exact: true }).isVisible());
  // From Auch's page, "add this village to my project" fills the form, Lectoure still ticked.
  await family.goto('/villages/32013');
  await family.getByRole('link', { name: fr('newcomers.apply.addVillage', { name: 'Auch' }) }).click();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.apply.title') }).waitFor();
  assert.ok(await family.getByRole('checkbox', { name: 'Lectoure', exact: true }).isChecked());
  assert.ok(await family.getByRole('checkbox', { name: 'Auch', exact: true }).isChecked());
  await family.getByLabel(fr('newcomers.apply.consentContact')).check();
  await family.getByRole('button', { name: fr('newcomers.apply.submit') }).click();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.apply.sent.title') }).waitFor();
  const cases = await e.w.ctx.db.selectFrom('newcomer_case').select('id').execute();
  assert.equal(cases.length, 1);
  const communes = await e.w.ctx.db.selectFrom('case_commune').select('insee').orderBy('insee').execute();
  assert.deepEqual(communes.map((c) => c.insee), ['32013', '32208']);
});
