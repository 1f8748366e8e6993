/**
 * The esbuild options shared by the two builds of the code for Node: the server `npm start` runs (scripts/start.mjs,
 * decision 0034) and the test files of a run (scripts/test.ts). ES modules for Node 20, split into shared chunks,
 * packages left in node_modules, source maps for readable stacks, and functions and classes keeping their own names
 * where the bundle renames two of the same name (as they have when run from the sources).
 */
export const nodeBundle = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  keepNames: true,
  logLevel: 'warning',
};
