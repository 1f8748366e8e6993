/**
 * Demo content for a fresh embedded database (DEMO=auto), or anywhere with DEMO=1: one account per role and
 * each module's examples, so a newcomer can see every screen. Never loaded on PostgreSQL unless asked; DEMO=0
 * turns it off everywhere. What each module loads is in its manifest's `demo` hook.
 *
 * Demo content never passes into a real deployment (decision 0022): it is marked as such; a start without demo
 * mode disables the demo accounts and refuses their sessions (saying so in the log); `npm run demo:remove` deletes
 * it; and a server whose BASE_URL is https refuses to start in demo mode unless DEMO=1 asks for it explicitly.
 */
import { StartupError } from './bootstrap.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { disableDemoContent, loadDemoContent } from './modules.js';

export async function loadDemoIfWanted(ctx: AppContext) {
  if (!ctx.demo) return;
  await loadDemoContent(ctx);
}

/**
 * Before anything starts: a public https address with demo mode only implied (DEMO=auto on the embedded database)
 * is a real deployment about to publish an administrator whose password is in the README.
 */
export function assertDemoAllowed(config: Config) {
  const demoByDefault = config.demo === 'auto' && !config.databaseUrl;
  if (config.secureCookies && demoByDefault) {
    throw new StartupError(
      `BASE_URL is https (${config.baseUrl}) but demo mode is on by default on the embedded database: its demo accounts have a public password. ` +
        'Set DEMO=0 for a real deployment (demo accounts are then disabled), or DEMO=1 to run a public demo on purpose.',
    );
  }
}

/** Demo mode off: every demo account is disabled and its sessions closed; the log says how many. */
export async function disableDemoIfOff(ctx: AppContext) {
  if (ctx.demo) return 0;
  const changed = await disableDemoContent(ctx);
  if (changed) ctx.log.warn({ disabled: changed }, 'demo mode is off: demo accounts disabled and their sessions closed (npm run demo:remove deletes the demo content)');
  return changed;
}
