/**
 * The nightly backup ("db.backup"), written from inside the running server into DATA_DIR/backups: the
 * embedded database can only be read by the process that has it open, so this is the way to back it up
 * without stopping the site. One slot a day (02:30 UTC, after the purge), one job per slot through its
 * dedupe key; the last BACKUPS_KEPT files are kept. On PostgreSQL it runs pg_dump when installed.
 */
import path from 'node:path';
import type { AppContext } from '../context.js';
import { backupDir, backupFileName, pruneBackups, writeBackup } from '../db/backup.js';
import { DAY, MINUTE } from '../shared/time.js';
import { enqueueJob, type ClaimedJob } from './queue.js';

export const BACKUP_JOB = 'db.backup';
export const BACKUPS_KEPT = 14;
const SLOT_MS = (2 * 60 + 30) * MINUTE;

/** The start of the daily slot `now` falls in. */
export function backupSlot(now: Date): Date {
  const slot = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + SLOT_MS;
  return new Date(slot <= now.getTime() ? slot : slot - DAY);
}

const slotKey = (slot: Date) => `${BACKUP_JOB}:${slot.toISOString().slice(0, 10)}`;

/** At start-up: makes sure today's backup exists (it runs now when the server was down at the slot). */
export function scheduleBackup(ctx: AppContext) {
  const now = ctx.clock.now();
  return enqueueJob(ctx.db, now, BACKUP_JOB, {}, { dedupeKey: slotKey(backupSlot(now)), maxAttempts: 3 });
}

/** The file is written before the next night is scheduled: a crash in between only repeats a backup. */
export async function backupJob(ctx: AppContext, _job: ClaimedJob) {
  const now = ctx.clock.now();
  const dir = backupDir(ctx.config.dataDir);
  const format = ctx.database.kind === 'pglite' ? 'pglite' : 'pg_dump';
  const file = path.join(dir, backupFileName(format, now));
  const started = performance.now();
  const bytes = await writeBackup(ctx.database, ctx.config.databaseUrl, file);
  const removed = pruneBackups(dir, BACKUPS_KEPT);
  const next = new Date(backupSlot(now).getTime() + DAY);
  await enqueueJob(ctx.db, now, BACKUP_JOB, {}, { runAt: next, dedupeKey: slotKey(next), maxAttempts: 3 });
  ctx.log.info({ file, bytes, ms: Math.round(performance.now() - started), removed: removed.length }, 'backup written');
}
