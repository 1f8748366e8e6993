/**
 * Road times from a routing engine, asked once at import when one is configured (`OSRM_URL`, optional). The
 * pages then show those times and cite the engine and its road data; without it, or for a trip it cannot route,
 * they show the estimate of territory.geo.ts and say it is one. Nothing here runs while serving a page.
 *
 * One OSRM "table" request per batch of communes: every commune of the batch to every destination (the
 * territory's reference points and the stations that are someone's nearest), durations in seconds.
 */
import type { LatLon } from './territory.geo.js';

/** Communes per request: the public OSRM server refuses tables larger than 100 coordinates by default. */
const BATCH = 60;
const TIMEOUT_MS = 30_000;

export interface RoutingOptions {
  /** Base URL of an OSRM server (`http://osrm.example:5000`), without the `/table/v1/...` part. */
  url: string;
  /** Injected in tests; the platform's fetch otherwise. */
  fetch?: typeof fetch;
}

export class RoutingError extends Error {}

/**
 * Minutes by road from each origin to each destination (rounded), null where the engine found no route.
 * Throws a RoutingError when the server cannot be reached or answers anything but a table: the import then
 * stops whole rather than mixing routed and estimated times without saying so.
 */
export async function routeMinutes(
  options: RoutingOptions,
  origins: readonly (LatLon & { key: string })[],
  destinations: readonly (LatLon & { key: string })[],
): Promise<Map<string, Map<string, number | null>>> {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  const result = new Map<string, Map<string, number | null>>();
  const coord = (p: LatLon) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`;
  for (let start = 0; start < origins.length; start += BATCH) {
    const batch = origins.slice(start, start + BATCH);
    const points = [...batch, ...destinations].map(coord).join(';');
    const sources = batch.map((_, i) => i).join(';');
    const targets = destinations.map((_, i) => batch.length + i).join(';');
    const url = `${base}/table/v1/driving/${points}?sources=${sources}&destinations=${targets}&annotations=duration`;
    let body: unknown;
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!res.ok) throw new RoutingError(`le serveur d’itinéraires a répondu ${res.status}`);
      body = await res.json();
    } catch (error) {
      if (error instanceof RoutingError) throw error;
      throw new RoutingError(`serveur d’itinéraires injoignable (${(error as Error).message})`);
    }
    const durations = (body as { code?: string; durations?: unknown }).durations;
    if ((body as { code?: string }).code !== 'Ok' || !Array.isArray(durations) || durations.length !== batch.length) {
      throw new RoutingError('réponse inattendue du serveur d’itinéraires (table OSRM attendue)');
    }
    batch.forEach((origin, i) => {
      const row = durations[i] as unknown;
      if (!Array.isArray(row) || row.length !== destinations.length) throw new RoutingError('réponse inattendue du serveur d’itinéraires (ligne de table incomplète)');
      result.set(origin.key, new Map(destinations.map((d, j) => [d.key, typeof row[j] === 'number' && Number.isFinite(row[j]) && row[j] >= 0 ? Math.round(row[j] / 60) : null])));
    });
  }
  return result;
}

/** What the dataset row says about the engine: its address without credentials, path or query. */
export function routingServerLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'serveur OSRM';
  }
}
