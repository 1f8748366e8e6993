/**
 * The outbox and the audit log in a real browser: an admin filters the mails, opens a held one, resends it
 * and follows its history to the journal. axe checks each page, and at 320 px nothing scrolls sideways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queueMail } from '../../src/domains/mail/index.js';
import { jobHandlers } from '../../src/modules.js';
import { JobWorker } from '../../src/jobs/worker.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');

const e = useE2E();

async function heldMail() {
  const { ctx } = e.w;
  const long = 'https://exemple.fr/un-lien-tres-long-qui-ne-doit-pas-deborder-de-la-page-meme-sur-un-petit-ecran-0123456789abcdef';
  const id = await ctx.db.transaction().execute((trx) =>
    queueMail(trx, ctx, { to: 'anne.martin@exemple.fr', subject: 'Bienvenue dans le Gers', text: `Bonjour Anne,\n\nVotre lien : ${long}\n\nL’équipe` }),
  );
  await new JobWorker(ctx, jobHandlers).runOnce();
  return id;
}

test('an admin finds a held mail, resends it and reads its history in the journal', async () => {
  const id = await heldMail();
  const page = await e.newPage();
  await e.signIn(page, ['admin']);
  await page.goto('/admin/courriels');
  await page.getByRole('heading', { level: 1, name: fr('mail.admin.title') }).waitFor();
  await checkA11y(page, 'outbox');

  await page.getByLabel(fr('mail.admin.filter.state')).selectOption('held');
  await page.getByRole('button', { name: fr('mail.admin.filter.submit') }).click();
  await page.waitForURL('**/admin/courriels?etat=held');
  await page.getByRole('link', { name: 'Bienvenue dans le Gers' }).click();
  await page.waitForURL(`**/admin/courriels/${id}`);
  assert.match(await page.locator('pre.mail-body').innerText(), /Bonjour Anne/);
  await checkA11y(page, 'held mail');

  await page.getByRole('button', { name: fr('mail.admin.resend.submit') }).click();
  await page.getByText(fr('mail.admin.requeued')).waitFor();
  assert.equal(await page.locator('.mail-state').first().innerText(), fr('mail.state.pending'));
  await checkA11y(page, 'mail after resend');

  await page.getByRole('link', { name: fr('mail.admin.detail.history') }).click();
  await page.getByRole('heading', { level: 1, name: fr('audit.title') }).waitFor();
  await page.getByText('mail.requeued').waitFor();
  await checkA11y(page, 'journal filtered on one mail');
});

test('at 320 px wide the outbox, a mail and the journal never scroll sideways', async () => {
  const id = await heldMail();
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  await e.signIn(page, ['admin']);
  for (const path of ['/admin/courriels', `/admin/courriels/${id}`, '/admin/journal']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await checkA11y(page, `${path} at 320 px`);
  }
});
