/**
 * The composition root: the one list of the application's modules. Adding a domain is one line here; the app
 * (routes, API), the job worker, the menus, the first start, the demo loader and the daily purge iterate over it.
 * The order counts where it shows: demo content loads in this order (accounts first, whose people the others find
 * by e-mail), and routes register in it. This is the only file outside src/domains/ that imports a domain
 * (`npm run lint` holds it).
 */
import type { AppContext } from './context.js';
import { accountsModule } from './domains/accounts/index.js';
import { adminModule } from './domains/admin/index.js';
import { appointmentRecordsPoint, bookingsModule } from './domains/bookings/index.js';
import { auditModule } from './domains/audit/index.js';
import { eventsModule } from './domains/events/index.js';
import { guideModule } from './domains/guide/index.js';
import { mailModule } from './domains/mail/index.js';
import { attachAppointmentNoteToMember, membersModule } from './domains/members/index.js';
import { newcomersModule } from './domains/newcomers/index.js';
import { offersModule } from './domains/offers/index.js';
import { placesModule } from './domains/places/index.js';
import { searchModule } from './domains/search/index.js';
import { siteModule } from './domains/site/index.js';
import { territoryModule } from './domains/territory/index.js';
import { BACKUP_JOB, backupJob, scheduleBackup } from './jobs/backup.js';
import { PURGE_JOB, purgeJobWith, schedulePurge } from './jobs/maintenance.js';
import type { JobHandler, JobLane } from './jobs/worker.js';
import type { DomainModule, SeedContext, SessionProvider } from './module.js';
import { contribute, Extensions } from './shared/extensions.js';
import { registerCatalogue } from './web/i18n/index.js';
import { registerNavigation } from './web/navigation.js';

export const modules: readonly DomainModule[] = [
  siteModule,
  accountsModule,
  adminModule,
  auditModule,
  mailModule,
  territoryModule,
  guideModule,
  placesModule,
  searchModule,
  // Before newcomers: the example offers exist before the demo households that are interested in them.
  offersModule,
  newcomersModule,
  // After newcomers: a candidate household's membership links to its case.
  membersModule,
  // After places and accounts: the demo events are at La Dynamo and demo people register for them.
  eventsModule,
  // After places (its demo books at La Dynamo), accounts (the demo space manager and member) and events (the
  // machines' training session is an event).
  bookingsModule,
];

// Strings and menus are static: registered once, when this list is first imported.
for (const m of modules) {
  for (const c of m.catalogues ?? []) registerCatalogue(c);
  if (m.nav) registerNavigation(m.nav);
}

/**
 * Contributions between two domains that may not import each other (decision 0029), wired here after the
 * modules' own: a member's record takes an adviser's note (after a newcomer case, which the newcomers module
 * contributes first), while members → newcomers → bookings forbids either import.
 */
const wiring = [contribute(appointmentRecordsPoint, { kind: 'member' as const, attachNote: attachAppointmentNoteToMember })];

export const extensions = new Extensions([...modules.flatMap((m) => m.contributes ?? []), ...wiring]);

/** How requests are signed in: exactly one module provides sessions. */
export const sessions: SessionProvider = (() => {
  const providers = modules.flatMap((m) => (m.session ? [m.session] : []));
  if (providers.length !== 1) throw new Error(`exactly one module must provide sessions (found ${providers.length})`);
  return providers[0];
})();

/** Every job kind the worker knows: the shared ones (purge with the modules' steps, backup) and the modules'. */
export const jobHandlers: Record<string, JobHandler> = {
  [PURGE_JOB]: purgeJobWith(Object.assign({}, ...modules.map((m) => m.dailyPurge ?? {}))),
  [BACKUP_JOB]: backupJob,
};
for (const m of modules) {
  for (const [kind, handler] of Object.entries(m.jobs ?? {})) {
    if (jobHandlers[kind]) throw new Error(`job kind declared twice: ${kind}`);
    jobHandlers[kind] = handler;
  }
}

/** The worker's lanes: one per module that asks for its own (mail), and one for every other job. */
export const jobLanes: JobLane[] = [
  ...modules.filter((m) => m.jobLane && m.jobs).map((m) => ({ name: m.name, kinds: Object.keys(m.jobs!), concurrency: m.jobLane!.concurrency })),
  { name: 'jobs', concurrency: 1 },
];

/** At start-up: each recurring job has its next run queued (idempotent, safe with several processes). */
export async function scheduleRecurringJobs(ctx: AppContext) {
  await schedulePurge(ctx);
  await scheduleBackup(ctx);
  for (const m of modules) for (const schedule of m.schedules ?? []) await schedule(ctx);
}

/** First start: each module loads the real content shipped with the territory while it holds none. */
export async function seedModules(ctx: SeedContext): Promise<Record<string, Record<string, number>>> {
  const loaded: Record<string, Record<string, number>> = {};
  for (const m of modules) {
    if (!m.seed) continue;
    const counts = await m.seed(ctx);
    if (Object.values(counts).some((n) => n > 0)) loaded[m.name] = counts;
  }
  return loaded;
}

/** Demo content, in the list's order; each module's loader is idempotent, so a restart adds nothing. */
export async function loadDemoContent(ctx: AppContext) {
  for (const m of modules) if (m.demo) await m.demo(ctx);
}

/** Demo mode is off: each module makes its demo content unusable; returns how many records changed. */
export async function disableDemoContent(ctx: AppContext): Promise<number> {
  let changed = 0;
  for (const m of modules) if (m.demoDisable) changed += await m.demoDisable(ctx);
  return changed;
}

/** Deletes the demo content, in reverse order (households before the accounts they belong to); counts by module. */
export async function removeDemoContent(ctx: AppContext): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const m of [...modules].reverse()) if (m.demoRemove) out[m.name] = await m.demoRemove(ctx);
  return out;
}

/** Everything the programme holds about one person, by domain (domains holding nothing are left out). */
export async function exportPersonalData(ctx: AppContext, userId: string): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of modules) {
    const data = await m.personalData?.export?.(ctx, userId);
    if (data) out[m.name] = data;
  }
  return out;
}

/** Erases or anonymises what each domain holds about one person; returns the count of records changed, by domain. */
export async function erasePersonalData(ctx: AppContext, userId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of modules) {
    const erase = m.personalData?.erase;
    if (erase) out[m.name] = await erase(ctx, userId);
  }
  return out;
}
