/**
 * The layering rules of the house style, checked on each file's imports (decisions 0009 and 0017: a small
 * scanner on the TypeScript parser instead of dependency-cruiser, which needs Node 22). Pure: paths and texts
 * in, violations out, so the rules are tested without touching the disk.
 *
 * - `checkFile` looks at one file's imports: layering inside a domain, the doors between domains and rooms,
 *   shared layers never importing a domain, process.env, @kitajs.
 * - `checkGraph` looks at all of src/ at once: no import cycle between files.
 *
 * Tests (`*.test.ts(x)`, `tests/**`) and scripts are tools around the app: they may reach into any layer and
 * read their own variables (TEST_DATABASE_URL...), so only the rules that hold everywhere apply to them.
 */
import path from 'node:path';
import ts from 'typescript';

export interface Violation {
  file: string;
  line: number;
  rule: string;
  message: string;
}

interface ImportRef {
  spec: string;
  line: number;
  typeOnly: boolean;
}

/**
 * Whether `import type` (and imports of types only) make edges of the cycle graph. They do: the rule is "no
 * import cycle between files", and a type cycle still ties two files' designs together. Change it here, with
 * its reason in decision 0017, if type-only cycles are ever accepted.
 */
export const CYCLES_COUNT_TYPE_IMPORTS = true;

const DATABASE_PACKAGES = /^(kysely|pg|pg-.*|@electric-sql\/.*)$/;

/** The shared layers: every domain plugs into them through its manifest, so they never import a domain. */
const SHARED_LAYER = /^src\/(web|jobs|db|shared)\/|^src\/(context|module)\.tsx?$/;
/** The composition root: the one list of module manifests, the only app file that imports domains. */
const COMPOSITION_ROOT = /^src\/modules\.tsx?$/;

const posix = (p: string) => p.split(path.sep).join('/');

/** A file's role is told by its name: `<anything>.routes.tsx` in a domain's root, or a bare `routes.tsx` in a room. */
const role = (base: string, names: string) => new RegExp(`(^|\\.)(${names})\\.tsx?$`).test(base);
/** The same for an import's target, which has no extension (`./stays/repo.js` → `…/stays/repo`). */
const targetRole = (target: string, name: string) => new RegExp(`(^|\\.)${name}$`).test(path.posix.basename(target));

/**
 * Where a path (a file, or an import target without extension) sits among the domains: the domain, the room
 * (first sub-folder of the domain, or null at the domain's root) and the rest of the path below them.
 */
function placeOf(p: string) {
  const m = /^src\/domains\/([^/]+)(?:\/(.*))?$/.exec(p.replace(/\/+$/, ''));
  if (!m) return null;
  const rest = m[2] ? m[2].split('/') : [];
  return { domain: m[1], room: rest.length >= 2 ? rest[0] : null, rest };
}

export function kindOf(file: string) {
  const f = posix(file);
  const base = path.posix.basename(f);
  const isTest = /\.test\.tsx?$/.test(base) || f.startsWith('tests/');
  return {
    isTest,
    isTool: isTest || f.startsWith('scripts/'),
    isRoute: !isTest && role(base, 'routes|api'),
    isView: !isTest && (role(base, 'views') || f === 'src/web/layout.tsx' || f.startsWith('src/web/components/')),
    isRepo: role(base, 'repo'),
    isMigration: f.startsWith('src/db/migrations/'),
    isShared: SHARED_LAYER.test(f),
    isCompositionRoot: COMPOSITION_ROOT.test(f),
    domain: /^src\/domains\/([^/]+)\//.exec(f)?.[1] ?? null,
  };
}

function collect(file: string, text: string) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: ImportRef[] = [];
  const envReads: number[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      imports.push({ spec: node.moduleSpecifier.text, line: lineOf(node), typeOnly: allTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push({ spec: node.moduleSpecifier.text, line: lineOf(node), typeOnly: node.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      imports.push({ spec: node.moduleReference.expression.text, line: lineOf(node), typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamic || isRequire) imports.push({ spec: node.arguments[0].text, line: lineOf(node), typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      imports.push({ spec: node.argument.literal.text, line: lineOf(node), typeOnly: true });
    } else if (
      (ts.isPropertyAccessExpression(node) && node.name.text === 'env') ||
      (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env')
    ) {
      if (ts.isIdentifier(node.expression) && node.expression.text === 'process') envReads.push(lineOf(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, envReads };
}

/** The repository-relative path an import points to (without extension), or null for a package. */
function resolveRelative(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return path.posix
    .normalize(path.posix.join(path.posix.dirname(posix(file)), spec))
    .replace(/\/+$/, '')
    .replace(/\.(js|jsx|mjs|ts|tsx|mts)$/, '');
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/**
 * The doors between domains and rooms (rule `domain-via-index`), or null when the import is allowed. `from` is
 * the importing file's place (null outside src/domains/), `to` the target's. A bare `src/domains/A/x` target is
 * either a root file or room x's folder (its index): both are fine from inside domain A, so no disk is needed.
 */
function doorViolation(from: ReturnType<typeof placeOf>, to: NonNullable<ReturnType<typeof placeOf>>): string | null {
  const isDomainIndex = to.rest.length === 0 || (to.rest.length === 1 && to.rest[0] === 'index');
  if (!from || from.domain !== to.domain) return isDomainIndex ? null : 'another domain is reached only through its index.ts';
  if (from.room && isDomainIndex) return "a room never imports its own domain's index.ts (the manifest composes the rooms)";
  const isRoomIndex = to.rest.length === 2 && to.rest[1] === 'index';
  if (to.room && to.room !== from.room && !isRoomIndex) {
    return from.room ? 'another room of the domain is reached only through its index.ts' : "the domain's root reaches a room only through the room's index.ts";
  }
  return null;
}

/** Checks one file (path relative to the repository root, with forward or native slashes). */
export function checkFile(file: string, text: string): Violation[] {
  const f = posix(file);
  const k = kindOf(f);
  const out: Violation[] = [];
  const add = (line: number, rule: string, message: string) => out.push({ file: f, line, rule, message });
  const { imports, envReads } = collect(f, text);
  const inSrc = f.startsWith('src/');
  const from = k.domain ? placeOf(f.replace(/\.tsx?$/, '')) : null;

  for (const imp of imports) {
    const target = resolveRelative(f, imp.spec);
    const pkg = target ? null : packageName(imp.spec);

    if (pkg === '@kitajs/html' || imp.spec.startsWith('@kitajs/')) {
      add(imp.line, 'no-kitajs', 'views are Preact (auto-escaped); @kitajs/html is not used here');
    }
    if (k.isTool) continue;

    if (k.isMigration && target) {
      add(imp.line, 'migration-imports', `migrations import nothing from src/ (they are frozen in time): ${imp.spec}`);
    }
    if (k.isRoute || k.isView) {
      const layer = k.isRoute ? 'a route' : 'a view';
      if (target && targetRole(target, 'repo')) add(imp.line, 'edge-no-repo', `${layer} never imports a repo; call a service: ${imp.spec}`);
      if (pkg && DATABASE_PACKAGES.test(pkg)) add(imp.line, 'edge-no-database', `${layer} never imports ${pkg}; the database is reached through a service`);
      if (target && target.startsWith('src/db/') && !imp.typeOnly) add(imp.line, 'edge-no-database', `${layer} never imports the database layer: ${imp.spec}`);
    }
    if (k.isView && target && targetRole(target, 'service') && !imp.typeOnly) {
      add(imp.line, 'view-no-service', `views are pure (props in, HTML out); only types may come from a service: ${imp.spec}`);
    }
    if (k.domain && !k.isRepo && pkg === 'kysely' && !imp.typeOnly) {
      add(imp.line, 'sql-in-repo', 'in a domain, only the repo writes SQL (import kysely values there; types are fine anywhere)');
    }

    const to = target ? placeOf(target) : null;
    if (!to) continue;
    if (k.isShared) {
      add(imp.line, 'shared-no-domain', `a shared layer never imports a domain; the domain plugs in through its module manifest: ${imp.spec}`);
    } else if (inSrc && !k.domain && !k.isCompositionRoot) {
      add(imp.line, 'compose-in-modules', `only src/modules.ts imports the domains; take what you need from the composed modules: ${imp.spec}`);
    } else {
      const why = doorViolation(from, to);
      if (why) add(imp.line, 'domain-via-index', `${why}: ${imp.spec}`);
    }
  }

  if (!k.isTool && f !== 'src/config.ts') {
    for (const line of envReads) add(line, 'env-in-config', 'only src/config.ts reads process.env; add the variable there');
  }
  // The server also runs from a bundle (scripts/start.mjs), where a module's own location is the bundle's.
  if (inSrc && !k.isTool && f !== 'src/shared/paths.ts') {
    text.split('\n').forEach((line, i) => {
      if (/\bimport\.meta\.(url|dirname|filename)\b/.test(line)) add(i + 1, 'paths-in-one-place', 'find files from src/shared/paths.ts (rootDir, codeFile), not from import.meta: it is the bundle’s location once compiled');
    });
  }
  return out;
}

/** The file an import target (no extension) names among `files`, as Node and tsx resolve `./x.js`. */
function resolveFile(files: Map<string, string>, target: string): string | null {
  for (const candidate of [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`, `${target}/index.tsx`]) {
    if (files.has(candidate)) return candidate;
  }
  return null;
}

/**
 * Rule `no-cycle`: no import cycle between the app's files (non-tool files under src/; relative imports of
 * any form). `files` maps repository-relative paths to their text. Each strongly connected component of the
 * import graph is reported once, at its first file in sorted order, with the shortest cycle through that file;
 * when more files are tangled in the same knot, the message lists them too.
 */
export function checkGraph(files: Map<string, string>): Violation[] {
  const sources = new Map([...files].map(([file, text]) => [posix(file), text] as const).filter(([f]) => f.startsWith('src/') && !kindOf(f).isTool));
  // file → (imported file → line of the first import of it), in sorted order so the output is deterministic.
  const edges = new Map<string, Map<string, number>>();
  const nodes = [...sources.keys()].sort();
  for (const file of nodes) {
    const out = new Map<string, number>();
    for (const imp of collect(file, sources.get(file)!).imports) {
      if (imp.typeOnly && !CYCLES_COUNT_TYPE_IMPORTS) continue;
      const target = resolveRelative(file, imp.spec);
      const to = target && resolveFile(sources, target);
      if (to && !out.has(to)) out.set(to, imp.line);
    }
    edges.set(file, new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1))));
  }

  const knots = stronglyConnected(nodes, (n) => [...edges.get(n)!.keys()]).filter((c) => c.length > 1 || edges.get(c[0])!.has(c[0]));
  const violations = knots.map((knot) => {
    const members = new Set(knot);
    const start = [...knot].sort()[0];
    const cycle = shortestCycle(start, (n) => [...edges.get(n)!.keys()].filter((m) => members.has(m)));
    const others = [...knot].sort().filter((f) => !cycle.includes(f));
    const extra = others.length ? ` (also tangled in the same knot: ${others.join(', ')})` : '';
    return {
      file: start,
      line: edges.get(start)!.get(cycle[1])!,
      rule: 'no-cycle',
      message: `import cycle: ${cycle.join(' → ')}${extra}`,
    };
  });
  return violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Tarjan's algorithm, iterative so a long chain of imports cannot overflow the stack. */
function stronglyConnected(nodes: string[], next: (n: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; children: string[]; i: number }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: next(node), i: 0 });
    };
    open(root);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++];
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** The shortest path start → … → start (breadth first, neighbours in sorted order), start repeated at the end. */
function shortestCycle(start: string, next: (n: string) => string[]): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const m of next(node)) {
      if (m === start) {
        const between: string[] = [];
        for (let n = node; n !== start; n = parent.get(n)!) between.unshift(n);
        return [start, ...between, start];
      }
      if (!parent.has(m) && m !== start) {
        parent.set(m, node);
        queue.push(m);
      }
    }
  }
  return [start, start];
}
