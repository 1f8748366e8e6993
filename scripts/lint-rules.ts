/**
 * The layering rules of the house style, checked on each file's imports (decision 0009: a small scanner on
 * the TypeScript parser instead of dependency-cruiser, which needs Node 22). Pure: a file's path and text in,
 * violations out, so the rules are tested without touching the disk.
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

const DATABASE_PACKAGES = /^(kysely|pg|pg-.*|@electric-sql\/.*)$/;

const posix = (p: string) => p.split(path.sep).join('/');

export function kindOf(file: string) {
  const f = posix(file);
  const base = path.posix.basename(f);
  const isTest = /\.test\.tsx?$/.test(base) || f.startsWith('tests/');
  return {
    isTest,
    isTool: isTest || f.startsWith('scripts/'),
    isRoute: !isTest && /\.(routes|api)\.tsx?$/.test(base),
    isView: !isTest && (/\.views\.tsx?$/.test(base) || f === 'src/web/layout.tsx' || f.startsWith('src/web/components/')),
    isRepo: /\.repo\.tsx?$/.test(base),
    isMigration: f.startsWith('src/db/migrations/'),
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

/** The repository-relative path an import points to, or null for a package. */
function resolveRelative(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(posix(file)), spec)).replace(/\.(js|jsx|mjs)$/, '');
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** Checks one file (path relative to the repository root, with forward or native slashes). */
export function checkFile(file: string, text: string): Violation[] {
  const f = posix(file);
  const k = kindOf(f);
  const out: Violation[] = [];
  const add = (line: number, rule: string, message: string) => out.push({ file: f, line, rule, message });
  const { imports, envReads } = collect(f, text);

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
      if (target && /\.repo$/.test(target)) add(imp.line, 'edge-no-repo', `${layer} never imports a repo; call a service: ${imp.spec}`);
      if (pkg && DATABASE_PACKAGES.test(pkg)) add(imp.line, 'edge-no-database', `${layer} never imports ${pkg}; the database is reached through a service`);
      if (target && target.startsWith('src/db/') && !imp.typeOnly) add(imp.line, 'edge-no-database', `${layer} never imports the database layer: ${imp.spec}`);
    }
    if (k.isView && target && /\.service$/.test(target) && !imp.typeOnly) {
      add(imp.line, 'view-no-service', `views are pure (props in, HTML out); only types may come from a service: ${imp.spec}`);
    }
    if (k.domain && !k.isRepo && pkg === 'kysely' && !imp.typeOnly) {
      add(imp.line, 'sql-in-repo', 'in a domain, only the repo writes SQL (import kysely values there; types are fine anywhere)');
    }
    if (target) {
      const m = /^src\/domains\/([^/]+)(?:\/(.*))?$/.exec(target);
      // The catalogue registry gathers every domain's strings; going through index.ts would loop back to it.
      const catalogue = f.startsWith('src/web/i18n/') && /\.i18n$/.test(target);
      if (m && m[1] !== k.domain && m[2] !== undefined && m[2] !== 'index' && m[2] !== '' && !catalogue) {
        add(imp.line, 'domain-via-index', `another domain is reached only through its index.ts: ${imp.spec}`);
      }
    }
  }

  if (!k.isTool && f !== 'src/config.ts') {
    for (const line of envReads) add(line, 'env-in-config', 'only src/config.ts reads process.env; add the variable there');
  }
  return out;
}
