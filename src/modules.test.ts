import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Agent } from '../tests/support/agent.js';
import { createUser } from '../tests/support/factories.js';
import { useTestWorld } from '../tests/support/context.js';
import { exportPersonalData, jobHandlers, modules } from './modules.js';
import { contribute, extensionPoint, Extensions } from './shared/extensions.js';

const w = useTestWorld();

test('every domain folder has its module in the list, under its own name, exactly once', () => {
  const folders = readdirSync(path.join(import.meta.dirname, 'domains'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(modules.map((m) => m.name).sort(), folders);
});

test('every link of every menu leads to a page the app serves', () => {
  const gets = new Set(w.app.routeTable.filter((r) => r.method === 'GET').map((r) => r.url));
  for (const m of modules) {
    for (const entry of [...(m.nav?.main ?? []), ...(m.nav?.account ?? []), ...(m.nav?.admin ?? [])]) {
      assert.ok(gets.has(entry.href), `${m.name}: ${entry.href}`);
    }
  }
});

test('the worker knows the shared jobs and each module’s, each kind once', () => {
  for (const kind of ['maintenance.purge', 'db.backup', 'mail.deliver']) assert.equal(typeof jobHandlers[kind], 'function', kind);
  const declared = modules.flatMap((m) => Object.keys(m.jobs ?? {}));
  assert.equal(new Set(declared).size, declared.length);
  for (const kind of declared) assert.ok(jobHandlers[kind], kind);
});

test('the menus show each module’s links to the roles they are meant for', async () => {
  const staff = await createUser(w.ctx, { email: 'equipe@example.fr', roles: ['staff'] });
  const anonymous = await w.app.inject({ method: 'GET', url: '/guide' });
  assert.match(anonymous.body, /href="\/villages"/);
  assert.doesNotMatch(anonymous.body, /href="\/admin\/accueil"/);
  const signedIn = new Agent(w.app);
  await signedIn.login(staff.email, staff.password);
  const admin = await signedIn.get('/admin');
  assert.equal(admin.statusCode, 200);
  assert.match(admin.body, /href="\/admin\/accueil"/, 'a team member sees the welcome programme in the back office');
  assert.doesNotMatch(admin.body, /href="\/admin\/utilisateurs"/, 'people and roles are for administrators');
});

test('a person’s data export gathers each domain’s part and leaves out the domains holding nothing', async () => {
  const user = await createUser(w.ctx, { email: 'lea@example.fr', name: 'Léa', roles: ['member'] });
  const data = await exportPersonalData(w.ctx, user.id);
  assert.deepEqual(Object.keys(data), ['accounts']);
  assert.equal(data.accounts.email, 'lea@example.fr');
  assert.deepEqual(data.accounts.roles, ['member']);
});

test('an extension point returns what each module contributed, in the modules’ order, and nothing when none did', () => {
  const blocks = extensionPoint<string>('test.blocks');
  const other = extensionPoint<number>('test.other');
  const registry = new Extensions([contribute(blocks, 'first'), contribute(other, 2), contribute(blocks, 'second')]);
  assert.deepEqual(registry.all(blocks), ['first', 'second']);
  assert.deepEqual(registry.all(other), [2]);
  assert.deepEqual(registry.all(extensionPoint<string>('test.none')), []);
});
