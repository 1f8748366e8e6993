/** Where Debian's Chromium is (never downloaded: decision 0007). */
import { existsSync } from 'node:fs';

export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The browser's own language (LANG, which Chromium on Linux reads for its formats): date fields show 27/11/2026 as
 * a French reader's browser does, when Debian's chromium-l10n is installed. Without it Chromium falls back to
 * English formats; the pages are the same.
 */
const CHROMIUM_ENV = { ...process.env, LANG: 'fr_FR.UTF-8' };

/** Launches Debian's Chromium through playwright-core; throws with a readable line when it is missing. */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).');
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, env: CHROMIUM_ENV });
}
