/**
 * Where the code and the repository's files are, whether the server runs from the TypeScript sources (tsx:
 * this file is src/shared/paths.ts) or from the compiled bundle `npm start` builds (scripts/start.mjs: this code
 * sits in a file directly inside the bundle's folder, itself directly inside the repository).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** True when running from the compiled bundle. */
export const compiled = !import.meta.url.endsWith('.ts');
/** The repository: data/, public/, package.json. */
export const rootDir = compiled ? path.resolve(here, '..') : path.resolve(here, '..', '..');
/** src/, or the bundle's folder, which mirrors it for what is loaded by path (migrations, entry points). */
export const codeDir = compiled ? here : path.join(rootDir, 'src');
/** A module loaded by path: `src/<name>.ts`, or `<bundle>/<name>.js`. */
export const codeFile = (name: string) => path.join(codeDir, `${name}.${compiled ? 'js' : 'ts'}`);
