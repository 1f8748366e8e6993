/**
 * First start of an embedded database, run in a child process by server.ts: migrations, the territory's open
 * data, its guide articles and third places, the demo content. The import grows PGlite's WebAssembly memory,
 * which never shrinks; doing it in a process that then exits leaves the server as light as after a restart
 * (measured: ~840 MB resident when importing in-process, ~350 MB this way).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openContext } from './bootstrap.js';
import { childProcessEnv, loadConfig, type Config } from './config.js';
import { loadDemoIfWanted } from './demo.js';

/** A data folder PGlite has never initialised. */
export const isFreshDataDir = (config: Config) => !config.databaseUrl && !existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'));

/** Runs this file in a child process and waits for it; its errors become the parent's. */
export function prepareInChildProcess(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: childProcessEnv({ FIRST_START_CHILD: '1' }),
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim().split('\n').at(-1) || `first start exited with code ${code}`))));
  });
}

async function main() {
  const ctx = await openContext(loadConfig());
  await loadDemoIfWanted(ctx);
  await ctx.database.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
