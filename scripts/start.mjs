/**
 * `npm start`: runs the server from JavaScript compiled once, instead of compiling the TypeScript sources at
 * every start through tsx, which costs about a second of module loading each time (decision 0034).
 *
 * The bundle goes to build/: the server, the first start's child process and each migration (loaded by path),
 * with the packages left in node_modules. It is rebuilt when a source, the lockfile, tsconfig.json or this file is
 * newer than it (a second or so with esbuild), into a folder of its own that then replaces build/ in one rename.
 * The command-line scripts, the tests and `npm run dev` keep running the sources through tsx.
 *
 *   node scripts/start.mjs            build if needed, then start the server
 *   node scripts/start.mjs --build    build if needed and stop (an image or a deployment step)
 */
import { build } from 'esbuild';
import { nodeBundle } from './bundle-options.mjs';
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, process.env.BUILD_DIR ?? 'build');
const stamp = path.join(outdir, '.built');

/** Every file below `dir`, skipping tests: they are not part of the server. */
function sources(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

const src = path.join(root, 'src');
const files = sources(src);
const inputs = [...files, ...['package-lock.json', 'tsconfig.json', 'scripts/start.mjs'].map((f) => path.join(root, f))];

function upToDate() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return inputs.every((file) => !existsSync(file) || statSync(file).mtimeMs <= built);
}

async function compile() {
  const started = performance.now();
  const startedAt = new Date();
  const next = `${outdir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const migrations = files.filter((f) => path.dirname(f) === path.join(src, 'db', 'migrations') && f.endsWith('.ts'));
  await build({
    entryPoints: [path.join(src, 'server.ts'), path.join(src, 'first-start.child.ts'), ...migrations],
    outbase: src,
    outdir: next,
    ...nodeBundle,
  });
  // Dated from the build's start: a source saved while it ran is newer, and the next start builds again.
  writeFileSync(path.join(next, '.built'), `${startedAt.toISOString()}\n`);
  utimesSync(path.join(next, '.built'), startedAt, startedAt);
  rmSync(outdir, { recursive: true, force: true });
  renameSync(next, outdir);
  console.log(`server compiled into ${path.relative(root, outdir)}/ in ${Math.round(performance.now() - started)} ms`);
}

if (!upToDate()) {
  try {
    await compile();
  } catch (error) {
    // A read-only checkout (a service's sandbox): the bundle is built at deployment, as its owner.
    if (['EACCES', 'EPERM', 'EROFS'].includes(error?.code)) {
      process.stderr.write(`The sources changed and ${path.relative(root, outdir)}/ cannot be written here (${error.code}): run \`node scripts/start.mjs --build\` as the owner of ${root}.\n`);
      process.exit(1);
    }
    throw error;
  }
}
if (!process.argv.includes('--build')) await import(pathToFileURL(path.join(outdir, 'server.js')).href);
