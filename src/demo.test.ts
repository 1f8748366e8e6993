import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent } from '../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../tests/support/context.js';
import { createUser } from '../tests/support/factories.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import type { AppContext } from './context.js';
import { StartupError } from './bootstrap.js';
import { assertDemoAllowed, disableDemoIfOff, loadDemoIfWanted } from './demo.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './domains/accounts/index.js';
import { removeDemoContent } from './modules.js';

const ADMIN = 'admin@demo.soho-solo.fr';

describe('demo content on a real deployment', () => {
  let w: TestWorld;
  before(async () => {
    w = await createTestWorld({ demo: true });
  });
  after(() => w.close());

  /** The same database, as a server started without demo mode sees it. */
  const withoutDemo = async () => {
    const ctx: AppContext = { ...w.ctx, demo: false };
    await disableDemoIfOff(ctx);
    const app = await buildApp(ctx, { logger: false });
    await app.ready();
    return { ctx, app };
  };

  test('demo accounts are marked as such, real accounts are not', async () => {
    await w.reset();
    const real = await createUser(w.ctx, { email: 'vraie@exemple.fr' });
    await loadDemoIfWanted(w.ctx);
    const rows = await w.ctx.db.selectFrom('user_account').select(['email', 'demo']).execute();
    for (const account of DEMO_ACCOUNTS) assert.equal(rows.find((r) => r.email === account.email)?.demo, true, account.email);
    assert.equal(rows.find((r) => r.email === real.email)?.demo, false);
    const offers = await w.ctx.db.selectFrom('offer').select('demo').execute();
    assert.ok(offers.length > 0 && offers.every((o) => o.demo), 'the example offers too');
    // Every domain's examples load, whatever another domain's demo put first in a shared table (discovery stays
    // are events too): the agenda holds its own examples beside the stays, once.
    const events = await w.ctx.db.selectFrom('event').select('slug').execute();
    const examples = events.filter((e) => /^exemple-\d+-/.test(e.slug));
    assert.ok(examples.length > 0, 'the agenda has its own examples');
    await loadDemoIfWanted(w.ctx);
    assert.equal((await w.ctx.db.selectFrom('event').select('slug').execute()).length, events.length, 'a second start adds nothing');
  });

  test('a server started without demo mode refuses the demo sessions and logins, and says so', async () => {
    await w.reset();
    const real = await createUser(w.ctx, { email: 'vraie@exemple.fr', roles: ['admin'] });
    await loadDemoIfWanted(w.ctx);
    const demoAdmin = new Agent(w.app);
    await demoAdmin.login(ADMIN, DEMO_PASSWORD);
    const sid = demoAdmin.cookie('sid')!;

    const server = await withoutDemo();
    try {
      const old = new Agent(server.app);
      old.setCookie('sid', sid);
      assert.equal((await old.get('/admin/utilisateurs')).statusCode, 303, 'the open demo session no longer signs anyone in');
      const again = await new Agent(server.app).post('/connexion', { email: ADMIN, password: DEMO_PASSWORD });
      assert.equal(again.statusCode, 401, 'nor does the public password');
      const disabled = await w.ctx.db.selectFrom('user_account').select(['email', 'disabled_at']).where('demo', '=', true).execute();
      assert.ok(disabled.length >= DEMO_ACCOUNTS.length && disabled.every((u) => u.disabled_at), 'every demo account is disabled');
      const realAgent = new Agent(server.app);
      await realAgent.login(real.email, real.password);
      assert.equal((await realAgent.get('/admin/utilisateurs')).statusCode, 200, 'real accounts work as before');
    } finally {
      await server.app.close();
    }
    // Asking for demo mode again (DEMO=1) brings the demo accounts back.
    await loadDemoIfWanted(w.ctx);
    await new Agent(w.app).login(ADMIN, DEMO_PASSWORD);
  });

  test('removing the demo content deletes the demo accounts and examples, and nothing real', async () => {
    await w.reset();
    const real = await createUser(w.ctx, { email: 'vraie@exemple.fr' });
    await loadDemoIfWanted(w.ctx);
    const removed = await removeDemoContent({ ...w.ctx, demo: false });
    assert.ok(removed.accounts.accounts >= DEMO_ACCOUNTS.length, 'the demo accounts and the demo households\' accounts');
    assert.equal(removed.accounts.accountsKeptDisabled, 0);
    assert.ok(removed.offers.offers > 0);
    assert.ok(removed.newcomers.cases > 0);
    assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('id').execute()).length, 0);
    assert.equal((await w.ctx.db.selectFrom('discovery_stay').select('id').execute()).length, 0);
    assert.equal((await w.ctx.db.selectFrom('user_account').select('id').where('demo', '=', true).execute()).length, 0);
    assert.equal((await w.ctx.db.selectFrom('offer').select('id').execute()).length, 0);
    assert.ok(await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', real.email).executeTakeFirst(), 'the real account stays');
  });
});

describe('starting with an https address', () => {
  const config = (env: Record<string, string>) => loadConfig({ SESSION_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/accueil-demo-config-test', ...env });

  test('refuses demo mode by default on the embedded database, with the way out in the message', () => {
    assert.throws(() => assertDemoAllowed(config({ BASE_URL: 'https://accueil.example.org' })), (e: unknown) => e instanceof StartupError && /DEMO=0/.test(e.message));
    assert.throws(() => assertDemoAllowed(config({ BASE_URL: 'https://accueil.example.org', DEMO: 'auto' })), StartupError);
  });

  test('starts when demo mode is explicitly off or explicitly on, and on plain http', () => {
    assertDemoAllowed(config({ BASE_URL: 'https://accueil.example.org', DEMO: '0' }));
    assertDemoAllowed(config({ BASE_URL: 'https://demo.example.org', DEMO: '1' }));
    assertDemoAllowed(config({}));
    assertDemoAllowed(config({ BASE_URL: 'https://accueil.example.org', DATABASE_URL: 'postgres://accueil@127.0.0.1/accueil' }));
  });
});
