/**
 * `npm run lint`: the layering rules (scripts/lint-rules.ts) over every TypeScript file in src/, scripts/ and
 * tests/, and the import-cycle rule over src/. Prints `file:line  rule  message` per violation and exits 1 when
 * there is any. Type errors are `npm run typecheck`'s job.
 *
 *   tsx scripts/lint.ts [root]     root defaults to the repository; the tests point it at a fixture tree
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkFile, checkGraph, type Violation } from './lint-rules.js';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
// The lint's own fixtures break the rules on purpose; tests/ops/lint.test.ts runs the lint on them.
const skipped = new Set([path.join(root, 'tests', 'ops', 'fixtures', 'lint')]);

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir) || skipped.has(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const files = ['src', 'scripts', 'tests'].flatMap((d) => walk(path.join(root, d)));
const sources = new Map(files.map((file) => [path.relative(root, file).split(path.sep).join('/'), readFileSync(file, 'utf8')]));
const violations: Violation[] = [...sources].flatMap(([file, text]) => checkFile(file, text));
violations.push(...checkGraph(sources));

const packageJson = path.join(root, 'package.json');
if (existsSync(packageJson)) {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies']) {
    if (pkg[field]?.['@kitajs/html']) violations.push({ file: 'package.json', line: 1, rule: 'no-kitajs', message: `@kitajs/html in ${field}` });
  }
}

for (const v of violations) console.log(`${v.file}:${v.line}  ${v.rule}  ${v.message}`);
if (violations.length) {
  console.log(
    `\nlint: ${violations.length} violation(s) in ${new Set(violations.map((v) => v.file)).size} file(s); the rules are in scripts/lint-rules.ts and docs/decisions/0009-lint-by-import-scanner.md, 0017-lint-boundaries-and-cycles.md`,
  );
  process.exit(1);
}
console.log(`lint: ${files.length} files follow the layering rules, no import cycle`);
