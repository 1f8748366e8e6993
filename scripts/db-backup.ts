/**
 * `npm run db:backup [-- FILE]`: writes a restorable backup, by default into DATA_DIR/backups/.
 * Embedded database: a tarball of its data folder (the server must be stopped: only one process may open
 * it; while the server runs, its nightly job writes the same backups). PostgreSQL: pg_dump, custom format.
 */
import path from 'node:path';
import { openConfiguredDatabase } from '../src/bootstrap.js';
import { backupDir, backupFileName, writeBackup } from '../src/db/backup.js';
import { DataDirBusyError } from '../src/db/data-dir-lock.js';
import { run, scriptConfig, takeDatabase } from './cli.js';

run(async () => {
  const config = scriptConfig();
  try {
    takeDatabase(config, 'db:backup', 'back up');
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    throw new Error(`${error.message.replace(/\.$/, '')} (while it runs, it writes a backup every night into ${backupDir(config.dataDir)}).`);
  }
  const format = config.databaseUrl ? 'pg_dump' : 'pglite';
  const file = path.resolve(process.argv[2] ?? path.join(backupDir(config.dataDir), backupFileName(format, new Date())));
  const database = await openConfiguredDatabase(config);
  try {
    await database.ping();
    const bytes = await writeBackup(database, config.databaseUrl, file);
    console.log(`Backup written: ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB). Restore it with: npm run db:restore -- ${file}`);
  } finally {
    await database.close();
  }
});
