/**
 * The README's screenshots, one line per page in SHOTS. Every run visits each page and checks it with axe;
 * the PNGs in docs/screenshots/ are rewritten only with UPDATE_SCREENSHOTS=1 (`UPDATE_SCREENSHOTS=1 npm test
 * -- screenshots`), so an ordinary run, locally or in CI, never dirties the working tree and never fails on a
 * pixel: pictures are documentation, the assertions live in the journeys.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/db/schema.js';
import { territoryDataDir } from '../../src/bootstrap.js';
import { loadDemoIfWanted } from '../../src/demo.js';
import { seedThirdPlaces } from '../../src/domains/places/index.js';
import { DEMO_PASSWORD } from '../../src/domains/accounts/index.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, DESKTOP, MOBILE, saveScreenshot, startE2E, type E2E } from '../support/e2e.js';
import { createUser } from '../support/factories.js';

const fr = tFor('fr');

interface Shot {
  /** File name in docs/screenshots/, without .png. */
  name: string;
  /** The page, or how to find it in the demo content. */
  path: string | ((e: E2E) => Promise<string>);
  /** Signed in as a new person holding these roles (anonymous when absent). */
  as?: Role[];
  /** With the demo content loaded (households, stays, offers...), signed in with this demo account when given. */
  demo?: { as?: string };
  viewport?: { width: number; height: number };
  /** Runs after the page opened, before the check and the picture (fill a form, open a tab...). */
  prepare?: (page: Page) => Promise<void>;
  status?: number;
}

async function signUpWithErrors(page: Page) {
  const form = page.locator('main form[action="/inscription"]');
  await form.getByLabel(fr('accounts.signup.displayName')).fill('Camille Rivière');
  await form.getByLabel(fr('accounts.signup.email')).fill('camille.riviere@exemple');
  await form.getByLabel(fr('accounts.signup.password')).fill('gers');
  await form.getByRole('button', { name: fr('accounts.signup.submit') }).click();
  await page.getByRole('alert').waitFor();
}

/** Scrolls the part of the page the picture is about to the top of the window. */
const scrollTo = (selector: string) => async (page: Page) => {
  await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'start' }));
};

/** The staff page of the demo case shared with the partner that left a note: partners, buddies and stays all show. */
async function sharedDemoCase(e: E2E) {
  const row = await e.w.ctx.db.selectFrom('case_partner_note').select('case_id').executeTakeFirstOrThrow();
  return `/admin/accueil/${row.case_id}`;
}

/** The next public workshop of the demo agenda: its page shows the registration form, prices and the map of the place. */
async function demoEvent(e: E2E) {
  const row = await e.w.ctx.db
    .selectFrom('event')
    .select('slug')
    .where('status', '=', 'published')
    .where('audience', '=', 'public')
    .where('slug', 'like', 'exemple-%')
    .where('starts_at', '>', new Date())
    .orderBy('starts_at')
    .executeTakeFirstOrThrow();
  return `/agenda/${row.slug}`;
}

const SHOTS: Shot[] = [
  { name: 'home', path: '/' },
  { name: 'home-mobile', path: '/', viewport: MOBILE },
  { name: 'inscription-erreurs', path: '/inscription', prepare: signUpWithErrors, status: 422 },
  { name: 'admin-utilisateurs', path: '/admin/utilisateurs', as: ['admin', 'staff'] },
  { name: 'compte', path: '/compte', as: ['member'] },
  { name: 'villages-recherche', path: '/villages?min_toulouse=60&medecin=1&prix_max=2000', prepare: scrollTo('#resultats') },
  { name: 'villages-carte', path: '/villages', prepare: scrollTo('#carte') },
  { name: 'village-auch', path: '/villages/32013' },
  { name: 'candidature', path: '/candidature' },
  { name: 'dossier-partenaires', path: sharedDemoCase, demo: { as: 'accueil@demo.soho-solo.fr' }, prepare: scrollTo('#partenaires-section') },
  { name: 'accueil-chiffres', path: '/admin/accueil/chiffres', demo: { as: 'accueil@demo.soho-solo.fr' }, prepare: scrollTo('figure.commune-map') },
  { name: 'offres', path: '/offres', demo: {}, prepare: scrollTo('main p[role="status"]') },
  { name: 'mon-projet', path: '/mon-projet', demo: { as: 'candidat@demo.soho-solo.fr' }, prepare: scrollTo('#sejours') },
  { name: 'annuaire', path: '/annuaire', demo: { as: 'solo@demo.soho-solo.fr' }, prepare: scrollTo('main p[role="status"]') },
  { name: 'adherents', path: '/admin/adherents', demo: { as: 'accueil@demo.soho-solo.fr' } },
  { name: 'agenda', path: '/agenda', demo: {} },
  { name: 'agenda-evenement', path: demoEvent, demo: { as: 'solo@demo.soho-solo.fr' } },
  { name: 'reservations-semaine', path: '/reservations/dynamo-salle-armagnac?vue=semaine', demo: { as: 'solo@demo.soho-solo.fr' }, prepare: scrollTo('#creneaux') },
  { name: 'presence-mobile', path: '/admin/reservations/presence', demo: { as: 'dynamo@demo.soho-solo.fr' }, viewport: MOBILE, prepare: scrollTo('ul.presence-list') },
];

/** Signs in with an existing account through the login form. */
async function logIn(page: Page, email: string, password: string) {
  await page.goto('/connexion');
  await page.getByLabel(/^(Adresse e-mail|Email address)/).fill(email);
  await page.getByLabel(/^(Mot de passe|Password)/).fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.locator('main form button[type="submit"]').click()]);
}

/** A handful of people so the back office pages look lived in. */
async function seedPeople(e: E2E) {
  const people: [string, string, Role[]][] = [
    ['Sophie Lacoste', 'sophie.lacoste@exemple.fr', ['staff']],
    ['Julien Castéra', 'julien.castera@exemple.fr', ['space_manager']],
    ['Nadia Benali', 'nadia.benali@exemple.fr', ['member']],
    ['Thomas Dubosc', 'thomas.dubosc@exemple.fr', ['candidate']],
    ['Office de tourisme de Lectoure', 'contact@lectoure-tourisme.exemple.fr', ['partner']],
  ];
  for (const [name, email, roles] of people) await createUser(e.w.ctx, { name, email, roles });
}

let e: E2E;
before(async () => {
  e = await startE2E();
});
after(() => e.close());
/** A fresh world for each page, except that the demo pages (last in the list, read-only) share one load of the demo. */
let demoLoaded = false;
async function prepareWorld(demo: boolean) {
  if (demo && demoLoaded) return;
  e.w.ctx.demo = false;
  await e.w.reset();
  await seedPeople(e);
  demoLoaded = false;
  if (!demo) return;
  // The shipped third places, as `npm start` seeds them (reset() empties them): the demo events and bookings are at La Dynamo.
  await seedThirdPlaces(e.w.ctx.db, e.w.ctx.territory.id, territoryDataDir(e.w.ctx.territory.slug), e.w.clock.now());
  // Demo accounts sign in only while the server runs in demo mode (decision 0020): these pages are taken in it.
  e.w.ctx.demo = true;
  await loadDemoIfWanted(e.w.ctx);
  demoLoaded = true;
}
afterEach(() => e.closeContexts());

for (const shot of SHOTS) {
  test(`the ${shot.name} page renders and passes axe${shot.viewport === MOBILE ? ' on a phone' : ''}`, async () => {
    await prepareWorld(!!shot.demo);
    const page = await e.newPage({ viewport: shot.viewport ?? DESKTOP });
    if (shot.as) await e.signIn(page, shot.as, { name: 'Camille Rivière', email: 'camille.riviere@exemple.fr' });
    if (shot.demo?.as) await logIn(page, shot.demo.as, DEMO_PASSWORD);
    const path = typeof shot.path === 'string' ? shot.path : await shot.path(e);
    const res = await page.goto(path);
    assert.equal(res?.status(), 200, `${path} opens`);
    if (shot.prepare) await shot.prepare(page);
    if (shot.status) {
      // The last navigation (a form post) answered this status; check it through the page's own response.
      const last = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseStatus);
      if (last !== undefined) assert.equal(last, shot.status);
    }
    await checkA11y(page, shot.name);
    await saveScreenshot(page, shot.name);
  });
}
