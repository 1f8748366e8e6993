/**
 * Demo content for a fresh embedded database (DEMO=auto), or anywhere with DEMO=1: one account per role and
 * each module's examples, so a newcomer can see every screen. Never loaded on PostgreSQL unless asked; DEMO=0
 * turns it off everywhere. What each module loads is in its manifest's `demo` hook.
 */
import type { AppContext } from './context.js';
import { loadDemoContent } from './modules.js';

export async function loadDemoIfWanted(ctx: AppContext) {
  if (!ctx.demo) return;
  await loadDemoContent(ctx);
}
