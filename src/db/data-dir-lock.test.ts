/**
 * The data-folder lock tells a dead holder from a live one. After a SIGKILL the holder stays a zombie until its
 * parent (a supervisor, here this test) reaps it; a restart during that window must take the folder over, while
 * a live holder still makes it refuse.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { claimDataDir, DataDirBusyError } from './data-dir-lock.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'accueil-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A process that takes the folder and waits; resolves once it holds it. */
async function holder(): Promise<ChildProcess> {
  const lock = path.join(import.meta.dirname, 'data-dir-lock.ts');
  const script = `import { claimDataDir } from ${JSON.stringify(lock)}; claimDataDir(${JSON.stringify(dir)}, 'holder'); console.log('ready'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

const stateOf = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
};

test('a live holder makes a second claim refuse', async () => {
  const child = await holder();
  try {
    assert.throws(() => claimDataDir(dir, 'server'), DataDirBusyError);
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
});

test('a holder killed with SIGKILL and not yet reaped (a zombie) does not block an immediate restart', { skip: process.platform !== 'linux' }, async () => {
  const child = await holder();
  const pid = child.pid!;
  child.kill('SIGKILL');
  // Synchronously, so this process's event loop cannot reap the child: it stays a zombie, as under a supervisor
  // that has not yet called wait().
  const deadline = Date.now() + 5000;
  while (stateOf(pid) !== 'Z' && Date.now() < deadline);
  assert.equal(stateOf(pid), 'Z', 'the killed holder is a zombie');
  const release = claimDataDir(dir, 'server');
  assert.equal(JSON.parse(readFileSync(path.join(dir, 'server.pid'), 'utf8')).pid, process.pid);
  release();
  await new Promise((r) => child.once('exit', r));
});
