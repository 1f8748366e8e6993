/**
 * The embedded database (PGlite) lives in one process: two processes opening the same data folder would
 * corrupt it. Whoever opens it (the server, or a command such as db:restore) first writes DATA_DIR/server.pid;
 * anyone else refuses with one sentence naming the holder. A file left by a killed process is recognised as
 * stale (no such process, a zombie awaiting its parent, or a different process reusing the pid) and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'server.pid';

export interface LockHolder {
  pid: number;
  /** Process start time in clock ticks (Linux), to tell a live holder from a reused pid. */
  start: string | null;
  /** What holds it: "server", "db:restore"... */
  by: string;
  since: string;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    message: string,
  ) {
    super(message);
  }
}

const lockPath = (dataDir: string) => path.join(dataDir, LOCK_FILE);

/** Fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses); null off Linux. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Field 22 (starttime) in clock ticks. */
const processStart = (pid: number): string | null => procStat(pid)?.[19] ?? null;

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = procStat(holder.pid);
  // A killed process stays in the table as a zombie (state Z, or X while being removed) until its parent reaps
  // it, and signal 0 still reaches it: it holds no file and no memory, so it is dead for the folder. Without this
  // a supervisor restarting right after a kill -9 was refused for as long as the zombie lasted.
  if (stat && (stat[0] === 'Z' || stat[0] === 'X')) return false;
  const start = stat?.[19] ?? null;
  return holder.start === null || start === null || start === holder.start;
}

/** The live process holding the data folder, or null when it is free (no file, or a stale one). */
export function dataDirHolder(dataDir: string): LockHolder | null {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockHolder;
  } catch {
    return null;
  }
  if (typeof holder?.pid !== 'number' || holder.pid === process.pid) return null;
  return isAlive(holder) ? holder : null;
}

const describe = (h: LockHolder) => (h.by === 'server' ? `the server (pid ${h.pid})` : `"${h.by}" (pid ${h.pid})`);

/** Throws DataDirBusyError, whose message is one sentence, when another live process holds the folder. */
export function assertDataDirFree(dataDir: string, doing: string) {
  const holder = dataDirHolder(dataDir);
  if (holder) {
    throw new DataDirBusyError(holder, `Cannot ${doing}: ${describe(holder)} is using the embedded database in ${dataDir}; stop it first.`);
  }
}

/**
 * Takes the data folder for this process until it exits (the file is removed on any normal exit, and a
 * SIGKILL leaves a stale file the next process takes over). Returns the release function.
 */
export function claimDataDir(dataDir: string, by: string, doing = by === 'server' ? 'start the server' : `run ${by}`): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const me: LockHolder = { pid: process.pid, start: processStart(process.pid), by, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    assertDataDirFree(dataDir, doing);
    try {
      // Exclusive create: of two processes starting together, exactly one gets the file.
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      // The file is stale (checked above) or was just released: remove it and try again.
      if (!dataDirHolder(dataDir)) rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
      if (holder.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}
