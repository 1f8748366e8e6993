/**
 * `npm run lint`: the layering rules (scripts/lint-rules.ts) over every TypeScript file in src/, scripts/ and
 * tests/. Prints `file:line  rule  message` per violation and exits 1 when there is any. Type errors are
 * `npm run typecheck`'s job.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkFile, type Violation } from './lint-rules.js';

const root = path.resolve(import.meta.dirname, '..');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const files = ['src', 'scripts', 'tests'].flatMap((d) => walk(path.join(root, d)));
const violations: Violation[] = files.flatMap((file) => checkFile(path.relative(root, file), readFileSync(file, 'utf8')));

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
for (const field of ['dependencies', 'devDependencies']) {
  if (pkg[field]?.['@kitajs/html']) violations.push({ file: 'package.json', line: 1, rule: 'no-kitajs', message: `@kitajs/html in ${field}` });
}

for (const v of violations) console.log(`${v.file}:${v.line}  ${v.rule}  ${v.message}`);
if (violations.length) {
  console.log(`\nlint: ${violations.length} violation(s) in ${new Set(violations.map((v) => v.file)).size} file(s); the rules are in scripts/lint-rules.ts and docs/decisions/0009-lint-by-import-scanner.md`);
  process.exit(1);
}
console.log(`lint: ${files.length} files follow the layering rules`);
