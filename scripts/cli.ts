/**
 * What the command-line scripts share: one readable line on failure (no stack trace), exit code 1, and the
 * embedded database taken for the script's duration so a server cannot open it at the same time.
 */
import { loadConfig, type Config } from '../src/config.js';
import { claimDataDir } from '../src/db/data-dir-lock.js';

export function scriptConfig(): Config {
  // Scripts talk on the terminal; the app's info logs would only add noise there.
  return { ...loadConfig(), logLevel: 'warn' };
}

/** On the embedded database, takes DATA_DIR (refusing when the server runs); on PostgreSQL, nothing to do. */
export function takeDatabase(config: Config, script: string, doing: string) {
  if (!config.databaseUrl) claimDataDir(config.dataDir, script, doing);
}

export function run(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${message.split('\n')[0]}\n`);
      process.exit(1);
    },
  );
}
