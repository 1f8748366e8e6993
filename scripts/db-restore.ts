/**
 * `npm run db:restore -- FILE [--yes]` (--yes: no prompt): replaces the configured database with a backup made by db:backup or
 * the nightly job. Embedded database: the current data folder is kept aside, never deleted. PostgreSQL:
 * pg_restore --clean in one transaction. Either way it refuses while a server uses the database. Start the server afterwards: it migrates an older backup forward.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { BackupError, detectBackupFormat, restorePgDump, restorePgliteBackup } from '../src/db/backup.js';
import { claimPostgresForRestore } from '../src/db/postgres-lock.js';
import { run, scriptConfig, takeDatabase } from './cli.js';

async function confirm(question: string): Promise<boolean> {
  if (process.argv.includes('--yes')) return true;
  if (!process.stdin.isTTY) throw new Error('Restoring replaces the database: add --yes to confirm when no one can answer a prompt.');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|o|oui)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

run(async () => {
  const arg = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!arg) throw new Error('Usage: npm run db:restore -- FILE');
  const file = path.resolve(arg);
  if (!existsSync(file)) throw new Error(`No such backup: ${file}`);
  const format = detectBackupFormat(file);
  const config = scriptConfig();
  if (format === 'pglite' && config.databaseUrl) {
    throw new BackupError('This is a backup of the embedded database: unset DATABASE_URL to restore it into DATA_DIR');
  }
  if (format === 'pg_dump' && !config.databaseUrl) {
    throw new BackupError('This is a pg_dump archive: set DATABASE_URL to the PostgreSQL database to restore it into');
  }
  takeDatabase(config, 'db:restore', 'restore');
  // On PostgreSQL too, never under a running server: it would keep serving from tables being replaced.
  const restoreLock = config.databaseUrl ? await claimPostgresForRestore(config.databaseUrl) : null;
  const target = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) + ' on ' + new URL(config.databaseUrl).host : config.dataDir;
  if (!(await confirm(`Replace the database ${target} with ${path.basename(file)}?`))) throw new Error('Restore cancelled.');
  if (format === 'pglite') {
    const kept = await restorePgliteBackup(config.dataDir, file, new Date());
    console.log(`Restored ${path.basename(file)} into ${config.dataDir}.`);
    if (kept) console.log(`The previous database is kept in ${kept}; delete it once the restored site looks right.`);
  } else {
    try {
      await restorePgDump(config.databaseUrl!, file);
    } finally {
      await restoreLock?.release();
    }
    console.log(`Restored ${path.basename(file)} into ${target}.`);
  }
});
