/**
 * The newcomer programme in a real browser, around one household's case: staff share it with the Lectoure welcome
 * committee, which reads it while another partner is refused (and the team sees both); the household writes to
 * its adviser, applies for a discovery stay, is selected and settles, and the figures page and CSV exports count
 * it; a visitor browses the offers without JavaScript and a household marks interest; a partner proposes housing
 * that the team publishes; then a tour opens every page of the programme with the right role, with JavaScript and,
 * for the forms, without, and once more at 320 pixels wide. axe checks every page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/db/schema.js';
import { markMemberAsBuddy, confirmBuddyPairing } from '../../src/domains/newcomers/buddies/buddies.service.js';
import { createOffer, markInterest, proposeOffer } from '../../src/domains/offers/offers.service.js';
import type { OfferInput } from '../../src/domains/offers/offers.schemas.js';
import { savePartnerProfile, shareCaseWithPartner } from '../../src/domains/newcomers/partners/partners.service.js';
import { assignAdviser, markSettled, qualifyCase, startAccompaniment, startMoving } from '../../src/domains/newcomers/cases/cases.service.js';
import { addProgrammeItem, applyToStay, createStay, decideApplication } from '../../src/domains/newcomers/stays/stays.service.js';
import { listFunderTagsForStaff, setCaseFunderTags } from '../../src/domains/newcomers/cases/tags.service.js';
import { applyAsHousehold } from '../../src/domains/newcomers/newcomers.testing.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';
import { actorFor, createUser, PASSWORD } from '../support/factories.js';

const fr = tFor('fr');

const e = useE2E();

const LECTOURE = '32208';
const AUCH = '32013';
const FAMILY = { email: 'camille.martin@exemple.fr', name: 'Camille Martin' };

/** The text of a message before its first placeholder, to find a caption or line whose end varies. */
const prefix = (key: string) => fr(key, { scope: '\u0000', period: '\u0000', year: '\u0000', count: '\u0000' }).split('\u0000')[0];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A field's label: its text, then perhaps the "(obligatoire)" mark. */
const labelled = (key: string) => new RegExp(`^${escapeRe(fr(key))}( \\(|$)`);

/** An account made directly (with its id), then signed in through the login form as anyone would. */
async function signInAs(page: Page, roles: Role[], opts: { name?: string; email?: string } = {}) {
  const user = await createUser(e.w.ctx, { roles, name: opts.name, email: opts.email });
  await page.goto('/connexion');
  await page.getByLabel(fr('accounts.login.email')).fill(user.email);
  await page.getByLabel(fr('accounts.login.password')).fill(user.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.locator('main form button[type="submit"]').click()]);
  return { ...user, actor: actorFor(e.w.ctx, user, roles) };
}

/** The Martin family (two adults, two children) applied for Lectoure, sharing with partners allowed. */
async function martinCase(opts: { targetCodes?: string[] } = {}) {
  return applyAsHousehold(e.w.ctx, { email: FAMILY.email, contactName: FAMILY.name, consentShare: true, targetCodes: opts.targetCodes ?? [LECTOURE] });
}

async function staffMember(name = 'Léa Dupuis') {
  const user = await createUser(e.w.ctx, { roles: ['staff'], name });
  return { ...user, actor: actorFor(e.w.ctx, user, ['staff']) };
}

async function partner(name: string, profile: { organisation: string; communes: string[]; theme?: 'business' | null }, staff: { actor: ReturnType<typeof actorFor> }) {
  const user = await createUser(e.w.ctx, { roles: ['partner'], name });
  await savePartnerProfile(e.w.ctx, staff.actor, user.id, { organisation: profile.organisation, kind: 'welcome_committee', theme: profile.theme ?? null, communes: profile.communes });
  return { ...user, actor: actorFor(e.w.ctx, user, ['partner']) };
}

const OFFER = { description: 'Une belle occasion au cœur du village.', expiresOn: '2027-03-31', publish: true } as const;
const takeover = (o: Partial<OfferInput> = {}): OfferInput => ({
  ...OFFER,
  kind: 'takeover',
  title: 'Boulangerie de la rue Nationale',
  insee: LECTOURE,
  sector: 'food',
  takeover: { priceMin: 120_000, priceMax: 150_000, turnover: 300_000, sellerName: 'Jean Cédant', sellerEmail: 'jean.cedant@exemple.fr', sellerPhone: '05 62 11 22 33' },
  ...o,
});
const job = (o: Partial<OfferInput> = {}): OfferInput => ({
  ...OFFER,
  kind: 'job',
  title: 'Infirmière ou infirmier au centre de santé',
  insee: AUCH,
  sector: 'health_social',
  job: { employer: 'Centre de santé d’Auch', contract: 'cdi', remote: false },
  ...o,
});
const housing = (o: Partial<OfferInput> = {}): OfferInput => ({
  ...OFFER,
  kind: 'housing',
  title: 'Maison de village avec jardin',
  insee: LECTOURE,
  housing: { housingType: 'rent', price: 750, surfaceM2: 95, rooms: 4, availableOn: '2027-01-15' },
  ...o,
});

/** The cells of the table row whose header is `label`, as text. */
async function rowCells(page: Page, table: ReturnType<Page['getByRole']>, label: string) {
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  assert.equal(await row.count(), 1, `one row for ${label}`);
  return (await row.getByRole('cell').allInnerTexts()).map((s) => s.trim());
}

// ------------------------------------------------------------------------------------------------ journey 1

test('staff qualify a case and share it with the Lectoure committee, which reads it; another partner is refused, and staff see both', async () => {
  const staff = await e.newPage();
  const lea = await signInAs(staff, ['staff'], { name: 'Léa Dupuis' });
  const lectoure = await createUser(e.w.ctx, { roles: ['partner'], name: 'Marie Comité' });
  const other = await partner('Paul Chambre', { organisation: 'Chambre de métiers du Gers', communes: [AUCH] }, lea);
  const { caseId, number } = await martinCase();

  // The Lectoure committee's profile is written through the partners page.
  await staff.goto('/admin');
  await staff.getByRole('navigation', { name: fr('admin.nav.label') }).getByRole('link', { name: fr('newcomers.partners.nav.admin') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('newcomers.partners.admin.title') }).waitFor();
  await checkA11y(staff, 'partners list');
  await staff.getByRole('link', { name: 'Marie Comité', exact: true }).click();
  await staff.getByRole('heading', { level: 1, name: fr('newcomers.partners.edit.title', { name: 'Marie Comité' }) }).waitFor();
  await checkA11y(staff, 'partner profile form');
  await staff.getByLabel(fr('newcomers.partners.edit.organisation')).fill('Comité d’accueil de Lectoure');
  await staff.getByLabel(fr('newcomers.partners.col.kind')).selectOption('welcome_committee');
  await staff.getByLabel(fr('newcomers.partners.edit.communes')).fill(LECTOURE);
  await staff.getByRole('button', { name: fr('newcomers.partners.edit.save') }).click();
  await staff.getByText(fr('newcomers.flash.saved')).waitFor();
  const partners = staff.getByRole('table', { name: fr('newcomers.partners.admin.title') });
  assert.deepEqual((await rowCells(staff, partners, 'Comité d’accueil de Lectoure')).slice(1, 3), [fr('newcomers.partners.kind.welcome_committee'), 'Lectoure']);
  await checkA11y(staff, 'partners list with profiles');

  // The adviser takes the case, qualifies it, adds a task and shares it: Lectoure is suggested, Auch's chamber is not.
  await staff.goto('/admin/accueil');
  await staff.getByRole('link', { name: FAMILY.name }).click();
  await staff.getByRole('heading', { level: 1, name: new RegExp(FAMILY.name) }).waitFor();
  await checkA11y(staff, 'case page');
  await staff.getByRole('button', { name: fr('newcomers.case.assignSelf') }).click();
  await staff.getByText(fr('newcomers.flash.assigned')).waitFor();
  await staff.getByRole('button', { name: fr('newcomers.transition.qualify') }).click();
  await staff.getByText(fr('newcomers.flash.stageChanged')).waitFor();
  const taskForm = staff.locator('main form[action$="/taches"]');
  await taskForm.getByLabel(fr('newcomers.tasks.taskTitle')).fill('Présenter le foyer au comité de Lectoure');
  await taskForm.getByLabel(fr('newcomers.tasks.dueOn')).fill('2026-12-04');
  await taskForm.getByRole('button', { name: fr('newcomers.tasks.add') }).click();
  await staff.getByText(fr('newcomers.flash.taskAdded')).waitFor();
  const section = staff.locator('#partenaires-section');
  const choice = section.getByLabel(fr('newcomers.partners.case.partner'));
  assert.equal(await choice.locator(`optgroup[label="${fr('newcomers.partners.case.suggested')}"] option[value="${lectoure.id}"]`).count(), 1, 'Lectoure is suggested');
  assert.equal(await choice.locator(`optgroup[label="${fr('newcomers.partners.case.others')}"] option[value="${other.id}"]`).count(), 1, 'the chamber is not');
  await choice.selectOption(lectoure.id);
  await section.getByRole('button', { name: fr('newcomers.partners.case.share') }).click();
  await staff.getByText(fr('newcomers.partners.flash.shared')).waitFor();
  assert.ok(await staff.locator('#partenaires-section ul.shares').getByText('Comité d’accueil de Lectoure', { exact: true }).isVisible());
  assert.ok(await staff.getByText(fr('newcomers.partners.case.noViews')).isVisible());
  await checkA11y(staff, 'case page shared');
  const shareMail = await e.w.ctx.db.selectFrom('outbox_mail').select('text_body').where('to_address', '=', lectoure.email).executeTakeFirstOrThrow();
  assert.ok(shareMail.text_body.includes(`/partenaire/dossiers/${caseId}`), 'the committee is mailed a link');
  assert.ok(!shareMail.text_body.includes(FAMILY.name), 'the mail carries no personal detail');

  // The committee finds it in its area and opens it; staff-only work stays out of its view.
  const committee = await e.newPage();
  await committee.goto('/connexion');
  await committee.getByLabel(fr('accounts.login.email')).fill(lectoure.email);
  await committee.getByLabel(fr('accounts.login.password')).fill(lectoure.password);
  await Promise.all([committee.waitForURL((url) => !url.pathname.startsWith('/connexion')), committee.locator('main form button[type="submit"]').click()]);
  await committee.goto('/partenaire');
  await committee.getByRole('heading', { level: 1, name: fr('newcomers.partners.home.title') }).waitFor();
  assert.ok(await committee.getByText(fr('newcomers.partners.home.as', { organisation: 'Comité d’accueil de Lectoure' })).isVisible());
  await checkA11y(committee, 'partner area');
  await committee.getByRole('link', { name: fr('newcomers.case.number', { number }) }).click();
  await committee.waitForURL(`**/partenaire/dossiers/${caseId}`);
  await committee.getByRole('heading', { level: 1, name: fr('newcomers.partners.shared.title', { number }) }).waitFor();
  assert.ok(await committee.getByText(FAMILY.email).first().isVisible());
  assert.equal(await committee.getByText('Présenter le foyer au comité de Lectoure').count(), 0, 'no staff task in the partner view');
  await checkA11y(committee, 'shared case (partner)');
  await committee.getByLabel(fr('newcomers.partners.shared.write')).fill('Nous pouvons les recevoir au marché du vendredi.');
  await committee.getByRole('button', { name: fr('newcomers.partners.shared.add') }).click();
  await committee.getByText(fr('newcomers.partners.flash.noteAdded')).waitFor();
  await checkA11y(committee, 'shared case with a note (partner)');

  // The chamber sees nothing, and guessing the address is refused.
  const chamber = await e.newPage();
  await chamber.goto('/connexion');
  await chamber.getByLabel(fr('accounts.login.email')).fill(other.email);
  await chamber.getByLabel(fr('accounts.login.password')).fill(other.password);
  await Promise.all([chamber.waitForURL((url) => !url.pathname.startsWith('/connexion')), chamber.locator('main form button[type="submit"]').click()]);
  await chamber.goto('/partenaire');
  await chamber.getByText(fr('newcomers.partners.home.none')).waitFor();
  await checkA11y(chamber, 'partner area, nothing shared');
  const refused = await chamber.goto(`/partenaire/dossiers/${caseId}`);
  assert.equal(refused?.status(), 403);
  assert.equal(await chamber.getByText(FAMILY.email).count(), 0);
  assert.equal(await chamber.getByText(FAMILY.name).count(), 0);
  await checkA11y(chamber, 'refused case (other partner)');
  // A made-up case gets the very same answer: a refusal says nothing about whether a case exists.
  const refusedText = await chamber.getByRole('main').innerText();
  const madeUp = await chamber.goto('/partenaire/dossiers/00000000-0000-4000-8000-000000000000');
  assert.equal(madeUp?.status(), 403);
  assert.equal(await chamber.getByRole('main').innerText(), refusedText);

  // The team sees who opened the case, and the refused attempt.
  await staff.reload();
  const views = staff.locator('#partenaires-section table');
  assert.equal(await views.locator('caption').innerText(), fr('newcomers.partners.case.viewsCaption', { shown: 3, total: 3 }));
  const lines = (await views.locator('tbody tr').allInnerTexts()).map((l) => l.replace(/\s+/g, ' '));
  assert.equal(lines.length, 3, 'two openings (before and after the note) and one refusal');
  assert.equal(lines.filter((l) => l.includes('Comité d’accueil de Lectoure') && l.includes(fr('newcomers.partners.case.viewed'))).length, 2, lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('Chambre de métiers du Gers') && l.includes(fr('newcomers.partners.case.refused'))), lines.join('\n'));
  const notes = staff.locator('#partenaires-section ol.thread');
  assert.match(await notes.innerText(), /Comité d’accueil de Lectoure[\s\S]*Nous pouvons les recevoir au marché du vendredi\./);
  await checkA11y(staff, 'case page with partner views');
});

// ------------------------------------------------------------------------------------------------ journey 2

test('the household writes to its adviser, applies for a discovery stay, is selected and settles; the figures and exports count it', async () => {
  const staff = await e.newPage();
  await signInAs(staff, ['staff'], { name: 'Léa Dupuis' });
  const family = await e.newPage();
  await signInAs(family, ['candidate'], FAMILY);
  const { caseId, number } = await martinCase();
  const STAY = 'Trois jours autour de Lectoure';

  // The team opens a stay through its page.
  await staff.goto('/admin/accueil');
  await staff.getByRole('navigation', { name: fr('newcomers.staff.views') }).getByRole('link', { name: fr('newcomers.stays.heading') }).click();
  await staff.getByRole('heading', { level: 1, name: fr('newcomers.stays.heading') }).waitFor();
  await checkA11y(staff, 'stays list');
  const stayForm = staff.locator('main form[action="/admin/accueil/sejours"]');
  await stayForm.getByLabel(fr('newcomers.stays.title')).fill(STAY);
  await stayForm.getByLabel(fr('newcomers.stays.startsOn')).fill('2027-01-14');
  await stayForm.getByLabel(fr('newcomers.stays.endsOn')).fill('2027-01-16');
  await stayForm.getByLabel(fr('newcomers.stays.applyBy')).fill('2027-01-05');
  await stayForm.getByLabel(fr('newcomers.stays.seats')).fill('4');
  await stayForm.getByLabel(fr('newcomers.stays.state'), { exact: false }).selectOption('open');
  await stayForm.getByRole('button', { name: fr('newcomers.stays.create') }).click();
  await staff.getByText(fr('newcomers.stays.flash.created')).waitFor();
  const stayId = Number(/\/admin\/accueil\/sejours\/(\d+)/.exec(staff.url())?.[1]);
  assert.ok(stayId > 0, staff.url());
  await checkA11y(staff, 'stay page (new)');

  // The adviser takes the case and starts the accompaniment.
  await staff.goto(`/admin/accueil/${caseId}`);
  await staff.getByRole('button', { name: fr('newcomers.case.assignSelf') }).click();
  await staff.getByText(fr('newcomers.flash.assigned')).waitFor();
  for (const transition of ['qualify', 'accompany'] as const) {
    await staff.getByRole('button', { name: fr(`newcomers.transition.${transition}`) }).click();
    await staff.getByText(fr('newcomers.flash.stageChanged')).waitFor();
  }

  // The household writes to its adviser and applies for the stay from its page.
  await family.goto('/mon-projet');
  await family.getByRole('heading', { level: 1, name: fr('newcomers.my.title') }).waitFor();
  assert.ok(await family.getByText(fr('newcomers.my.adviser', { name: 'Léa Dupuis' })).isVisible());
  await checkA11y(family, 'my project, accompanied');
  await family.getByLabel(fr('newcomers.messages.write')).fill('Bonjour Léa, le séjour de janvier nous intéresse beaucoup.');
  await family.getByRole('button', { name: fr('newcomers.messages.send') }).click();
  await family.getByText(fr('newcomers.flash.messageSent')).waitFor();
  const stays = family.locator('#sejours');
  const card = stays.getByRole('article', { name: STAY });
  await card.getByText(fr('newcomers.stays.applyTo', { title: STAY })).click();
  await card.getByLabel(fr('newcomers.stays.peopleComing')).fill('4');
  await card.getByLabel(fr('newcomers.stays.messageLabel')).fill('Nous viendrions avec les deux enfants.');
  await card.getByRole('button', { name: fr('newcomers.stays.apply') }).click();
  await family.getByText(fr('newcomers.stays.flash.applied')).waitFor();
  assert.ok(await family.locator('#sejours').getByText(fr('newcomers.stays.youApplied')).isVisible());
  await checkA11y(family, 'my project, stay applied');

  // The adviser reads the message, then selects the household on the stay's page: the case moves stage.
  await staff.goto(`/admin/accueil/${caseId}`);
  assert.ok(await staff.getByText('Bonjour Léa, le séjour de janvier nous intéresse beaucoup.').first().isVisible());
  await staff.locator('#sejours').locator('..').getByRole('link', { name: STAY }).click();
  await staff.getByRole('heading', { level: 1, name: STAY }).waitFor();
  await checkA11y(staff, 'stay page with an application');
  await staff.getByLabel(fr('newcomers.stays.decisionFor', { name: FAMILY.name })).selectOption('selected');
  await staff.getByRole('button', { name: `${fr('newcomers.stays.decideButton')} ${FAMILY.name}` }).click();
  await staff.getByText(fr('newcomers.stays.flash.decided')).waitFor();
  const applicationRow = staff.getByRole('row').filter({ has: staff.getByRole('link', { name: FAMILY.name }) });
  assert.ok(await applicationRow.getByText(fr('newcomers.stage.sejour_decouverte'), { exact: true }).isVisible());
  await checkA11y(staff, 'stay page after selection');
  const decision = await e.w.ctx.db.selectFrom('outbox_mail').select('text_body').where('to_address', '=', FAMILY.email).where('subject', '=', fr('newcomers.stays.mail.selected.subject', { stay: STAY, programme: e.w.ctx.territory.programmeName })).execute();
  assert.equal(decision.length, 1, 'the household is told it is selected');
  assert.ok(decision[0].text_body.includes(`${e.baseUrl}/mon-projet`));
  assert.ok(!decision[0].text_body.includes('Nous viendrions avec les deux enfants.'), 'the mail carries no private text');

  // On the case page: moving, then settled in Lectoure.
  await applicationRow.getByRole('link', { name: FAMILY.name }).click();
  const stage = staff.locator('#etape-section');
  await stage.getByText(fr('newcomers.stage.sejour_decouverte'), { exact: true }).waitFor();
  await stage.getByRole('button', { name: fr('newcomers.transition.moving') }).click();
  await staff.getByText(fr('newcomers.flash.stageChanged')).waitFor();
  const settle = stage.locator('form').filter({ has: staff.locator('input[name="transition"][value="settle"]') });
  await settle.getByLabel(fr('newcomers.settle.commune')).selectOption(LECTOURE);
  await settle.getByLabel(fr('newcomers.settle.date')).fill('2026-11-02');
  await settle.getByRole('button', { name: fr('newcomers.transition.settle') }).click();
  await staff.getByText(fr('newcomers.flash.stageChanged')).waitFor();
  await stage.getByText(fr('newcomers.stage.installe'), { exact: true }).waitFor();
  assert.match(await stage.innerText(), /Lectoure/);
  await checkA11y(staff, 'case page, settled');
  const funders = staff.locator('#financeurs-section');
  await funders.getByLabel(fr('newcomers.tags.builtin.leader')).check();
  await funders.getByRole('button', { name: fr('newcomers.tags.saveCase') }).click();
  await staff.getByText(fr('newcomers.flash.saved')).waitFor();
  assert.ok(await staff.locator('#financeurs-section').getByLabel(fr('newcomers.tags.builtin.leader')).isChecked());

  // The household sees its stay decision and its follow-up check-ins.
  await family.goto('/mon-projet');
  assert.ok(await family.locator('#sejours').getByText(fr('newcomers.stays.status.selected')).first().isVisible());
  await family.getByRole('heading', { level: 2, name: fr('newcomers.followups.myTitle') }).waitFor();
  await checkA11y(family, 'my project, settled');

  // The figures count one household of four settled in Lectoure in 2026.
  await staff.goto('/admin/accueil');
  await staff.getByRole('link', { name: fr('newcomers.funnel.title'), exact: true }).first().click();
  await staff.getByRole('heading', { level: 1, name: fr('newcomers.funnel.title') }).waitFor();
  await checkA11y(staff, 'funnel figures');
  const perYear = staff.getByRole('table', { name: new RegExp(`^${escapeRe(prefix('newcomers.funnel.settledYears'))}`) });
  assert.deepEqual(await rowCells(staff, perYear, '2026'), ['1', '2', '2', '4']);
  const perCommune = staff.getByRole('table', { name: new RegExp(`^${escapeRe(prefix('newcomers.funnel.perCommune'))}`) });
  assert.deepEqual(await rowCells(staff, perCommune, 'Lectoure'), ['1', '2', '2', '4']);

  // Filtered by funder: LEADER counts the household, the Département does not.
  const settledIn2026 = async () => {
    const row = perYear.getByRole('row').filter({ has: staff.getByRole('rowheader', { name: '2026', exact: true }) });
    return (await row.count()) ? (await row.getByRole('cell').first().innerText()).trim() : '0';
  };
  for (const [tag, households] of [['leader', '1'], ['departement', '0']] as const) {
    await staff.getByLabel(fr('newcomers.tags.filterTag'), { exact: true }).selectOption({ label: fr(`newcomers.tags.builtin.${tag}`) });
    await staff.getByRole('button', { name: fr('newcomers.filter.submit') }).click();
    await staff.waitForURL(/financeur=\d+/);
    assert.equal(await staff.getByLabel(fr('newcomers.tags.filterTag'), { exact: true }).locator('option:checked').innerText(), fr(`newcomers.tags.builtin.${tag}`));
    assert.equal(await settledIn2026(), households, `settled households for ${tag}`);
    await checkA11y(staff, `funnel figures for ${tag}`);
  }

  // Both exports, fetched with the adviser's session, are French Excel CSV and contain the case.
  const figures = await staff.request.get('/admin/accueil/chiffres.csv?annee=2026');
  assert.equal(figures.status(), 200);
  assert.match(figures.headers()['content-type'], /^text\/csv; charset=utf-8/);
  const figuresBytes = await figures.body();
  assert.deepEqual([...figuresBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const figureLines = figuresBytes.toString('utf8').slice(1).split('\r\n');
  assert.ok(figureLines[0].split(';').length >= 5, figureLines[0]);
  assert.ok(figureLines.includes(`"${fr('newcomers.funnel.csv.households')}";"2026";"Lectoure";"${LECTOURE}";"1"`), figureLines.join('\n'));

  const casesCsv = await staff.request.get('/admin/accueil/dossiers.csv');
  assert.equal(casesCsv.status(), 200);
  const casesBytes = await casesCsv.body();
  assert.deepEqual([...casesBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const caseLines = casesBytes.toString('utf8').slice(1).split('\r\n');
  assert.equal(caseLines[0].split(';')[6], `"${fr('newcomers.funnel.casesCsv.settledIn')}"`);
  const mine = caseLines.find((l) => l.startsWith(`"${number}";`));
  assert.ok(mine, caseLines.join('\n'));
  const cells = mine.split(';');
  assert.equal(cells[1], `"${fr('newcomers.stage.installe')}"`);
  assert.equal(cells[6], '"Lectoure"');
  assert.equal(cells[7], '"02/11/2026"');
  assert.equal(cells[8], `"${fr('newcomers.tags.builtin.leader')}"`);
  assert.ok(!mine.includes(FAMILY.name) && !mine.includes(FAMILY.email), 'no personal detail in the export');
});

// ------------------------------------------------------------------------------------------------ journey 3

test('a visitor browses the offers without JavaScript, filters by kind and opens one; a household marks its interest', async () => {
  const lea = await staffMember();
  const bakery = await createOffer(e.w.ctx, lea.actor, takeover());
  const nurse = await createOffer(e.w.ctx, lea.actor, job());
  await createOffer(e.w.ctx, lea.actor, housing());
  await createOffer(e.w.ctx, lea.actor, job({ title: 'Offre pas encore publiée', publish: false }));

  const visitor = await e.newPage({ javaScript: false });
  await visitor.goto('/');
  await visitor.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link', { name: fr('newcomers.offers.nav') }).click();
  await visitor.getByRole('heading', { level: 1, name: fr('newcomers.offers.title') }).waitFor();
  assert.equal(await visitor.getByRole('status').innerText(), fr('newcomers.offers.count', { count: 3 }));
  assert.equal(await visitor.getByText('Offre pas encore publiée').count(), 0, 'a draft is not public');
  await checkA11y(visitor, 'offers (no JS)');
  const filters = visitor.getByRole('form', { name: fr('newcomers.offers.filter.label') });
  await filters.getByLabel(fr('newcomers.offers.filter.kind')).selectOption('job');
  await filters.getByRole('button', { name: fr('newcomers.offers.filter.submit') }).click();
  await visitor.waitForURL(/\/offres\?.*type=job/);
  assert.equal(await visitor.getByRole('status').innerText(), fr('newcomers.offers.count', { count: 1 }));
  assert.equal(await visitor.getByLabel(fr('newcomers.offers.filter.kind')).inputValue(), 'job', 'the filter keeps its value');
  assert.equal(await visitor.getByRole('link', { name: 'Boulangerie de la rue Nationale' }).count(), 0);
  await checkA11y(visitor, 'offers filtered by kind (no JS)');
  await visitor.getByRole('link', { name: 'Infirmière ou infirmier au centre de santé' }).click();
  await visitor.waitForURL(`**/offres/${nurse.id}`);
  await visitor.getByRole('heading', { level: 1, name: 'Infirmière ou infirmier au centre de santé' }).waitFor();
  assert.ok(await visitor.getByText('Centre de santé d’Auch').first().isVisible());
  assert.ok(await visitor.getByText(fr('newcomers.offers.interest.applyFirst')).isVisible());
  await checkA11y(visitor, 'job offer (no JS)');
  await visitor.goto(`/offres/${bakery.id}`);
  assert.equal(await visitor.getByText('jean.cedant@exemple.fr').count(), 0, 'the seller’s contact stays private');
  await checkA11y(visitor, 'takeover offer (no JS)');

  // A household with a case says the bakery interests it; the page then says so, and so does its project page.
  const family = await e.newPage({ javaScript: false });
  await signInAs(family, ['candidate'], FAMILY);
  const { caseId } = await martinCase();
  await family.goto(`/offres/${bakery.id}`);
  await family.getByRole('button', { name: fr('newcomers.offers.interest.button') }).click();
  await family.getByText(fr('newcomers.offers.flash.interest')).waitFor();
  assert.equal(await family.locator('section[aria-labelledby="interet"]').getByRole('status').innerText(), fr('newcomers.offers.interest.already'));
  assert.equal(await family.getByRole('button', { name: fr('newcomers.offers.interest.button') }).count(), 0);
  await checkA11y(family, 'offer with interest (no JS)');
  await family.goto('/mon-projet');
  assert.ok(await family.locator('section[aria-labelledby="mes-offres"]').getByRole('link', { name: 'Boulangerie de la rue Nationale' }).isVisible());
  await checkA11y(family, 'my project with an offer (no JS)');
  const interests = await e.w.ctx.db.selectFrom('offer_interest').select('offer_id').execute();
  assert.deepEqual(interests.map((i) => Number(i.offer_id)), [bakery.id]);
  assert.match(await e.lastMailLink(lea.email), new RegExp(`/admin/accueil/${caseId}#offres$`), 'the team is told, with a link to the case');
});

test('without JavaScript a partner proposes temporary housing, the team publishes it, and visitors find it under housing', async () => {
  const lea = await staffMember();
  const committee = await partner('Marie Comité', { organisation: 'Comité d’accueil de Lectoure', communes: [LECTOURE] }, lea);
  const TITLE = 'Studio passerelle au-dessus de la mairie';

  const proposer = await e.newPage({ javaScript: false });
  await logIn(proposer, committee);
  await proposer.goto('/partenaire');
  await proposer.getByRole('link', { name: fr('newcomers.partners.home.offer') }).click();
  await proposer.getByRole('heading', { level: 1, name: fr('newcomers.offers.partner.title') }).waitFor();
  await checkA11y(proposer, 'partner offers, none yet (no JS)');
  await proposer.getByRole('main').getByRole('link', { name: fr('newcomers.offers.partner.new') }).click();
  const form = proposer.locator('main form[action="/partenaire/offres/nouvelle"]');
  await form.getByLabel(fr('newcomers.offers.kind.housing'), { exact: true }).check();
  await form.getByLabel(labelled('newcomers.offers.field.title')).fill(TITLE);
  await form.getByLabel(labelled('newcomers.offers.field.description')).fill('Meublé, pour les premiers mois d’un foyer qui cherche à acheter.');
  await form.getByLabel(labelled('newcomers.offers.field.commune')).selectOption(LECTOURE);
  await form.getByLabel(labelled('newcomers.offers.field.expiresOn')).fill('2027-02-28');
  await form.getByLabel(labelled('newcomers.offers.field.housingType')).selectOption('temporary');
  await form.getByLabel(labelled('newcomers.offers.field.priceOrRent')).fill('450');
  await form.getByRole('button', { name: fr('newcomers.offers.partner.submit') }).click();
  await proposer.getByText(fr('newcomers.offers.flash.proposed')).waitFor();
  assert.match(await proposer.getByRole('row').filter({ hasText: TITLE }).innerText(), new RegExp(escapeRe(fr('newcomers.offers.status.proposed'))));
  await checkA11y(proposer, 'partner offers with a proposal (no JS)');

  const visitor = await e.newPage({ javaScript: false });
  await visitor.goto('/offres?type=housing&logement=temporary');
  assert.equal(await visitor.getByRole('status').innerText(), fr('newcomers.offers.count', { count: 0 }), 'not public before the team publishes it');

  const staff = await e.newPage({ javaScript: false });
  await logIn(staff, { email: lea.email, password: PASSWORD });
  await staff.goto('/admin/offres');
  await staff.getByRole('link', { name: TITLE }).click();
  await staff.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await checkA11y(staff, 'proposed offer (team, no JS)');
  await staff.getByRole('button', { name: fr('newcomers.offers.staff.publish'), exact: true }).click();
  await staff.getByText(fr('newcomers.offers.flash.published')).waitFor();
  await checkA11y(staff, 'published offer (team, no JS)');
  assert.match(await e.lastMailLink(committee.email), /\/offres/, 'the partner is told its proposal is published');

  await visitor.goto('/offres');
  const filters = visitor.getByRole('form', { name: fr('newcomers.offers.filter.label') });
  await filters.getByLabel(fr('newcomers.offers.filter.kind')).selectOption('housing');
  await filters.getByLabel(fr('newcomers.offers.filter.housing')).selectOption('temporary');
  await filters.getByRole('button', { name: fr('newcomers.offers.filter.submit') }).click();
  await visitor.waitForURL(/logement=temporary/);
  assert.equal(await visitor.getByRole('status').innerText(), fr('newcomers.offers.count', { count: 1 }));
  await visitor.getByRole('link', { name: TITLE }).click();
  await visitor.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await checkA11y(visitor, 'temporary housing offer (no JS)');
});

// ------------------------------------------------------------------------------------------------ journey 4: the tour

/**
 * A programme in full swing around the Martins' case: settled in Lectoure a month ago (a check-in is due), after a
 * discovery stay; shared with the Lectoure committee; paired with a buddy; tagged for a funder; interested in an
 * offer; plus a stay still open, a partner's proposal and the Lectoure committee's profile.
 */
async function seedProgramme(staff: { id: string; actor: ReturnType<typeof actorFor> }) {
  const ctx = e.w.ctx;
  const household = await createUser(ctx, { roles: ['candidate'], ...FAMILY });
  const householdActor = actorFor(ctx, household, ['candidate']);
  const { caseId, number } = await martinCase();
  const committee = await partner('Marie Comité', { organisation: 'Comité d’accueil de Lectoure', communes: [LECTOURE] }, staff);
  const buddy = await createUser(ctx, { roles: ['member'], name: 'Jeanne Marraine', email: 'jeanne.marraine@exemple.fr' });
  await markMemberAsBuddy(ctx, staff.actor, { email: buddy.email, homeInsee: LECTOURE, projects: ['telework', 'takeover'], presentation: 'Installée à Lectoure depuis 2019, télétravailleuse.', maxHouseholds: 2 });

  await assignAdviser(ctx, staff.actor, caseId, staff.id);
  await qualifyCase(ctx, staff.actor, caseId);
  await startAccompaniment(ctx, staff.actor, caseId);
  const past = await createStay(ctx, staff.actor, { title: 'Trois jours autour de Lectoure', summary: 'Visites, rencontres et repas partagés.', startsOn: '2026-12-10', endsOn: '2026-12-12', applyBy: '2026-12-01', seats: 4, status: 'open' });
  await addProgrammeItem(ctx, staff.actor, past.id, { day: '2026-12-10', startsAt: '10:00', kind: 'visit', itemTitle: 'Visite du tiers-lieu', place: 'La Fabrique', insee: LECTOURE });
  await applyToStay(ctx, householdActor, past.id, { people: 4, message: 'Avec les deux enfants.' });
  const application = await ctx.db.selectFrom('stay_application').select('id').where('stay_id', '=', past.id).executeTakeFirstOrThrow();
  await decideApplication(ctx, staff.actor, past.id, Number(application.id), 'selected');
  const open = await createStay(ctx, staff.actor, { title: 'Un week-end à Auch', startsOn: '2027-02-05', endsOn: '2027-02-07', applyBy: '2027-01-25', seats: 6, status: 'open' });
  await startMoving(ctx, staff.actor, caseId);
  await markSettled(ctx, staff.actor, caseId, { settledInsee: LECTOURE, settledOn: '2026-10-20' });

  await shareCaseWithPartner(ctx, staff.actor, caseId, committee.id);
  const [tag] = await listFunderTagsForStaff(ctx, staff.actor);
  await setCaseFunderTags(ctx, staff.actor, caseId, [tag.id]);
  await confirmBuddyPairing(ctx, staff.actor, caseId, buddy.id);
  const bakery = await createOffer(ctx, staff.actor, takeover());
  await createOffer(ctx, staff.actor, housing());
  await markInterest(ctx, householdActor, bakery.id);
  await proposeOffer(ctx, committee.actor, housing({ title: 'Logement passerelle près de la halle', publish: false }));
  return { caseId, number, household, committee, buddy, stays: { past: past.id, open: open.id }, bakery: bakery.id };
}

/** Opens a page, expects it served, then audits it. */
async function visit(page: Page, url: string, label: string) {
  const response = await page.goto(url);
  assert.equal(response?.status(), 200, `${label}: ${url} answers 200`);
  await checkA11y(page, label);
}

async function logIn(page: Page, user: { email: string; password: string }) {
  await page.goto('/connexion');
  await page.getByLabel(fr('accounts.login.email')).fill(user.email);
  await page.getByLabel(fr('accounts.login.password')).fill(user.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.locator('main form button[type="submit"]').click()]);
}

const CASE_SECTIONS = [
  'newcomers.case.stageTitle',
  'newcomers.tags.caseTitle',
  'newcomers.case.household',
  'newcomers.case.adviserTitle',
  'newcomers.tasks.title',
  'newcomers.checklist.title',
  'newcomers.messages.title',
  'newcomers.notes.title',
  'newcomers.timeline.title',
  'newcomers.stays.caseTitle',
  'newcomers.partners.case.title',
  'newcomers.buddies.title',
  'newcomers.followups.title',
  'newcomers.documents.title',
  'newcomers.offers.case.title',
];

test('tour with JavaScript: every page of the programme, opened by the role that uses it', async () => {
  const staff = await e.newPage();
  const lea = await signInAs(staff, ['staff'], { name: 'Léa Dupuis' });
  const s = await seedProgramme(lea);

  // The household first adds a document, so both sides show one.
  const family = await e.newPage();
  await logIn(family, { email: FAMILY.email, password: PASSWORD });
  await family.goto('/mon-projet');
  await family.getByLabel(fr('newcomers.documents.file')).setInputFiles({ name: 'avis-imposition.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
  await family.getByRole('button', { name: fr('newcomers.documents.upload') }).click();
  await family.getByText(fr('newcomers.documents.flash.added')).waitFor();
  for (const key of ['newcomers.documents.title', 'newcomers.stays.householdTitle', 'newcomers.followups.myTitle', 'newcomers.buddies.yourBuddy', 'newcomers.offers.my.title', 'newcomers.messages.title']) {
    await family.getByRole('heading', { level: 2, name: fr(key) }).waitFor();
  }
  assert.ok(await family.getByRole('link', { name: /avis-imposition\.pdf/ }).isVisible());
  assert.ok(await family.locator('#suivi-section form[action="/mon-projet/suivi"]').isVisible(), 'the one-month check-in is open');
  await checkA11y(family, 'my project, every section');
  await visit(family, `/mon-projet/sejours/${s.stays.open}`, 'open stay (household)');
  await visit(family, '/mon-projet/suppression', 'deletion request (household)');

  // The team's pages.
  await visit(staff, '/admin/accueil/partenaires', 'partners');
  await visit(staff, `/admin/accueil/partenaires/${s.committee.id}`, 'partner profile');
  await visit(staff, '/admin/accueil/sejours', 'stays');
  await visit(staff, `/admin/accueil/sejours/${s.stays.past}`, 'stay with a selected household');
  await visit(staff, '/admin/accueil/parrains', 'buddies');
  await visit(staff, '/admin/accueil/financeurs', 'funder tags');
  await visit(staff, '/admin/accueil/chiffres', 'figures');
  await visit(staff, '/admin/accueil/chiffres?annee=toutes', 'figures, all years');
  await visit(staff, '/admin/accueil/conservation', 'retention');
  await visit(staff, '/admin/offres', 'offers (team)');
  await visit(staff, '/admin/offres/nouvelle', 'new offer (team)');
  await visit(staff, `/admin/offres/${s.bakery}`, 'offer (team)');
  await visit(staff, `/admin/accueil/${s.caseId}`, 'case page, every section');
  for (const key of CASE_SECTIONS) await staff.getByRole('heading', { level: 2, name: fr(key), exact: true }).waitFor();
  assert.ok(await staff.getByRole('link', { name: /avis-imposition\.pdf/ }).isVisible());
  assert.ok(await staff.locator('#partenaires-section').getByText('Comité d’accueil de Lectoure', { exact: true }).isVisible());
  assert.ok(await staff.getByText('Jeanne Marraine').first().isVisible(), 'the pairing shows on the case');

  // The partner, the buddy and a visitor.
  const committee = await e.newPage();
  await logIn(committee, s.committee);
  await visit(committee, '/partenaire', 'partner area');
  await visit(committee, `/partenaire/dossiers/${s.caseId}`, 'shared case (partner)');
  await visit(committee, '/partenaire/offres', 'partner offers');
  assert.ok(await committee.getByText('Logement passerelle près de la halle').isVisible());
  await visit(committee, '/partenaire/offres/nouvelle', 'new offer (partner)');
  const buddy = await e.newPage();
  await logIn(buddy, s.buddy);
  await visit(buddy, '/parrainage', 'buddy page (member)');
  const households = buddy.locator('section[aria-labelledby="foyers"]');
  assert.ok(await households.getByRole('heading', { level: 3, name: 'Camille' }).isVisible(), 'the pairing shows on the buddy’s side');
  assert.ok(await households.getByRole('link', { name: FAMILY.email }).isVisible());
  const visitor = await e.newPage();
  await visit(visitor, '/offres', 'offers');
  await visit(visitor, `/offres/${s.bakery}`, 'offer');
});

test('tour without JavaScript: the forms pages, and what they answer to a form sent with mistakes', async () => {
  const staff = await e.newPage({ javaScript: false });
  const lea = await signInAs(staff, ['staff'], { name: 'Léa Dupuis' });
  const s = await seedProgramme(lea);

  await visit(staff, `/admin/accueil/partenaires/${s.committee.id}`, 'partner profile (no JS)');
  await staff.getByLabel(fr('newcomers.partners.edit.organisation')).fill('');
  await staff.getByLabel(fr('newcomers.partners.edit.communes')).fill('99999');
  await staff.getByRole('button', { name: fr('newcomers.partners.edit.save') }).click();
  await staff.getByRole('alert').first().waitFor();
  assert.equal(await staff.getByLabel(fr('newcomers.partners.edit.communes')).inputValue(), '99999', 'the values come back');
  await checkA11y(staff, 'partner profile with errors (no JS)');

  await visit(staff, '/admin/accueil/sejours', 'stays (no JS)');
  await staff.locator('main form[action="/admin/accueil/sejours"]').getByRole('button', { name: fr('newcomers.stays.create') }).click();
  await staff.getByRole('alert').first().waitFor();
  await checkA11y(staff, 'new stay with errors (no JS)');
  await visit(staff, `/admin/accueil/sejours/${s.stays.open}`, 'open stay (no JS)');
  await visit(staff, '/admin/accueil/parrains', 'buddies (no JS)');
  await visit(staff, '/admin/accueil/financeurs', 'funder tags (no JS)');
  await visit(staff, '/admin/accueil/chiffres', 'figures (no JS)');
  await visit(staff, '/admin/accueil/conservation', 'retention (no JS)');
  await visit(staff, '/admin/offres/nouvelle', 'new offer (no JS)');
  await staff.locator('main form[action="/admin/offres/nouvelle"]').getByRole('button').first().click();
  await staff.getByRole('alert').first().waitFor();
  await checkA11y(staff, 'new offer with errors (no JS)');
  await visit(staff, `/admin/accueil/${s.caseId}`, 'case page (no JS)');
  for (const key of CASE_SECTIONS) await staff.getByRole('heading', { level: 2, name: fr(key), exact: true }).waitFor();

  const buddy = await e.newPage({ javaScript: false });
  await logIn(buddy, s.buddy);
  await visit(buddy, '/parrainage', 'buddy page (member, no JS)');
  const committee = await e.newPage({ javaScript: false });
  await logIn(committee, s.committee);
  await visit(committee, '/partenaire/offres/nouvelle', 'new offer (partner, no JS)');
  await visit(committee, `/partenaire/dossiers/${s.caseId}`, 'shared case (partner, no JS)');
  const family = await e.newPage({ javaScript: false });
  await logIn(family, { email: FAMILY.email, password: PASSWORD });
  await visit(family, '/mon-projet', 'my project (no JS)');
  await family.locator('#suivi-section').getByRole('button', { name: fr('newcomers.followups.send') }).click();
  await family.getByRole('alert').first().waitFor();
  await checkA11y(family, 'follow-up answer with errors (no JS)');
  // Applying to the open stay from the project page: a mistake comes back on the stay's page, with the message.
  const open = family.getByRole('article', { name: 'Un week-end à Auch' });
  await open.getByText(fr('newcomers.stays.applyTo', { title: 'Un week-end à Auch' })).click();
  await open.getByLabel(fr('newcomers.stays.peopleComing')).fill('0');
  await open.getByLabel(fr('newcomers.stays.messageLabel')).fill('Nous serions trois.');
  await open.getByRole('button', { name: fr('newcomers.stays.apply') }).click();
  await family.getByRole('alert').first().waitFor();
  assert.match(family.url(), new RegExp(`/mon-projet/sejours/${s.stays.open}$`));
  assert.ok(await family.locator('#e-people').getByText(fr('newcomers.stays.peopleInvalid')).isVisible());
  assert.equal(await family.getByLabel(fr('newcomers.stays.messageLabel')).inputValue(), 'Nous serions trois.', 'the message is kept');
  await checkA11y(family, 'stay application with errors (household, no JS)');
  await family.getByLabel(fr('newcomers.stays.peopleComing')).fill('3');
  await family.getByRole('button', { name: fr('newcomers.stays.apply') }).click();
  await family.getByText(fr('newcomers.stays.flash.applied')).waitFor();
  assert.ok(await family.getByRole('article', { name: 'Un week-end à Auch' }).getByText(fr('newcomers.stays.youApplied')).isVisible());
  await visit(family, `/mon-projet/sejours/${s.stays.open}`, 'open stay (household, no JS)');
  const visitor = await e.newPage({ javaScript: false });
  await visit(visitor, '/offres', 'offers (no JS)');
  await visit(visitor, `/offres/${s.bakery}`, 'offer (no JS)');
});

/**
 * The design's rules that axe does not measure: at 320 CSS pixels wide the page reflows without scrolling
 * sideways (tables scroll inside their own box), and every field and button is at least 44 pixels tall.
 */
async function checkNarrowLayout(page: Page, label: string) {
  const facts = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    small: [...document.querySelectorAll('main input, main select, main textarea, main button, main .button')]
      .filter((el) => !(el instanceof HTMLInputElement && ['hidden', 'checkbox', 'radio'].includes(el.type)))
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el instanceof HTMLInputElement ? `[type=${el.type}]` : ''} (${Math.round(el.getBoundingClientRect().height)} px)`),
  }));
  assert.ok(facts.scrollWidth <= facts.width, `${label}: the page is ${facts.scrollWidth} px wide on a ${facts.width} px screen`);
  assert.deepEqual(facts.small, [], `${label}: fields and buttons at least 44 px tall`);
}

test('at 320 pixels wide every programme page reflows, and its fields and buttons are 44 pixel targets', async () => {
  const narrow = { viewport: { width: 320, height: 720 } };
  const staff = await e.newPage(narrow);
  const lea = await signInAs(staff, ['staff'], { name: 'Léa Dupuis' });
  const s = await seedProgramme(lea);
  const family = await e.newPage(narrow);
  await logIn(family, { email: FAMILY.email, password: PASSWORD });
  const committee = await e.newPage(narrow);
  await logIn(committee, s.committee);
  const buddy = await e.newPage(narrow);
  await logIn(buddy, s.buddy);
  const visitor = await e.newPage(narrow);
  const pages: [Page, string][] = [
    ...[
      `/admin/accueil/${s.caseId}`,
      '/admin/accueil/chiffres',
      '/admin/accueil/sejours',
      `/admin/accueil/sejours/${s.stays.past}`,
      '/admin/accueil/partenaires',
      `/admin/accueil/partenaires/${s.committee.id}`,
      '/admin/accueil/parrains',
      '/admin/accueil/financeurs',
      '/admin/accueil/conservation',
      '/admin/offres',
      '/admin/offres/nouvelle',
      `/admin/offres/${s.bakery}`,
    ].map((url): [Page, string] => [staff, url]),
    [family, '/mon-projet'],
    [family, `/mon-projet/sejours/${s.stays.open}`],
    [committee, '/partenaire'],
    [committee, `/partenaire/dossiers/${s.caseId}`],
    [committee, '/partenaire/offres/nouvelle'],
    [buddy, '/parrainage'],
    [visitor, '/offres'],
    [visitor, `/offres/${s.bakery}`],
  ];
  for (const [page, url] of pages) {
    const response = await page.goto(url);
    assert.equal(response?.status(), 200, url);
    await checkNarrowLayout(page, url);
  }
});
