/**
 * `npm run db:migrate`: applies the pending migrations to the configured database (PGlite under DATA_DIR, or
 * DATABASE_URL) and prints each one. The server also does this at every start; this is for deployments
 * that want to migrate before switching the new code on.
 */
import { openConfiguredDatabase } from '../src/bootstrap.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { run, scriptConfig, takeDatabase } from './cli.js';

run(async () => {
  const config = scriptConfig();
  takeDatabase(config, 'db:migrate', 'migrate');
  const database = await openConfiguredDatabase(config);
  try {
    const ran = await migrateToLatest(database.db);
    const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
    if (!ran.length) console.log(`Nothing to migrate: the ${where} is up to date.`);
    else {
      for (const name of ran) console.log(`migrated ${name}`);
      console.log(`${ran.length} migration(s) applied to the ${where}.`);
    }
  } finally {
    await database.close();
  }
});
