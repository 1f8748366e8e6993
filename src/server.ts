/**
 * Starts the application: configuration, database, migrations, territory data and demo content on first
 * start, the HTTP server and the job worker. SIGTERM lets in-flight requests finish and closes the database.
 */
import { buildApp } from './app.js';
import { openContext, StartupError } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { claimDataDir, DataDirBusyError } from './db/data-dir-lock.js';
import { claimPostgresForServer, PostgresBusyError } from './db/postgres-lock.js';
import { assertDemoAllowed, disableDemoIfOff, loadDemoIfWanted } from './demo.js';
import { isFreshDataDir, prepareInChildProcess } from './first-start.js';
import { JobWorker } from './jobs/worker.js';
import { jobHandlers, jobLanes, scheduleRecurringJobs } from './modules.js';

async function main() {
  const started = performance.now();
  const config = loadConfig();
  assertDemoAllowed(config);
  // The embedded database allows one process: the pid file makes a second server or a restore refuse.
  const releaseDataDir = config.databaseUrl ? () => {} : claimDataDir(config.dataDir, 'server');
  if (isFreshDataDir(config)) await prepareInChildProcess();
  const ctx = await openContext(config);
  // On PostgreSQL, a shared lock every server holds while it runs (taken once the database answered, so an
  // unreachable server is reported as such): db:restore refuses while any is held.
  const postgresLock = config.databaseUrl ? await claimPostgresForServer(config.databaseUrl) : null;
  await loadDemoIfWanted(ctx);
  await disableDemoIfOff(ctx);
  await scheduleRecurringJobs(ctx);
  const app = await buildApp(ctx);
  const worker = config.jobs ? new JobWorker(ctx, jobHandlers, { lanes: jobLanes }) : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await app.close(); // stops accepting, lets in-flight requests finish
    await worker?.stop();
    await ctx.database.close();
    await postgresLock?.release();
    releaseDataDir();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  worker?.start();
  ctx.log.info(
    { url: config.baseUrl, database: ctx.database.kind, territory: ctx.territory.slug, demo: ctx.demo, startMs: Math.round(performance.now() - started) },
    'ready',
  );
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof StartupError || error instanceof DataDirBusyError || error instanceof PostgresBusyError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Startup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
