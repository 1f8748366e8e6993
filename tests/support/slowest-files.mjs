/**
 * A node:test reporter used by scripts/test.ts beside `spec`: at the end of a run it prints the slowest test files
 * (each file's own wall time, from its process start to its last test, as node:test measures it), so the cost of
 * a run can be read from every CI log and compared between runs. It also records them where scripts/test.ts reads
 * them (TEST_TIMES_FILE), to start the slowest files first next time. Plain JavaScript: node:test loads reporters
 * before tsx's loader is in place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SHOWN = 15;
/** scripts/test.ts runs the files compiled into this folder, each at its source path plus `.js`. */
const buildDir = process.env.TEST_BUILD_DIR;
/** @param {string} file */
const sourceOf = (file) => (buildDir && file.startsWith(buildDir + path.sep) ? path.relative(buildDir, file).replace(/\.js$/, '') : path.relative(process.cwd(), file));

/** @param {AsyncIterable<{ type: string, data: { nesting?: number, name?: string, file?: string, details?: { duration_ms?: number } } }>} source */
export default async function* slowestFiles(source) {
  /** @type {Map<string, number>} */
  const files = new Map();
  for await (const event of source) {
    const { data } = event;
    // Each file is a test of its own at the top level, named after its path.
    if (event.type === 'test:complete' && data.nesting === 0 && data.file && data.name === data.file && data.details?.duration_ms !== undefined) {
      files.set(sourceOf(data.file), data.details.duration_ms);
    }
  }
  if (!files.size) return;
  // scripts/test.ts starts the slowest files first next time: merge this run's durations into what it knows.
  const timesFile = process.env.TEST_TIMES_FILE;
  if (timesFile) {
    let known = {};
    try {
      known = JSON.parse(readFileSync(timesFile, 'utf8'));
    } catch {
      // first run on this machine
    }
    writeFileSync(timesFile, JSON.stringify({ ...known, ...Object.fromEntries(files) }, null, 1));
  }
  const sorted = [...files].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((sum, [, ms]) => sum + ms, 0);
  const lines = sorted.slice(0, SHOWN).map(([file, ms]) => `ℹ ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
  yield `\nℹ slowest test files (${files.size} files, ${(total / 1000).toFixed(0)} s of file time in all):\n${lines.join('\n')}\n`;
}
