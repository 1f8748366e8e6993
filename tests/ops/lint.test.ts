import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile } from '../../scripts/lint-rules.js';

const rules = (file: string, text: string) => checkFile(file, text).map((v) => `${v.rule}@${v.line}`);

test('a route importing a repo or a database package is reported with its line', () => {
  const text = `import { x } from './places.service.js';\nimport { findPlace } from './places.repo.js';\nimport { sql } from 'kysely';\nimport pg from 'pg';\nimport { PGlite } from '@electric-sql/pglite';\n`;
  assert.deepEqual(rules('src/domains/places/places.routes.tsx', text), ['edge-no-repo@2', 'edge-no-database@3', 'sql-in-repo@3', 'edge-no-database@4', 'edge-no-database@5']);
});

test('a view may import types from a service but not call it', () => {
  assert.deepEqual(rules('src/domains/places/places.views.tsx', `import type { Place } from './places.service.js';\n`), []);
  assert.deepEqual(rules('src/domains/places/places.views.tsx', `import { listPlaces } from './places.service.js';\n`), ['view-no-service@1']);
  assert.deepEqual(rules('src/web/components/card.tsx', `import { findUser } from '../../domains/accounts/accounts.repo.js';\n`), [
    'edge-no-repo@1',
    'domain-via-index@1',
  ]);
});

test('a domain reaches another only through its index.ts, whatever the import form', () => {
  const file = 'src/domains/events/events.service.ts';
  assert.deepEqual(rules(file, `import { recordAudit } from '../audit/index.js';\nimport { a } from './events.repo.js';\n`), []);
  assert.deepEqual(rules(file, `import { listAudit } from '../audit/audit.service.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(file, `export { x } from '../audit/audit.repo.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules(file, `const m = await import('../audit/audit.repo.js');\n`), ['domain-via-index@1']);
  assert.deepEqual(rules('src/app.ts', `import { accountsRoutes } from './domains/accounts/accounts.routes.js';\n`), ['domain-via-index@1']);
  assert.deepEqual(rules('src/web/i18n/index.ts', `import * as a from '../../domains/accounts/accounts.i18n.js';\n`), [], 'the catalogue registry');
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
