/**
 * First start of an embedded database, run in a child process by server.ts: migrations, the territory's open
 * data, its guide articles and third places, the demo content. The import grows PGlite's WebAssembly memory,
 * which never shrinks; doing it in a process that then exits leaves the server as light as after a restart
 * (measured: ~840 MB resident when importing in-process, ~350 MB this way).
 *
 * All of it is built in a staging folder and moved into place at the very end, in one rename: a first start that
 * crashes midway (an error, a kill -9 during the demo load) leaves no database, so the next start begins again
 * from nothing instead of serving a half-loaded demo as if it were ready.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openContext } from './bootstrap.js';
import { childProcessEnv, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { loadDemoIfWanted } from './demo.js';
import { codeFile } from './shared/paths.js';

/** A data folder PGlite has never initialised. */
export const isFreshDataDir = (config: Config) => !config.databaseUrl && !existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'));

/** Where a first start builds the database before moving it to DATA_DIR/pglite. */
export const stagingDirOf = (dataDir: string) => path.join(dataDir, 'first-start');

/**
 * Builds a fresh embedded database with `prepare` in the staging folder, then moves it into place. Whatever an
 * earlier, interrupted first start left in the staging folder is thrown away first.
 */
export async function prepareFreshDataDir(dataDir: string, prepare: (database: Database) => Promise<void>) {
  const staging = stagingDirOf(dataDir);
  rmSync(staging, { recursive: true, force: true });
  const database = await openDatabase({ dataDir: staging });
  try {
    await prepare(database);
  } finally {
    await database.close();
  }
  const target = path.join(dataDir, 'pglite');
  // A folder without PG_VERSION holds no database (an older version created it empty before failing).
  if (!existsSync(path.join(target, 'PG_VERSION'))) rmSync(target, { recursive: true, force: true });
  renameSync(path.join(staging, 'pglite'), target);
  rmSync(staging, { recursive: true, force: true });
}

/** Runs `runFirstStart` in a child process (first-start.child.ts) and waits for it; its errors become the parent's. */
export function prepareInChildProcess(): Promise<void> {
  return new Promise((resolve, reject) => {
    // execArgv carries tsx's loader when running from the sources, nothing when running from the bundle.
    const child = spawn(process.execPath, [...process.execArgv, codeFile('first-start.child')], {
      env: childProcessEnv({ FIRST_START_CHILD: '1' }),
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim().split('\n').at(-1) || `first start exited with code ${code}`))));
  });
}

/** The child's work: the whole database in the staging folder, then moved into place. */
export async function runFirstStart() {
  const config = loadConfig();
  await prepareFreshDataDir(config.dataDir, async (database) => {
    const ctx = await openContext(config, { database });
    await loadDemoIfWanted(ctx);
  });
}
