/**
 * The child process of a first start (first-start.ts): its own entry point, so that it is a file of its own
 * in the compiled bundle too.
 */
import { runFirstStart } from './first-start.js';

runFirstStart().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
