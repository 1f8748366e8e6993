/**
 * What a household and an adviser tripped on, tried again in a real browser: villages picked by name (with and
 * without JavaScript, from the finder and a village page), an activation that says so and a replaced link that says
 * a newer one was sent; an adviser finding a case by name, the case page at a glance, error summaries that lead to
 * the field of their own form, dates typed the French way; long names, addresses and labels at 320 px; a compact
 * header on phones whose menu opens without JavaScript. axe checks every page on the way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { addFunderTag, setCaseFunderTags } from '../../src/domains/newcomers/cases/tags.service.js';
import { addCaseTask, applyToProgramme, confirmHeldApplication, sendStaffMessage } from '../../src/domains/newcomers/cases/cases.service.js';
import { applyAsVisitor, familyInput } from '../../src/domains/newcomers/newcomers.testing.js';
import { savePartnerProfile, shareCaseWithPartner } from '../../src/domains/newcomers/partners/partners.service.js';
import { menuFor } from '../../src/web/navigation.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, MOBILE, useE2E } from '../support/e2e.js';
import { actorFor, createUser } from '../support/factories.js';

const fr = tFor('fr');
const e = useE2E();

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const linkIn = (text: string) => new RegExp(`${escapeRe(e.baseUrl)}/\\S+`).exec(text)![0];
const mailsTo = (to: string) => e.w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();

async function staffMember(page: Page) {
  const user = await e.signIn(page, ['staff'], { name: 'Léa Dupuis' });
  const row = await e.w.ctx.db.selectFrom('user_account').select('id').where('email', '=', user.email).executeTakeFirstOrThrow();
  return actorFor(e.w.ctx, { id: row.id }, ['staff']);
}

/** The page never scrolls sideways: long text wraps, tables scroll inside their own box. */
async function assertReflows(page: Page, label: string) {
  const { scrollWidth, width } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scrollWidth <= width, `${label}: the page is ${scrollWidth} px wide on a ${width} px screen`);
}

test('with JavaScript a household picks villages from suggestions (a combobox) and from the finder; a second application replaces the activation link, and the old one says so', async () => {
  const family = await e.newPage();
  // From the finder's results, "add this village to my project" opens the application with the village ticked.
  await family.goto('/villages?q=Lectoure');
  await family.getByRole('link', { name: fr('newcomers.apply.addVillage', { name: 'Lectoure' }) }).click();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.apply.title') }).waitFor();
  const form = family.locator('main form[action="/candidature"]');
  assert.ok(await form.getByRole('checkbox', { name: 'Lectoure', exact: true }).isChecked());

  // The search field suggests villages as one types; arrow down and Enter tick one.
  const search = form.getByRole('combobox', { name: fr('newcomers.apply.villageSearch') });
  await search.pressSequentially('miran');
  const suggestions = family.getByRole('listbox', { name: fr('newcomers.apply.villageSuggestions') });
  await suggestions.getByRole('option', { name: 'Mirande' }).waitFor();
  assert.equal(await search.getAttribute('aria-expanded'), 'true');
  await checkA11y(family, 'application with village suggestions');
  await search.press('ArrowDown');
  assert.match((await search.getAttribute('aria-activedescendant')) ?? '', /^village-option-/);
  await search.press('Enter');
  assert.equal(await search.getAttribute('aria-expanded'), 'false');
  assert.ok(await form.getByRole('checkbox', { name: 'Mirande', exact: true }).isChecked());
  assert.equal(family.url().endsWith('/candidature?communes=32208'), true, 'Enter on a suggestion does not send the form');

  await form.getByLabel(fr('newcomers.apply.contactName')).fill('Inès Garcia');
  await form.getByLabel(fr('newcomers.apply.email')).fill('ines.garcia@exemple.fr');
  await form.getByLabel(fr('newcomers.apply.currentPlace')).fill('Nantes');
  await form.getByRole('group', { name: fr('newcomers.apply.adultFirst') }).getByLabel(fr('newcomers.apply.project')).selectOption('freelance');
  await form.getByLabel(fr('newcomers.apply.timing')).selectOption('months_6_12');
  await form.getByLabel(fr('newcomers.apply.consentContact')).check();
  await form.getByRole('button', { name: fr('newcomers.apply.submit') }).click();
  await family.getByRole('heading', { level: 1, name: fr('newcomers.apply.sent.title') }).waitFor();
  const communes = await e.w.ctx.db.selectFrom('case_commune').select('insee').orderBy('insee').execute();
  assert.deepEqual(communes.map((c) => c.insee), ['32208', '32256']);

  // A second application before activating: its mail says the link replaces the first one.
  const [first] = (await mailsTo('ines.garcia@exemple.fr')).filter((m) => m.subject.startsWith('Activez'));
  e.w.clock.advance(60_000);
  // Sent anonymously with a known address, it waits for the address's yes (the mail asks); once confirmed, the
  // household gets a new activation link that says it replaces the first.
  const held = await applyToProgramme(e.w.ctx, { userId: null, territoryId: e.w.ctx.territory.id, roles: new Set() }, familyInput({ email: 'ines.garcia@exemple.fr', contactName: 'Inès Garcia', targetCodes: ['32013'] }), 'fr');
  assert.equal(held.status, 'held');
  const [confirm] = (await mailsTo('ines.garcia@exemple.fr')).filter((m) => m.subject.startsWith('Confirmez'));
  await confirmHeldApplication(e.w.ctx, new URL(linkIn(confirm.text_body), 'http://x').searchParams.get('jeton')!);
  const again = (await mailsTo('ines.garcia@exemple.fr')).filter((m) => m.subject.startsWith('Votre nouveau lien d’activation'));
  assert.equal(again.length, 1, 'the second mail says it carries a new link');
  const old = await family.goto(linkIn(first.text_body));
  assert.equal(old?.status(), 410);
  await family.getByText(fr('accounts.activate.replaced')).waitFor();
  await checkA11y(family, 'replaced activation link');

  // The newer link activates the account and leads to the household's project.
  await family.goto(linkIn(again[0].text_body));
  await family.getByRole('heading', { level: 1, name: fr('accounts.activate.title') }).waitFor();
  await family.getByLabel(fr('accounts.activate.password')).fill('les coteaux de Mirande');
  await family.getByRole('button', { name: fr('accounts.activate.submit') }).click();
  await family.waitForURL('**/mon-projet');
  await family.getByRole('heading', { level: 1, name: fr('newcomers.my.title') }).waitFor();
  await checkA11y(family, 'my project after activation');
});

test('without JavaScript a village search with no match says so, and a checkbox in error carries aria-invalid', async () => {
  const family = await e.newPage({ javaScript: false });
  await family.goto('/candidature');
  const form = family.locator('main form[action="/candidature"]');
  await form.getByLabel(fr('newcomers.apply.villageSearch')).fill('zzzz');
  await form.getByRole('button', { name: fr('newcomers.apply.villageSearchSubmit'), exact: true }).click();
  await family.getByText(fr('newcomers.apply.villageNoMatch', { q: 'zzzz' })).waitFor();
  await checkA11y(family, 'village search without match');
  // Sent without the contact consent: the box in error says so to assistive technology, like a text field.
  await form.getByLabel(fr('newcomers.apply.contactName')).fill('Inès Garcia');
  await form.getByRole('button', { name: fr('newcomers.apply.submit') }).click();
  await family.getByRole('alert').waitFor();
  assert.equal(await family.locator('#f-consentContact').getAttribute('aria-invalid'), 'true');
  assert.equal(await family.locator('#f-contactName').getAttribute('aria-invalid'), null, 'a field without error is not marked');
  assert.equal(await family.locator('main form[action="/candidature"] [role="alert"]').count(), 1, 'the summary is inside its form');
  await checkA11y(family, 'application with errors');
});

test('an adviser finds a case by name, sees it at a glance, follows summary links to the right form and types dates the French way', async () => {
  const staff = await e.newPage();
  const actor = await staffMember(staff);
  const { caseId } = await applyAsVisitor(e.w.ctx, { contactName: 'Hélène Gonzalez', email: 'helene.gonzalez@exemple.fr', consentShare: true });
  await applyAsVisitor(e.w.ctx, { contactName: 'Jo Bernard', email: 'jo.bernard@exemple.fr', phone: '05 62 00 11 22' });
  await addCaseTask(e.w.ctx, actor, caseId, { title: 'Appeler le collège de Lectoure', dueOn: '2026-12-10' });
  await sendStaffMessage(e.w.ctx, actor, caseId, 'Bonjour, je vous appelle jeudi pour le collège.');

  // One search field, accents and capitals ignored, on the list and the board.
  await staff.goto('/admin/accueil');
  await staff.getByLabel(fr('newcomers.filter.search')).fill('HELENE gonz');
  await staff.getByRole('button', { name: fr('newcomers.filter.submit') }).click();
  await staff.waitForURL(/q=HELENE/);
  assert.equal(await staff.getByRole('link', { name: 'Hélène Gonzalez' }).count(), 1);
  assert.equal(await staff.getByRole('link', { name: 'Jo Bernard' }).count(), 0);
  await checkA11y(staff, 'staff list searched by name');
  await staff.goto('/admin/accueil/tableau?q=bernard');
  assert.equal(await staff.getByRole('link', { name: 'Jo Bernard' }).count(), 1);
  assert.equal(await staff.getByRole('link', { name: 'Hélène Gonzalez' }).count(), 0);
  await checkA11y(staff, 'board searched by name');

  // The case page opens on the household at a glance, with the history beside it at 1280 × 800.
  await staff.goto(`/admin/accueil/${caseId}`);
  const glance = staff.getByRole('region', { name: fr('newcomers.glance.title') });
  for (const text of ['Camille · ' + fr('newcomers.project.telework'), 'Lectoure', 'Appeler le collège de Lectoure', 'Bonjour, je vous appelle jeudi pour le collège.']) {
    const box = await glance.getByText(text).first().boundingBox();
    // Its first line at least shows in the first screen.
    assert.ok(box && box.y + Math.min(box.height, 24) <= 800, `"${text}" is above the fold (${box?.y})`);
  }
  const history = await staff.getByRole('region', { name: fr('newcomers.timeline.title') }).boundingBox();
  const glanceBox = await glance.boundingBox();
  assert.ok(history && glanceBox && history.x > glanceBox.x + glanceBox.width, 'the timeline sits beside the summary');
  await checkA11y(staff, 'case page at a glance');

  // An empty message: the summary sits in the message form and links to its own field.
  const messageForm = staff.locator(`main form[action="/admin/accueil/${caseId}/messages"]`);
  await messageForm.getByRole('button', { name: fr('newcomers.messages.send') }).click();
  const summary = staff.locator(`main form[action="/admin/accueil/${caseId}/messages"] [role="alert"]`);
  await summary.waitFor();
  assert.equal(await summary.getByRole('link').getAttribute('href'), '#message-f-body');
  await summary.getByRole('link').click();
  assert.equal(await staff.evaluate(() => document.activeElement?.id), 'message-f-body');
  await checkA11y(staff, 'case page with a message error');

  // The task's date field shows the expected format; where the browser shows a text box, 24/12/2026 is understood.
  await staff.goto(`/admin/accueil/${caseId}`);
  const taskForm = staff.locator(`main form[action="/admin/accueil/${caseId}/taches"]`);
  const due = taskForm.getByLabel(fr('newcomers.tasks.dueOn'));
  assert.match((await due.getAttribute('aria-describedby')) ?? '', /fmt-dueOn/);
  await taskForm.getByText(fr('form.format.date')).waitFor();
  await due.evaluate((input) => ((input as HTMLInputElement).type = 'text'));
  await taskForm.getByLabel(fr('newcomers.tasks.taskTitle')).fill('Envoyer la liste des écoles');
  await due.fill('24/12/2026');
  await taskForm.getByRole('button', { name: fr('newcomers.tasks.add') }).click();
  await staff.getByText(fr('newcomers.flash.taskAdded')).waitFor();
  const task = await e.w.ctx.db.selectFrom('case_task').select(sql<string>`due_on::text`.as('due')).where('title', '=', 'Envoyer la liste des écoles').executeTakeFirstOrThrow();
  assert.equal(task.due, '2026-12-24');
});

test('at 320 px long names, addresses and labels wrap on the case page, the partner’s case page and the funder checkboxes', async () => {
  const narrow = { viewport: { width: 320, height: 720 } };
  const staff = await e.newPage(narrow);
  const actor = await staffMember(staff);
  const longName = 'Marie-Héloïse Dupont-de-La-Tour-d’Auvergne-Castelnau-Magnoac';
  const longEmail = 'marie-heloise.dupont-de-la-tour-d-auvergne@exemple-tres-long.fr';
  const { caseId } = await applyAsVisitor(e.w.ctx, { contactName: longName, email: longEmail, currentPlace: 'Saint-Rémy-de-Provence-sur-la-Colline-Haute, Bouches-du-Rhône', consentShare: true });
  const tag = await addFunderTag(e.w.ctx, actor, 'FEADER-LEADER-Pays-Portes-de-Gascogne-Astarac-Arros-et-Val-d’Adour');
  await setCaseFunderTags(e.w.ctx, actor, caseId, [tag.id]);
  const partnerUser = await createUser(e.w.ctx, { roles: ['partner'], name: 'Comité de Lectoure' });
  await savePartnerProfile(e.w.ctx, actor, partnerUser.id, { organisation: 'Comité-d’accueil-des-nouveaux-habitants-de-Lectoure-et-environs', kind: 'welcome_committee', theme: null, communes: ['32208'] });
  await shareCaseWithPartner(e.w.ctx, actor, caseId, partnerUser.id);

  for (const url of [`/admin/accueil/${caseId}`, '/admin/accueil', '/admin/accueil/financeurs', `/admin/accueil/partenaires/${partnerUser.id}`]) {
    const response = await staff.goto(url);
    assert.equal(response?.status(), 200, url);
    await assertReflows(staff, url);
    await checkA11y(staff, `${url} at 320 px`);
  }
  const partner = await e.newPage(narrow);
  await partner.goto('/connexion');
  await partner.getByLabel(/^Adresse e-mail/).fill(partnerUser.email);
  await partner.getByLabel(/^Mot de passe/).fill(partnerUser.password);
  await Promise.all([partner.waitForURL((url) => !url.pathname.startsWith('/connexion')), partner.locator('main form button[type="submit"]').click()]);
  for (const url of ['/partenaire', `/partenaire/dossiers/${caseId}`]) {
    const response = await partner.goto(url);
    assert.equal(response?.status(), 200, url);
    await assertReflows(partner, url);
    await checkA11y(partner, `${url} at 320 px`);
  }
});

test('on a phone the header is compact and its menu opens without JavaScript, with the same links in the same order', async () => {
  const expected = menuFor('main', new Set()).map((item) => fr(item.key));
  const desktop = await e.newPage({ javaScript: false });
  await desktop.goto('/');
  const desktopLinks = await desktop.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link').allInnerTexts();
  assert.deepEqual(desktopLinks, expected);
  assert.equal(await desktop.getByText(fr('site.nav.menu'), { exact: true }).isVisible(), false, 'no menu button on a wide screen');

  const phone = await e.newPage({ javaScript: false, viewport: MOBILE });
  await phone.goto('/');
  const header = await phone.locator('header.site-header').boundingBox();
  assert.ok(header && header.height <= 100, `the header takes ${header?.height} px of ${MOBILE.height}`);
  assert.equal(await phone.getByRole('navigation', { name: fr('site.nav.label') }).isVisible(), false, 'the menu starts folded');
  assert.ok(await phone.getByRole('link', { name: fr('search.submit') }).isVisible(), 'search is one tap away');
  await checkA11y(phone, 'home on a phone, menu folded');
  await phone.getByText(fr('site.nav.menu'), { exact: true }).click();
  const phoneLinks = await phone.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link').allInnerTexts();
  assert.deepEqual(phoneLinks, expected, 'the same links in the same order');
  assert.ok(await phone.getByRole('link', { name: fr('site.nav.login') }).isVisible());
  await checkA11y(phone, 'home on a phone, menu open');
  await phone.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link', { name: fr('site.nav.villages') }).click();
  await phone.waitForURL('**/villages');
  await assertReflows(phone, 'villages on a phone');
});
