import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkFile, checkGraph } from '../../scripts/lint-rules.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(repoRoot, 'tests/ops/fixtures/lint');

const rules = (file: string, text: string) => checkFile(file, text).map((v) => `${v.rule}@${v.line}`);
const cycles = (files: Record<string, string>) => checkGraph(new Map(Object.entries(files))).map((v) => `${v.file}:${v.line} ${v.message}`);

/** A fixture tree read from disk as the lint reads it: repository-relative paths (here, relative to the fixture) to text. */
function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(name)) out.set(path.relative(root, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return out;
}

const lint = (root: string) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lint.ts', root], { cwd: repoRoot, encoding: 'utf8' });

test('a route importing a repo or a database package is reported with its line', () => {
  const text = `import { x } from './places.service.js';\nimport { findPlace } from './places.repo.js';\nimport { sql } from 'kysely';\nimport pg from 'pg';\nimport { PGlite } from '@electric-sql/pglite';\n`;
  assert.deepEqual(rules('src/domains/places/places.routes.tsx', text), ['edge-no-repo@2', 'edge-no-database@3', 'sql-in-repo@3', 'edge-no-database@4', 'edge-no-database@5']);
});

test('a view may import types from a service but not call it', () => {
  assert.deepEqual(rules('src/domains/places/places.views.tsx', `import type { Place } from './places.service.js';\n`), []);
  assert.deepEqual(rules('src/domains/places/places.views.tsx', `import { listPlaces } from './places.service.js';\n`), ['view-no-service@1']);
  assert.deepEqual(rules('src/web/components/card.tsx', `import { findUser } from '../../domains/accounts/accounts.repo.js';\n`), [
    'edge-no-repo@1',
    'shared-no-domain@1',
  ]);
});

test('a domain reaches another only through its index.ts, whatever the import form', () => {
  const file = 'src/domains/events/events.service.ts';
  assert.deepEqual(rules(file, `import { recordAudit } from '../audit/index.js';\nimport { a } from './events.repo.js';\n`), []);
  assert.deepEqual(rules(file, `import { listAudit } from '../audit/audit.service.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(file, `export { x } from '../audit/audit.repo.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(file, `const m = await import('../audit/audit.repo.js');\n`), ['domain-via-index@1']);
});

test('only the repo imports kysely values inside a domain; types are fine', () => {
  assert.deepEqual(rules('src/domains/events/events.service.ts', `import type { Transaction } from 'kysely';\n`), []);
  assert.deepEqual(rules('src/domains/events/events.service.ts', `import { sql } from 'kysely';\n`), ['sql-in-repo@1']);
  assert.deepEqual(rules('src/domains/events/events.repo.ts', `import { sql } from 'kysely';\n`), []);
});

test('a migration imports nothing from src/', () => {
  assert.deepEqual(rules('src/db/migrations/2026-12-01T1000-x.ts', `import { sql } from 'kysely';\n`), []);
  assert.deepEqual(rules('src/db/migrations/2026-12-01T1000-x.ts', `import { DAY } from '../../shared/time.js';\n`), ['migration-imports@1']);
});

test('process.env is read in src/config.ts only; tests and scripts are tools and may read their own variables', () => {
  assert.deepEqual(rules('src/domains/mail/mail.transport.ts', `const a = 1;\nconst url = process.env.SMTP_URL;\nconst b = process['env'];\n`), ['env-in-config@2', 'env-in-config@3']);
  assert.deepEqual(rules('src/config.ts', `const e = process.env;\n`), []);
  assert.deepEqual(rules('tests/support/context.ts', `const t = process.env.TEST_PG_TEMPLATE;\n`), []);
  assert.deepEqual(rules('src/domains/x/x.service.ts', `// process.env in a comment\nconst s = 'process.env';\n`), [], 'comments and strings are not reads');
});

test('@kitajs/html is refused everywhere, tests included', () => {
  assert.deepEqual(rules('tests/e2e/x.test.ts', `import { Html } from '@kitajs/html';\n`), ['no-kitajs@1']);
});

test('a shared layer never imports a domain, not even its index.ts', () => {
  for (const file of ['src/web/render.tsx', 'src/jobs/handlers.ts', 'src/db/database.ts', 'src/shared/clock.ts']) {
    const up = '../'.repeat(file.split('/').length - 2);
    assert.deepEqual(rules(file, `import { mail } from '${up}domains/mail/index.js';\n`), ['shared-no-domain@1'], file);
  }
  assert.deepEqual(rules('src/context.ts', `import type { Mailer } from './domains/mail/index.js';\n`), ['shared-no-domain@1'], 'types too');
  assert.deepEqual(rules('src/module.ts', `import type { Place } from './domains/places/index.js';\n`), ['shared-no-domain@1']);
  assert.deepEqual(rules('src/web/i18n/index.ts', `import * as a from '../../domains/accounts/accounts.i18n.js';\n`), ['shared-no-domain@1'], 'catalogues come through the manifests');
});

test('only src/modules.ts composes the domains, and only through their index.ts', () => {
  for (const file of ['src/app.ts', 'src/server.ts', 'src/bootstrap.ts', 'src/demo.ts', 'src/first-start.ts', 'src/config.ts']) {
    assert.deepEqual(rules(file, `import { accounts } from './domains/accounts/index.js';\n`), ['compose-in-modules@1'], file);
  }
  assert.deepEqual(rules('src/modules.ts', `import { accounts } from './domains/accounts/index.js';\nimport { places } from './domains/places';\n`), []);
  assert.deepEqual(rules('src/modules.ts', `import { accountsRoutes } from './domains/accounts/accounts.routes.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules('src/modules.ts', `import { stays } from './domains/newcomers/stays/index.js';\n`), ['domain-via-index@1'], 'a room is composed by its own domain');
});

test('a room reaches another room through its index.ts and uses its domain root, but never the manifest', () => {
  const room = 'src/domains/newcomers/stays/stays.service.ts';
  assert.deepEqual(rules(room, `import { a } from '../cases/cases.service.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(room, `import { a } from '../cases/repo.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(room, `import { a } from '../cases/index.js';\nimport { b } from '../cases';\n`), []);
  assert.deepEqual(rules(room, `import { mailer } from '../newcomers.common.js';\nimport { c } from './stays.repo.js';\n`), [], 'common code and its own files');
  assert.deepEqual(rules(room, `import { newcomers } from '../index.js';\n`), ['domain-via-index@1'], 'the manifest composes the rooms');
  assert.deepEqual(rules(room, `import { newcomers } from '..';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(room, `import { a } from '../../places/index.js';\nimport { b } from '../../places/nearby/index.js';\n`), ['domain-via-index@2'], 'another domain only by its index');
});

test("the domain's root reaches a room only through the room's index.ts", () => {
  const root = 'src/domains/newcomers/newcomers.common.ts';
  assert.deepEqual(rules(root, `import { a } from './stays/stays.service.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(root, `import { a } from './stays/index.js';\nimport { b } from './stays';\n`), []);
  assert.deepEqual(rules('src/domains/newcomers/index.ts', `export { staysModule } from './stays/index.js';\n`), []);
  assert.deepEqual(rules('src/domains/newcomers/index.ts', `export { staysRoutes } from './stays/routes.js';\n`), ['domain-via-index@1']);
});

test('tests and scripts are tools: they may reach anywhere', () => {
  assert.deepEqual(rules('src/domains/newcomers/stays/stays.test.ts', `import { a } from '../cases/repo.js';\nimport { b } from '../../places/places.repo.js';\n`), []);
  assert.deepEqual(rules('tests/support/factories.ts', `import { a } from '../../src/domains/newcomers/stays/repo.js';\n`), []);
  assert.deepEqual(rules('scripts/seed.ts', `import { a } from '../src/domains/places/places.repo.js';\n`), []);
});

test("a room file's role is told by its bare name as by its dotted one", () => {
  const dir = 'src/domains/newcomers/stays';
  assert.deepEqual(rules(`${dir}/routes.tsx`, `import { a } from './repo.js';\nimport { sql } from 'kysely';\n`), ['edge-no-repo@1', 'edge-no-database@2', 'sql-in-repo@2']);
  assert.deepEqual(rules(`${dir}/api.ts`, `import { a } from './stays.repo.js';\n`), ['edge-no-repo@1']);
  assert.deepEqual(rules(`${dir}/views.tsx`, `import { a } from './service.js';\nimport type { B } from './service.js';\n`), ['view-no-service@1']);
  assert.deepEqual(rules(`${dir}/repo.ts`, `import { sql } from 'kysely';\n`), [], 'the repo writes SQL');
  assert.deepEqual(rules(`${dir}/service.ts`, `import { sql } from 'kysely';\n`), ['sql-in-repo@1']);
  assert.deepEqual(rules(`${dir}/stays.repository-notes.ts`, `import { sql } from 'kysely';\n`), ['sql-in-repo@1'], 'only the exact role name counts');
});

test('an import cycle between two files is reported once, at its first file, type-only imports included', () => {
  assert.deepEqual(cycles({ 'src/b.ts': `import { a } from './a.js';\n`, 'src/a.ts': `\nimport type { B } from './b.js';\n` }), ['src/a.ts:2 import cycle: src/a.ts → src/b.ts → src/a.ts']);
  assert.deepEqual(cycles({ 'src/a.ts': `export * from './a.js';\n` }), ['src/a.ts:1 import cycle: src/a.ts → src/a.ts'], 'a file importing itself');
  assert.deepEqual(cycles({ 'src/a.ts': `import { b } from './b.js';\n`, 'src/b.ts': `export const b = 1;\n` }), []);
});

test('an import cycle through three files, and a knot of several cycles, are each reported once', () => {
  const three = { 'src/x.ts': `import './y/index.js';\n`, 'src/y/index.ts': `const z = await import('../z.js');\n`, 'src/z.tsx': `import { x } from './x.js';\n` };
  assert.deepEqual(cycles(three), ['src/x.ts:1 import cycle: src/x.ts → src/y/index.ts → src/z.tsx → src/x.ts']);
  const knot = {
    'src/a.ts': `import './b.js';\nimport './c.js';\n`,
    'src/b.ts': `import './a.js';\n`,
    'src/c.ts': `import './d.js';\n`,
    'src/d.ts': `import './a.js';\n`,
    'src/e.ts': `import './f.js';\n`,
    'src/f.ts': `import './e.js';\n`,
  };
  assert.deepEqual(cycles(knot), [
    'src/a.ts:1 import cycle: src/a.ts → src/b.ts → src/a.ts (also tangled in the same knot: src/c.ts, src/d.ts)',
    'src/e.ts:1 import cycle: src/e.ts → src/f.ts → src/e.ts',
  ]);
});

test('the cycle rule reads the app only: tests, scripts and packages are left out', () => {
  assert.deepEqual(cycles({ 'src/a.ts': `import './a.test.js';\n`, 'src/a.test.ts': `import './a.js';\n` }), []);
  assert.deepEqual(cycles({ 'tests/a.ts': `import './b.js';\n`, 'tests/b.ts': `import './a.js';\n` }), []);
  assert.deepEqual(cycles({ 'src/a.ts': `import 'kysely';\nimport './missing.js';\n` }), []);
});

test('the graph builder resolves .js imports to .ts, .tsx and folder index files on disk', () => {
  const found = checkGraph(readTree(path.join(fixtures, 'cycles')));
  assert.deepEqual(
    found.map((v) => `${v.rule} ${v.file}:${v.line} ${v.message}`),
    [
      'no-cycle src/three/x.ts:1 import cycle: src/three/x.ts → src/three/y/index.ts → src/three/z.tsx → src/three/x.ts',
      'no-cycle src/two/a.ts:1 import cycle: src/two/a.ts → src/two/b.ts → src/two/a.ts',
    ],
  );
});

test('npm run lint exits 1 on a tree breaking each rule, naming every rule, and 0 on a tree that keeps them', () => {
  const bad = lint(path.join(fixtures, 'bad-tree'));
  assert.equal(bad.status, 1, bad.stderr);
  const named = new Set(bad.stdout.split('\n').map((l) => /^\S+:\d+ {2}(\S+) {2}/.exec(l)?.[1]).filter(Boolean));
  const all = ['shared-no-domain', 'compose-in-modules', 'domain-via-index', 'no-cycle', 'edge-no-repo', 'edge-no-database', 'view-no-service', 'sql-in-repo', 'migration-imports', 'env-in-config', 'no-kitajs'];
  assert.deepEqual([...named].sort(), [...all].sort());
  for (const place of ['src/domains/alpha/alpha.service.ts:2', 'src/domains/gamma/one/service.ts:2', 'src/domains/gamma/gamma.summary.ts:2', 'src/domains/gamma/two/routes.ts:2']) {
    assert.ok(bad.stdout.includes(place), `${place} reported`);
  }

  const good = lint(path.join(fixtures, 'good-tree'));
  assert.equal(good.status, 0, good.stdout + good.stderr);
});

test('only src/shared/paths.ts reads the module’s own location, which is the bundle’s once compiled', () => {
  assert.deepEqual(rules('src/web/assets.ts', `const dir = path.dirname(fileURLToPath(import.meta.url));\n`), ['paths-in-one-place@1']);
  assert.deepEqual(rules('src/domains/guide/guide.seed.ts', `const x = 1;\nconst dir = import.meta.dirname;\n`), ['paths-in-one-place@2']);
  assert.deepEqual(rules('src/shared/paths.ts', `const here = path.dirname(fileURLToPath(import.meta.url));\n`), []);
  assert.deepEqual(rules('src/db/migrate.test.ts', `const dir = import.meta.dirname;\n`), [], 'tests run from the sources');
});
