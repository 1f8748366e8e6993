/**
 * Browser journeys: a test world served on a real port, Debian's Chromium driven by playwright-core (one
 * browser per test file, a fresh context per test) and axe-core run on every page a journey visits.
 *
 *   const e = useE2E();                  // at the top of the file: starts, resets and closes around the tests
 *   const page = await e.newPage();      // in a test
 *   await checkA11y(page, 'sign-up');    // after each navigation
 *
 * The pages keep their real Content-Security-Policy during the journeys: axe is evaluated through the DevTools
 * protocol (which the CSP does not govern) instead of an injected <script> (which it rightly blocks), so a
 * journey also fails when a page's own code would be refused by the CSP.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, afterEach, before, beforeEach } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../src/db/schema.js';
import { launchChromium } from './browser.js';
import { createTestWorld, type TestWorld } from './context.js';
import { createUser } from './factories.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
/** Screenshots are rewritten only on request, so a test run never leaves the working tree dirty. */
export const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

export interface E2E {
  w: TestWorld;
  baseUrl: string;
  browser: Browser;
  /** A page in a fresh browser context (own cookies). French browser by default, JavaScript on by default. */
  newPage(opts?: { javaScript?: boolean; viewport?: { width: number; height: number }; locale?: string }): Promise<Page>;
  /** The newest link to this site in the newest mail sent to `to` (read from the outbox). */
  lastMailLink(to: string): Promise<string>;
  /** Creates a verified user with these roles and logs them in through the login form. */
  signIn(page: Page, roles: Role[], opts?: { name?: string; email?: string }): Promise<{ email: string; password: string }>;
  closeContexts(): Promise<void>;
  close(): Promise<void>;
}

interface PageState {
  javaScript: boolean;
  problems: string[];
}
const pageStates = new WeakMap<Page, PageState>();

export async function startE2E(): Promise<E2E> {
  const w = await createTestWorld();
  await w.reset();
  const address = await w.app.listen({ host: '127.0.0.1', port: 0 });
  // Links in mails must point at this server.
  w.ctx.config.baseUrl = address;
  const browser = await launchChromium();
  const contexts = new Set<BrowserContext>();

  const e: E2E = {
    w,
    baseUrl: address,
    browser,
    async newPage(opts = {}) {
      const javaScript = opts.javaScript ?? true;
      const context = await browser.newContext({
        baseURL: address,
        javaScriptEnabled: javaScript,
        viewport: opts.viewport ?? DESKTOP,
        locale: opts.locale ?? 'fr-FR',
        timezoneId: 'Europe/Paris',
        reducedMotion: 'reduce',
      });
      contexts.add(context);
      const page = await context.newPage();
      const state: PageState = { javaScript, problems: [] };
      pageStates.set(page, state);
      page.on('pageerror', (error) => state.problems.push(`script error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) state.problems.push(`CSP: ${message.text()}`);
      });
      return page;
    },
    async lastMailLink(to) {
      const mails = await w.ctx.db
        .selectFrom('outbox_mail')
        .select(['text_body', 'created_at'])
        .where('to_address', '=', to)
        .orderBy('created_at', 'desc')
        .limit(2)
        .execute();
      assert.ok(mails.length, `a mail was sent to ${to}`);
      if (mails.length === 2 && mails[0].created_at.getTime() === mails[1].created_at.getTime()) {
        throw new Error(`two mails to ${to} at the same instant: advance the test clock between them`);
      }
      const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const links = mails[0].text_body.match(new RegExp(`${escaped}/\\S+`, 'g'));
      assert.ok(links?.length, `the mail to ${to} carries a link to ${address}`);
      return links[links.length - 1];
    },
    async signIn(page, roles, opts = {}) {
      const user = await createUser(w.ctx, { roles, name: opts.name, email: opts.email });
      await page.goto('/connexion');
      await page.getByLabel(/^(Adresse e-mail|Email address)/).fill(user.email);
      await page.getByLabel(/^(Mot de passe|Password)/).fill(user.password);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.locator('main form button[type="submit"]').click()]);
      return user;
    },
    async closeContexts() {
      for (const context of contexts) await context.close().catch(() => {});
      contexts.clear();
    },
    async close() {
      await e.closeContexts();
      await browser.close();
      await w.close();
    },
  };
  return e;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

async function runAxe(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, AXE_TAGS);
}

/** A JavaScript-enabled page per browser, kept for the audits of pages without JavaScript (see runAxeOnSnapshot). */
interface Scratch {
  page: Page;
  /** The DOM served at the next navigation to this URL (without its fragment). */
  snapshot: { url: string; html: string } | null;
}
const scratches = new WeakMap<Browser, Scratch>();
const withoutFragment = (url: string) => url.replace(/#.*$/, '');

/**
 * A page without JavaScript cannot run axe itself: its exact DOM is served again, at the same URL (so styles
 * load and contrast is measured), to a JavaScript-enabled page that runs the audit. That page is opened once per
 * browser and reused: a new page per audit cost about a second more each time (a page, and axe compiled in a
 * fresh renderer), over the fifty-odd audits without JavaScript.
 */
async function runAxeOnSnapshot(page: Page): Promise<Violation[]> {
  const browser = page.context().browser()!;
  let scratch = scratches.get(browser);
  if (!scratch) {
    const context = await browser.newContext({ viewport: page.viewportSize() ?? DESKTOP, locale: 'fr-FR' });
    const s: Scratch = { page: await context.newPage(), snapshot: null };
    await s.page.route('**/*', (route) => {
      const request = route.request();
      if (s.snapshot && request.isNavigationRequest() && withoutFragment(request.url()) === s.snapshot.url) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: s.snapshot.html });
      }
      return route.continue();
    });
    scratches.set(browser, (scratch = s));
  }
  const url = page.url();
  scratch.snapshot = { url: withoutFragment(url), html: await page.content() };
  try {
    await scratch.page.goto(url);
    return await runAxe(scratch.page);
  } finally {
    // Left blank between audits: no page script of the copy keeps running (and calling the server) meanwhile, and
    // the next copy, even at the same address, is a new document rather than a move to a fragment.
    await scratch.page.goto('about:blank');
  }
}

/**
 * Fails the test when axe finds a serious or critical violation, the page has no `lang`, carries an inline
 * script, or logged a CSP refusal or a script error since it opened.
 */
export async function checkA11y(page: Page, label: string) {
  await page.waitForLoadState('load');
  const state = pageStates.get(page) ?? { javaScript: true, problems: [] };
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang') ?? '',
    inlineScripts: [...document.querySelectorAll('script:not([src]):not([type="application/ld+json"]):not([type="application/json"])')].filter((s) => s.textContent?.trim()).length,
    title: document.title,
  }));
  assert.match(facts.lang, /^(fr|en)$/, `${label}: <html lang> is set`);
  assert.ok(facts.title.trim(), `${label}: the page has a title`);
  assert.equal(facts.inlineScripts, 0, `${label}: no inline script`);
  assert.deepEqual(state.problems, [], `${label}: no CSP refusal or script error`);

  const violations = state.javaScript ? await runAxe(page) : await runAxeOnSnapshot(page);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  if (process.env.A11Y_VERBOSE === '1') {
    for (const v of violations.filter((x) => !BLOCKING.has(x.impact ?? ''))) console.log(`[axe ${v.impact}] ${label}: ${v.id} — ${v.help}`);
  }
  if (blocking.length) {
    const lines = blocking.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
    assert.fail(`${label} (${page.url()}): ${blocking.length} serious or critical accessibility violation(s)\n${lines.join('\n')}`);
  }
}

/** Saves a README screenshot when UPDATE_SCREENSHOTS=1; otherwise does nothing. */
export async function saveScreenshot(page: Page, name: string) {
  if (!UPDATE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Focus rings and the caret would make screenshots differ from one run to the next.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
  writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), await page.screenshot({ fullPage: false, caret: 'hide', animations: 'disabled' }));
}

/**
 * The usual life of a browser test file: one server and one browser before the first test, an emptied database
 * before each, the test's pages closed after it, everything closed after the last. Filled in once started.
 */
export function useE2E(): E2E {
  const holder = {} as E2E;
  before(async () => {
    Object.assign(holder, await startE2E());
  });
  after(() => holder.close());
  beforeEach(() => holder.w.reset());
  afterEach(() => holder.closeContexts());
  return holder;
}
