/**
 * The real server as a child process, for the life-cycle tests and the benchmarks: from the sources
 * (`node --import tsx src/server.ts`) or, with `compiled`, the way `npm start` runs it (scripts/start.mjs: the
 * bundle, built first when the sources changed). A free port chosen beforehand (the server does not print the
 * port it got), a clean environment (nothing leaks from the developer's shell, such as DATABASE_URL), captured
 * output, and helpers to wait for /healthz and to stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Binds port 0, reads the port the system chose, releases it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  startedAt: number;
  exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** Resolves once GET /healthz answers 200; rejects when the process exits first or after `timeoutMs`. */
  waitHealthy(timeoutMs?: number): Promise<number>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** The environment every child gets: PATH and the machine's basics, then exactly what the caller sets. */
export function cleanEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR'];
  const env: NodeJS.ProcessEnv = { TZ: 'UTC', NODE_ENV: 'production' };
  for (const k of keep) if (process.env[k]) env[k] = process.env[k];
  return { ...env, ...vars };
}

/** Runs `node --import tsx <script>` from the repository root with a clean environment. */
export function spawnTsx(script: string, args: string[], vars: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: cleanEnv(vars),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface StartOptions {
  port?: number;
  /** Go to node itself (e.g. `--cpu-prof` for `npm run profile`). */
  nodeArgs?: string[];
  /** Run as `npm start` does: scripts/start.mjs, from the bundle in BUILD_DIR (`build` unless `vars` set it). */
  compiled?: boolean;
}

export async function startServer(vars: Record<string, string>, options: StartOptions = {}): Promise<ServerProcess> {
  const { nodeArgs = [], compiled = false } = options;
  const chosen = options.port ?? (await freePort());
  const startedAt = performance.now();
  const env = { HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO: '0', PORT: String(chosen), ...vars };
  const child = compiled
    ? spawn(process.execPath, [...nodeArgs, 'scripts/start.mjs'], { cwd: repoRoot, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    : spawnTsx('src/server.ts', [], env, nodeArgs);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const url = `http://127.0.0.1:${chosen}`;
  return {
    child,
    pid: child.pid!,
    port: chosen,
    url,
    startedAt,
    exited,
    stdout: () => out,
    stderr: () => err,
    async waitHealthy(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (done) throw new Error(`server exited before answering: ${err.trim() || out.trim()}`);
        try {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
          if (res.status === 200) return performance.now() - startedAt;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      throw new Error(`server not healthy after ${timeoutMs} ms: ${err.trim()}`);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Signs in over HTTP the way a browser without JavaScript does (the login form's CSRF token, then the form post)
 * and returns the Cookie header of the session, for benchmarks and profiles of signed-in pages.
 */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${baseUrl}/connexion`);
  const csrf = form.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('csrf='));
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf || !token) throw new Error('the login page carries no CSRF token');
  const res = await fetch(`${baseUrl}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  const sid = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('sid='));
  if (res.status !== 303 || !sid) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  return `${csrf}; ${sid}`;
}
