/**
 * The members' journeys in a real browser, axe on every page: an admin sets a plan; a visitor applies at
 * /adherer (first forgetting the statutes), activates the account; the team approves and records a cheque whose
 * receipt is 2026-0001 (the test clock is on 27 November 2026), as a page and a PDF; the member sees their
 * membership and card, on a desktop and on a phone, and the card's QR link says only "valid until". Then a
 * member whose membership ends in 30 days gets exactly one reminder, follows it and renews. The member adds the
 * skill "Développement web" and joins the public showcase; a visitor finds her by typing `developpement`. A member
 * uploads a real photo, sees it re-encoded, and a text file named `.png` is refused in French with her profile kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { tFor } from '../../src/web/i18n/index.js';
import { runReminderRound } from '../../src/domains/members/renewals/index.js';
import { approvedMember, makePlan } from '../../src/domains/members/members.testing.js';
import { hashPassword } from '../../src/domains/accounts/index.js';
import { checkA11y, MOBILE, useE2E } from '../support/e2e.js';
import { actorFor, createUser, PASSWORD } from '../support/factories.js';

const fr = tFor('fr');
/** A field's label starts with its text (required fields add "(obligatoire)"). */
const label = (key: string) => new RegExp(`^${fr(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
const e = useE2E();
const EMAIL = 'ines.lafitte@exemple.fr';

test('a visitor applies, the team approves and records a cheque (receipt 2026-0001), the member sees the card', async () => {
  // An admin sets the plan.
  const admin = await e.newPage();
  await e.signIn(admin, ['admin', 'staff'], { name: 'Hélène Admin', email: 'admin@exemple.fr' });
  await admin.goto('/admin/adherents');
  await admin.getByRole('heading', { level: 1, name: fr('members.staff.title') }).waitFor();
  await checkA11y(admin, 'members list, empty');
  await admin.getByRole('link', { name: fr('members.plans.title') }).click();
  await admin.getByRole('heading', { level: 1, name: fr('members.plans.title') }).waitFor();
  await checkA11y(admin, 'plans');
  const planForm = admin.locator('main form[action="/admin/adherents/formules"]');
  await planForm.getByLabel(label('members.plans.name')).fill('Individuel');
  await planForm.getByLabel(label('members.plans.price')).fill('30');
  await planForm.getByLabel(label('members.plans.period')).selectOption('calendar_year');
  await planForm.getByRole('button', { name: fr('members.plans.create') }).click();
  await admin.getByText(fr('members.flash.planSaved')).waitFor();

  // A visitor applies, forgetting the statutes at first.
  const visitor = await e.newPage({ javaScript: false });
  await visitor.goto('/');
  await visitor.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link', { name: fr('members.nav.join') }).click();
  await visitor.getByRole('heading', { level: 1, name: fr('members.join.title') }).waitFor();
  await checkA11y(visitor, 'application form');
  const form = visitor.locator('main form[action="/adherer"]');
  await form.getByLabel(label('members.join.firstName')).fill('Inès');
  await form.getByLabel(label('members.join.lastName')).fill('Lafitte');
  await form.getByLabel(label('members.join.email')).fill(EMAIL);
  await form.getByLabel(label('members.join.activity')).fill('Développeuse web indépendante');
  await form.getByLabel(label('members.join.commune')).selectOption({ label: 'Lectoure' });
  await form.getByLabel(label('members.join.plan')).selectOption({ index: 1 });
  await form.getByLabel(label('members.join.acceptPrivacy')).check();
  await form.getByRole('button', { name: fr('members.join.submit') }).click();
  await visitor.getByRole('alert').waitFor();
  assert.ok((await visitor.locator('#e-acceptStatutes').innerText()).includes(fr('members.join.statutesRequired')));
  assert.equal(await visitor.getByLabel(label('members.join.firstName')).inputValue(), 'Inès');
  await checkA11y(visitor, 'application form with errors');
  const statutes = await e.newPage({ javaScript: false });
  await statutes.goto(await visitor.getByRole('link', { name: fr('members.statutes.title') }).getAttribute('href').then((h) => h!));
  await statutes.getByRole('heading', { level: 1, name: fr('members.statutes.title') }).waitFor();
  await checkA11y(statutes, 'statutes');
  await visitor.locator('main form[action="/adherer"]').getByLabel(label('members.join.acceptStatutes')).check();
  assert.ok(await visitor.locator('main form[action="/adherer"]').getByLabel(label('members.join.acceptPrivacy')).isChecked(), 'the privacy box stays ticked');
  await visitor.getByRole('button', { name: fr('members.join.submit') }).click();
  await visitor.getByRole('heading', { level: 1, name: fr('members.join.sent.title') }).waitFor();
  await checkA11y(visitor, 'application sent');

  // The team approves and records a cheque.
  const staff = await e.newPage();
  await e.signIn(staff, ['staff'], { name: 'Léa Dupuis' });
  await staff.goto('/admin/adherents?statut=en_attente');
  await staff.getByRole('link', { name: 'Lafitte Inès' }).click();
  await staff.getByRole('heading', { level: 1, name: 'Inès Lafitte' }).waitFor();
  await checkA11y(staff, 'member page, pending');
  await staff.getByLabel(label('members.decision.message')).fill('Bienvenue dans la communauté !');
  await staff.getByRole('button', { name: fr('members.decision.approve') }).click();
  await staff.getByText(fr('members.flash.approved')).waitFor();
  const pay = staff.locator('main form[action$="/paiements"]');
  assert.equal(await pay.getByLabel(label('members.dues.amountEuros')).inputValue(), '30');
  assert.equal(await pay.getByLabel(label('members.dues.paidOn')).inputValue(), '2026-11-27');
  await pay.getByRole('textbox', { name: fr('members.dues.reference'), exact: true }).fill('Chèque n° 7654321');
  await pay.getByRole('button', { name: fr('members.dues.submit') }).click();
  await staff.getByText(fr('members.flash.paid', { receipt: '2026-0001' })).waitFor();
  await checkA11y(staff, 'member page, paid');
  await staff.getByRole('link', { name: '2026-0001' }).click();
  await staff.getByRole('heading', { level: 1, name: fr('members.receipt.title', { number: '2026-0001' }) }).waitFor();
  await checkA11y(staff, 'receipt');
  const pdf = await staff.request.get(await staff.getByRole('link', { name: fr('members.receipt.pdf') }).getAttribute('href').then((h) => h!));
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const bytes = (await pdf.body()).toString('latin1');
  assert.ok(bytes.startsWith('%PDF-1.4') && bytes.includes('2026-0001'));

  // The member activates the account, sees the membership and the card.
  const activation = await e.w.ctx.db.selectFrom('outbox_mail').select('text_body').where('to_address', '=', EMAIL).where('subject', 'like', 'Activez%').executeTakeFirstOrThrow();
  const link = new RegExp(`${e.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+`).exec(activation.text_body)![0];
  const member = await e.newPage({ viewport: MOBILE });
  await member.goto(link);
  // Activation has its own page; choosing the password signs the member in.
  await member.getByLabel(label('accounts.activate.password')).fill('les remparts de Lectoure');
  await member.locator('main form button[type="submit"]').click();
  await member.waitForURL((url) => !url.pathname.startsWith('/compte/activer'));
  await member.goto('/compte/adhesion');
  await member.getByRole('heading', { level: 1, name: fr('members.my.title') }).waitFor();
  assert.ok(await member.getByText(fr('members.status.actif')).first().isVisible());
  await checkA11y(member, 'my membership');
  await member.getByRole('link', { name: fr('members.card.title') }).first().click();
  await member.getByRole('heading', { level: 1, name: fr('members.card.title') }).waitFor();
  assert.ok(await member.getByText('M-000001').isVisible());
  assert.ok(await member.getByText(fr('members.card.validUntil', { date: '31 décembre 2026' })).isVisible());
  const qr = member.getByRole('img', { name: fr('members.card.qrLabel') });
  const box = (await qr.boundingBox())!;
  assert.ok(box.width >= 150 && box.x + box.width <= MOBILE.width, 'the QR code is large enough and fits the phone screen');
  const overflow = await member.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no sideways scrolling on a phone');
  await checkA11y(member, 'member card on a phone');
  await member.emulateMedia({ media: 'print' });
  assert.equal(await member.locator('.site-header').isVisible(), false, 'printing shows the card only');
  await member.emulateMedia({ media: 'screen' });
  const url = (await member.locator('.member-card-url').innerText()).trim();
  const check = await e.newPage();
  await check.goto(url);
  await check.getByText(fr('members.verify.valid', { date: '31 décembre 2026' })).waitFor();
  assert.equal(await check.getByText('Lafitte').count(), 0);
  await checkA11y(check, 'card verification');

  // The profile: the skill "Développement web", the public showcase with name, activity and skills public.
  await member.setViewportSize({ width: 1280, height: 900 });
  await member.goto('/compte/profil');
  await member.getByRole('heading', { level: 1, name: fr('members.profile.title') }).waitFor();
  await checkA11y(member, 'profile form');
  await member.getByLabel(fr('members.profile.skills'), { exact: true }).fill('Développement web');
  await member.getByLabel(fr('members.profile.publicShowcase')).check();
  for (const field of ['name', 'activity', 'skills']) {
    await member.getByLabel(fr('members.profile.whoSees', { field: fr(`members.profile.field.${field}`) })).selectOption('public');
  }
  await member.getByRole('button', { name: fr('members.profile.save') }).click();
  await member.getByText(fr('members.profile.saved')).waitFor();

  // A visitor finds her by typing the word without its accent; her address is on no public page or answer.
  const finder = await e.newPage();
  await finder.goto('/annuaire');
  await checkA11y(finder, 'public showcase');
  await finder.getByLabel(fr('members.directory.search'), { exact: true }).fill('developpement');
  await finder.getByRole('button', { name: fr('members.directory.submit'), exact: true }).click();
  await finder.getByRole('link', { name: 'Inès Lafitte' }).click();
  await finder.getByRole('heading', { level: 1, name: 'Inès Lafitte' }).waitFor();
  assert.ok(await finder.getByText('Développement web').isVisible());
  assert.equal(await finder.getByText(EMAIL).count(), 0);
  await checkA11y(finder, 'public entry');
  await finder.goto('/annuaire/carte');
  await checkA11y(finder, 'map of solos');
  const api = await finder.request.get('/api/v1/annuaire?q=developpement');
  const text = await api.text();
  assert.ok(text.includes('Inès Lafitte') && !text.includes(EMAIL));
});

test('a member whose membership ends in 30 days gets exactly one reminder, follows it and renews', async () => {
  const staffUser = await createUser(e.w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  const staff = actorFor(e.w.ctx, staffUser, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
  const planId = await makePlan(e.w.ctx, { period: 'twelve_months' });
  e.w.clock.set('2025-12-27T10:00:00Z');
  await approvedMember(e.w.ctx, staff, planId, { email: EMAIL, firstName: 'Inès', lastName: 'Lafitte' }, '2025-12-27');
  e.w.clock.set('2026-11-27T08:30:00Z');
  await e.w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: e.w.clock.now() }).where('email', '=', EMAIL).execute();
  assert.equal(await runReminderRound(e.w.ctx), 1);
  assert.equal(await runReminderRound(e.w.ctx), 0);
  const reminders = await e.w.ctx.db.selectFrom('outbox_mail').select('subject').where('to_address', '=', EMAIL).where('subject', 'like', 'Votre adhésion arrive%').execute();
  assert.equal(reminders.length, 1);

  const page = await e.newPage();
  await page.goto(await e.lastMailLink(EMAIL));
  await page.getByLabel(/^Adresse e-mail/).fill(EMAIL);
  await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await page.locator('main form button[type="submit"]').click();
  await page.getByRole('heading', { level: 1, name: fr('members.renew.title') }).waitFor();
  assert.ok(await page.getByText(fr('members.status.expire_bientot')).isVisible());
  await checkA11y(page, 'renewal');
  await page.getByRole('button', { name: fr('members.renew.submit') }).click();
  await page.getByText(fr('members.flash.renewalRequested')).waitFor();
  await checkA11y(page, 'my membership after renewing');

  const team = await e.newPage();
  await team.goto('/connexion');
  await team.getByLabel(/^Adresse e-mail/).fill('equipe@exemple.fr');
  await team.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await team.locator('main form button[type="submit"]').click();
  await team.waitForURL((url) => !url.pathname.startsWith('/connexion'));
  await team.goto('/admin/adherents?statut=expire_bientot');
  await team.getByRole('link', { name: 'Lafitte Inès' }).click();
  assert.ok(await team.getByText(fr('members.reminders.before', { days: 30 })).isVisible(), 'the team sees the reminder');
  await team.locator('main form[action$="/paiements"]').getByRole('button', { name: fr('members.dues.submit') }).click();
  await team.getByText(fr('members.flash.paid', { receipt: '2026-0001' })).waitFor();
  await checkA11y(team, 'member page after renewal');
  await page.goto('/compte/adhesion');
  assert.ok(await page.getByText(fr('members.my.validUntil', { date: '26 décembre 2027' })).isVisible());
  e.w.clock.set('2026-12-20T09:00:00Z');
  assert.equal(await runReminderRound(e.w.ctx), 0, 'no reminder for the renewed membership');
});

test('a member uploads a real photo and sees it re-encoded; a text file named .png is refused in French and her profile stays as it was', async () => {
  const staffUser = await createUser(e.w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  const staff = actorFor(e.w.ctx, staffUser, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
  const planId = await makePlan(e.w.ctx);
  await approvedMember(e.w.ctx, staff, planId, { email: EMAIL, firstName: 'Inès', lastName: 'Lafitte' }, '2026-11-20');
  await e.w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: e.w.clock.now() }).where('email', '=', EMAIL).execute();

  const page = await e.newPage();
  await page.goto('/connexion');
  await page.getByLabel(/^Adresse e-mail/).fill(EMAIL);
  await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.locator('main form button[type="submit"]').click()]);
  await page.goto('/compte/profil');
  await page.getByRole('heading', { level: 1, name: fr('members.profile.title') }).waitFor();
  await page.getByLabel(label('members.profile.bio')).fill('Sites accessibles pour les artisans du Gers.');
  await page.getByRole('button', { name: fr('members.profile.save') }).click();
  await page.getByText(fr('members.profile.saved')).waitFor();
  assert.ok(await page.getByText(fr('members.photo.none')).isVisible());
  await checkA11y(page, 'my profile without a photo');

  // A real photo: a small JPEG as a phone would send it, with its camera metadata.
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 47, g: 107, b: 58 } } })
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Make: 'AppareilSecret', Copyright: 'Position 43.64 0.58' } })
    .toBuffer();
  const photoForm = page.locator('main form[action="/compte/profil/photo"]');
  await photoForm.locator('input[type="file"][name="photo"]').setInputFiles({ name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await photoForm.getByRole('button', { name: fr('members.photo.upload') }).click();
  await page.getByText(fr('members.photo.saved')).waitFor();
  const img = page.locator('#photo img.member-photo');
  await img.waitFor();
  assert.equal(await img.getAttribute('alt'), fr('members.photo.alt', { name: 'Inès Lafitte' }));
  assert.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), 'the browser shows the photo');
  const src = (await img.getAttribute('src'))!;
  assert.match(src, /^\/annuaire\/photos\/[0-9a-f-]{36}\/400\.webp$/);
  const served = await page.request.get(src);
  assert.equal(served.status(), 200);
  assert.equal(served.headers()['content-type'], 'image/webp');
  const bytes = await served.body();
  assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WEBP', 're-encoded by the server');
  assert.ok(!bytes.includes('AppareilSecret') && !bytes.includes('Position 43'), 'the camera metadata is gone');
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.width, meta.height, 'cropped square');
  await checkA11y(page, 'my profile with a photo');

  // A script named .png: refused in French, next to the field; the photo and the profile are as they were.
  await photoForm.locator('input[type="file"][name="photo"]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('<script>alert("photo")</script>\n') });
  await photoForm.getByRole('button', { name: fr('members.photo.replace') }).click();
  await page.getByText(fr('members.photo.badType')).first().waitFor();
  assert.ok(await page.locator('#photo').getByText(fr('members.photo.badType')).first().isVisible(), 'the message is in the photo form');
  assert.equal(await page.locator('#photo img.member-photo').getAttribute('src'), src, 'the photo shown is still the first one');
  assert.equal(await page.getByLabel(label('members.profile.displayName')).inputValue(), 'Inès Lafitte');
  assert.equal(await page.getByLabel(label('members.profile.bio')).inputValue(), 'Sites accessibles pour les artisans du Gers.');
  assert.equal(await page.getByLabel(label('members.profile.activity')).inputValue(), 'Développeuse web indépendante');
  await checkA11y(page, 'my profile with a refused photo');
  const stored = await e.w.ctx.db.selectFrom('member_photo').select('id').execute();
  assert.equal(stored.length, 1);
  assert.ok(src.includes(stored[0].id), 'the refused file replaced nothing');
});

test('at 320 px wide the joining pages and the card check never scroll sideways, in English too', async () => {
  await makePlan(e.w.ctx);
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  for (const path of ['/adherer', '/adherer/statuts', '/adherer/confidentialite', '/adherents/verifier/inconnu', '/annuaire', '/annuaire/carte']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await checkA11y(page, `${path} at 320 px`);
  }
  const english = await e.newPage({ locale: 'en-GB' });
  await english.goto('/adherer');
  await english.getByRole('heading', { level: 1, name: tFor('en')('members.join.title') }).waitFor();
  await checkA11y(english, 'application form in English');
});
