/** Migrations run by the process that then serves: the types they create work at once, arrays included. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.js';
import { migrateDatabase } from './migrate.js';

test('on a PGlite migrated by this very process, an array of citext (an extension type) is sent as an array', async () => {
  const database = await openDatabase({ memory: true });
  try {
    assert.ok((await migrateDatabase(database)).length > 0);
    const { rows } = await sql<{ found: boolean }>`select 'Solo@Exemple.fr'::citext = any(${['solo@exemple.fr', 'autre@exemple.fr']}::citext[]) as found`.execute(database.db);
    assert.equal(rows[0].found, true);
  } finally {
    await database.close();
  }
});
