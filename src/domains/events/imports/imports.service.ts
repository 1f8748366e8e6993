/**
 * External feeds the team follows: adding one (checked URL, queued import), importing it (fetch with a timeout, a
 * size limit and no redirects, read with ical.js, events upserted by UID, those gone cancelled) and the staff's
 * page. A feed that cannot be read is recorded on its source, never thrown at the job runner. Every hour a sweep
 * (`events.feedRefresh`) queues the import of each feed whose `refresh_hours` have passed since its last fetch.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Actor, AppContext, Executor } from '../../../context.js';
import { completeWithin, enqueueJob, type ClaimedJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { HOUR, parisTime } from '../../../shared/time.js';
import { isUniqueViolation } from '../../../db/errors.js';
import { recordAudit } from '../../audit/index.js';
import { findCommune, listCommuneNames } from '../../territory/index.js';
import { assertEventStaff } from '../events.policy.js';
import * as events from '../events.repo.js';
import { freeSlug } from '../staff/index.js';
import { FeedError, readFeed, type FeedEvent } from './imports.ics.js';
import * as repo from './imports.repo.js';
import type { SourceInput } from './imports.schemas.js';

export const IMPORT_FEED_JOB = 'events.importFeed';
export const FEED_REFRESH_JOB = 'events.feedRefresh';
export const FEED_LIMITS = { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024 };

const notFound = () => new AppError('not_found', 'events.imports.notFound');

/** Loopback, private, link-local and unspecified addresses: a feed may not make the server call its own network. */
export function isPrivateAddress(ip: string) {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number);
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = ip.toLowerCase();
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/** Refuses a URL whose host is (or resolves to) a private address, except in tests, which serve feeds on 127.0.0.1. */
async function assertPublicHost(ctx: AppContext, url: URL) {
  if (ctx.config.env === 'test') return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) throw new FeedError('events.imports.error.private');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => { throw new FeedError('events.imports.error.fetch'); })).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) throw new FeedError('events.imports.error.private');
}

/** The feed's text: http(s), no redirect, at most `maxBytes`, within `timeoutMs`. */
async function fetchFeed(ctx: AppContext, href: string, limits = FEED_LIMITS) {
  const url = new URL(href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FeedError('events.imports.urlInvalid');
  await assertPublicHost(ctx, url);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', signal, headers: { accept: 'text/calendar, */*;q=0.5' } });
  } catch (e) {
    throw new FeedError(signal.aborted || (e as Error).name === 'TimeoutError' ? 'events.imports.error.timeout' : 'events.imports.error.fetch');
  }
  if (!res.ok || !res.body) throw new FeedError('events.imports.error.status');
  if (Number(res.headers.get('content-length') ?? 0) > limits.maxBytes) throw new FeedError('events.imports.error.tooBig');
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw new FeedError('events.imports.error.tooBig');
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof FeedError) throw e;
    throw new FeedError(signal.aborted ? 'events.imports.error.timeout' : 'events.imports.error.fetch');
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------- staff

export async function listSources(ctx: AppContext, actor: Actor) {
  assertEventStaff(actor);
  const [sources, communes] = await Promise.all([repo.listSources(ctx.db, actor.territoryId), listCommuneNames(ctx.db, actor.territoryId)]);
  return { sources, communes };
}
export type SourcesPage = Awaited<ReturnType<typeof listSources>>;

export async function addSource(ctx: AppContext, actor: Actor, input: SourceInput) {
  assertEventStaff(actor);
  if (!(await findCommune(ctx.db, actor.territoryId, input.insee))) throw new AppError('invalid', 'events.form.communeRequired', { commune: 'events.form.communeRequired' });
  try {
    await assertPublicHost(ctx, new URL(input.url));
  } catch (e) {
    if (e instanceof FeedError) throw new AppError('invalid', e.key, { url: e.key });
    throw e;
  }
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await repo.insertSource(trx, { territoryId: actor.territoryId, ...input, now });
      await enqueueJob(trx, now, IMPORT_FEED_JOB, { sourceId: row.id });
      await recordAudit(trx, ctx, actor, { action: 'event.import_source.added', subjectType: 'event_import_source', subjectId: String(row.id), data: { url: input.url } });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', 'events.imports.duplicate', { url: 'events.imports.duplicate' });
    throw e;
  }
}

/** "Import now": the same import the job runs, its outcome shown on the staff page. */
export async function importNow(ctx: AppContext, actor: Actor, id: number) {
  assertEventStaff(actor);
  if (!isRowId(id) || !(await repo.findSource(ctx.db, actor.territoryId, id))) throw notFound();
  return importSource(ctx, id);
}

// ---------------------------------------------------------------------------------------------- the import

const localDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** The commune an event's LOCATION names (the longest name found in it), or the source's. */
function communeOf(location: string | null, communes: { insee: string; name: string }[], fallback: string) {
  if (!location) return fallback;
  const l = location.toLocaleLowerCase('fr');
  let best: { insee: string; name: string } | undefined;
  for (const c of communes) if (new RegExp(`(^|[^\\p{L}])${c.name.toLocaleLowerCase('fr').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(l) && (!best || c.name.length > best.name.length)) best = c;
  return best?.insee ?? fallback;
}

function valuesOf(e: FeedEvent, source: repo.SourceRow, typeId: number, insee: string, now: Date): events.EventValues {
  const startsAt = e.days ? parisTime(e.days.first, 0) : e.startsAt;
  const endsAt = e.days ? parisTime(e.days.after, 0) : e.endsAt;
  const sourceLine = `*Source : [${source.name.replace(/[[\]]/g, '')}](${source.url})${e.url ? ` · [${e.url}](${e.url})` : ''}*`;
  return {
    title: e.title,
    description_md: `${e.description ? `${e.description}\n\n` : ''}${sourceLine}`.slice(0, 20000),
    type_id: typeId,
    place_kind: e.location ? 'address' : 'commune',
    registration_mode: 'first_come',
    third_place_id: null,
    insee,
    address: e.location,
    online_url: null,
    starts_at: startsAt,
    ends_at: endsAt,
    all_day: !!e.days,
    audience: 'public',
    capacity: 10000,
    max_seats: 1,
    registration_opens_at: null,
    // Registrations are closed: people register with the organiser of an imported event.
    registration_closes_at: endsAt < now ? endsAt : now,
    price_member_cents: null,
    price_public_cents: null,
    organiser: source.name,
    claim_window_hours: 48,
  };
}

/** Imports one source; its outcome (events seen, or the error's key) is recorded on it. Never throws for a bad feed. */
export async function importSource(ctx: AppContext, sourceId: number, limits = FEED_LIMITS) {
  const source = await repo.findSource(ctx.db, ctx.territory.id, sourceId);
  if (!source) return { count: 0, error: 'events.imports.notFound' };
  const now = ctx.clock.now();
  let feed: FeedEvent[];
  try {
    feed = readFeed(await fetchFeed(ctx, source.url, limits), now);
  } catch (e) {
    const key = e instanceof FeedError ? e.key : 'events.imports.error.fetch';
    if (!(e instanceof FeedError)) ctx.log.warn({ err: e, sourceId }, 'event feed import failed');
    await repo.recordOutcome(ctx.db, source.id, { now, error: key, count: null });
    return { count: 0, error: key };
  }
  const [types, communes] = await Promise.all([events.listTypes(ctx.db, source.territory_id), listCommuneNames(ctx.db, source.territory_id)]);
  const type = types.find((t) => t.key === 'other') ?? types[0];
  if (!type) {
    await repo.recordOutcome(ctx.db, source.id, { now, error: 'events.imports.error.noType', count: null });
    return { count: 0, error: 'events.imports.error.noType' };
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Two imports of one feed (the hourly refresh and "import now") run one after the other, never interleaved: the
    // second sees what the first wrote, so a UID is never inserted twice.
    if (!(await repo.lockSource(trx, source.id))) return { count: 0, added: 0, updated: 0, cancelled: 0, error: 'events.imports.notFound' };
    const known = new Map((await repo.listImported(trx, source.id)).map((r) => [r.import_uid!, r]));
    let added = 0;
    let updated = 0;
    let cancelled = 0;
    for (const e of feed) {
      const values = valuesOf(e, source, type.id, communeOf(e.location, communes, source.insee), now);
      const existing = known.get(e.uid);
      known.delete(e.uid);
      if (existing) {
        await events.updateEvent(trx, existing.id, { ...values, now });
        if (existing.status !== 'published') await events.setEventStatus(trx, existing.id, 'published', now);
        updated += 1;
      } else {
        const slug = await freeSlug(trx, source.territory_id, e.title, values.starts_at);
        const row = await events.insertEvent(trx, { ...values, territoryId: source.territory_id, slug, by: null, now });
        await repo.markImported(trx, row.id, source.id, e.uid);
        await events.setEventStatus(trx, row.id, 'published', now);
        added += 1;
      }
    }
    // Gone from the feed: cancelled if still to come (past ones stay in the archives as they were).
    for (const gone of known.values()) {
      if (gone.status === 'published' && gone.ends_at > now) {
        await events.setEventStatus(trx, gone.id, 'cancelled', now);
        cancelled += 1;
      }
    }
    await repo.recordOutcome(trx, source.id, { now, error: null, count: feed.length });
    return { count: feed.length, added, updated, cancelled, error: null };
  });
  ctx.pageCache.clear();
  return result;
}

export async function importFeedJob(ctx: AppContext, job: ClaimedJob) {
  const id = Number(job.payload.sourceId);
  if (isRowId(id)) await importSource(ctx, id);
}

/**
 * The hourly sweep: queues the import of each feed due for a refresh (one job per feed and clock hour, whatever the
 * number of processes), then the next sweep. The import itself is idempotent: the same UIDs update their events.
 */
export async function feedRefreshJob(ctx: AppContext, job: ClaimedJob) {
  const now = ctx.clock.now();
  const hour = new Date(Math.floor(now.getTime() / HOUR) * HOUR).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    for (const due of await repo.listDueSources(trx, ctx.territory.id, now)) {
      await enqueueJob(trx, now, IMPORT_FEED_JOB, { sourceId: due.id }, { dedupeKey: `${IMPORT_FEED_JOB}:${due.id}:${hour}`, maxAttempts: 3 });
    }
    await enqueueRefresh(trx, now, new Date(now.getTime() + HOUR));
    await completeWithin(trx, job, now);
  });
}

const enqueueRefresh = (db: Executor, now: Date, at: Date) =>
  enqueueJob(db, now, FEED_REFRESH_JOB, {}, { runAt: at, dedupeKey: `${FEED_REFRESH_JOB}:${new Date(Math.floor(at.getTime() / HOUR) * HOUR).toISOString()}`, maxAttempts: 3 });

/** At start-up: the hourly sweep is queued (idempotent); each sweep queues the next one. */
export const scheduleFeedRefresh = (ctx: AppContext) => enqueueRefresh(ctx.db, ctx.clock.now(), ctx.clock.now());
