/**
 * `npm run demo:remove`: deletes the demo content (demo accounts, the demo households' cases, the demo stays and the
 * example offers) from this deployment, on purpose, and says what went. Real content is never touched: only records
 * marked as demo. A demo account still referenced by real work is kept, disabled.
 */
import { openContext } from '../src/bootstrap.js';
import { removeDemoContent } from '../src/modules.js';
import { run, scriptConfig, takeDatabase } from './cli.js';

run(async () => {
  const config = scriptConfig();
  takeDatabase(config, 'demo:remove', 'remove the demo content');
  const ctx = await openContext({ ...config, demo: false });
  try {
    const removed = await removeDemoContent(ctx);
    for (const [module, counts] of Object.entries(removed)) {
      const parts = Object.entries(counts).map(([what, n]) => `${n} ${what}`);
      console.log(`${module}: ${parts.join(', ') || 'nothing'}`);
    }
    console.log('Demo content removed. Start the server with DEMO=0 so none is loaded again.');
  } finally {
    await ctx.database.close();
  }
});
