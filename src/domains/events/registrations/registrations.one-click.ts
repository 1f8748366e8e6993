/**
 * One-click registration of a signed-in account, grouped (decision 0030). Registrations that arrive while a
 * transaction for them runs wait in memory, whatever their event; the next transaction takes them all (up to
 * `GROUP_MAX`) and, under its events' locks (taken at once, in id order), decides each in arrival order with the same
 * rules as a single registration (decision 0023), then writes the group's registrations, mails with their delivery
 * jobs, reminder jobs and audit entries with one statement each, for all its events. A request refused (audience, dates, seats) is refused before anything is written and only its
 * caller hears it; if the transaction fails for a database reason, each request of the group is run again in a
 * transaction of its own, in arrival order, so one request's failure is only its caller's.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { groupCommit, type Grouped } from '../../../shared/group-commit.js';
import { recordAuditsBy, type AuditRecord } from '../../audit/index.js';
import { calendarOf, icsEventOf, placesById, registrationMails, thirdPlacesIn } from '../events.common.js';
import { assertSignedIn, audienceAllows } from '../events.policy.js';
import * as repo from '../events.repo.js';
import type { SignedInRegistrationInput } from '../events.schemas.js';
import { applicationHostOf, applyLocked } from '../events.selection.js';
import { oneAtATime, scheduleReminders } from '../events.seats.js';
import { oneAtATime as inOrder } from '../../../shared/one-at-a-time.js';

export type Outcome = { registrationId: string; status: 'pending' | 'applied' | 'confirmed' | 'waiting' | 'offered' | 'declined'; created: boolean; position?: number };

/** Who registers in one click: the signed-in account's address, name and language (the session has read them). */
export interface Contact {
  email: string;
  name: string;
  locale: 'fr' | 'en';
}

/** At most this many registrations in one transaction: bounds its length and the statements' size. */
export const GROUP_MAX = 100;

const notFound = () => new AppError('not_found', 'events.notFound');

/** Refusals that do not depend on the seats: status, dates, the number asked for. */
export function checkOpen(event: repo.LockedEvent, now: Date, seats: number) {
  if (event.status === 'cancelled') throw new AppError('conflict', 'events.register.cancelled');
  if (event.registration_opens_at && event.registration_opens_at > now) throw new AppError('conflict', 'events.register.notOpen');
  const closes = event.registration_closes_at ?? event.starts_at;
  if (closes <= now) throw new AppError('conflict', 'events.register.closed');
  if (seats > event.max_seats) throw new AppError('invalid', 'events.register.tooManySeats', { places: 'events.register.seatsField' }, { max: event.max_seats });
  if (seats > event.capacity) throw new AppError('invalid', 'events.register.aboveCapacity', { places: 'events.register.seatsField' }, { capacity: event.capacity });
}

/** One request of a group: who, what, and the event as read before the lock (its `.ics` is built from it). */
interface OneClick {
  ctx: AppContext;
  actor: Actor;
  input: SignedInRegistrationInput & { waitlist?: boolean };
  contact: Contact;
  head: repo.EventVersionedRow;
  /** The head came from memory: it must be the locked row's version, else the request is read again (`StaleHead`). */
  kept: boolean;
}

/**
 * The event as a one-click registration reads it before the lock, kept per process and slug (decision 0033): whatever
 * it says is checked under the lock against the row's version, and a request whose kept head is out of date is
 * refused with `StaleHead` and runs again from a fresh read. Only published events of the normal kinds are kept.
 */
const HEADS_MAX = 1000;
const headsOf = new WeakMap<object, Map<string, repo.EventVersionedRow>>();
const heads = (ctx: AppContext) => {
  let map = headsOf.get(ctx.database);
  if (!map) headsOf.set(ctx.database, (map = new Map()));
  return map;
};
class StaleHead extends Error {}

/**
 * One read of an event's head for the requests that need it at the same time: fifty clicks arriving together on an
 * event not yet kept share it, instead of fifty reads queued one behind the other.
 */
const headReads = new WeakMap<object, Map<string, Promise<repo.EventVersionedRow | undefined>>>();
function readHead(ctx: AppContext, territoryId: number, slug: string) {
  let inFlight = headReads.get(ctx.database);
  if (!inFlight) headReads.set(ctx.database, (inFlight = new Map()));
  const key = `${territoryId}:${slug}`;
  let read = inFlight.get(key);
  if (!read) {
    read = repo.findEventVersionedBySlug(ctx.db, territoryId, slug).finally(() => inFlight.delete(key));
    inFlight.set(key, read);
  }
  return read;
}

/** Forgets the events' reads kept in memory (tests: ids start again at 1 after the tables are emptied). */
export const forgetKeptEvents = (ctx: AppContext) => headsOf.delete(ctx.database);

/**
 * One group per territory at a time in this process. A group takes its events' turns with the other changes to each
 * of them (cancellations, offers: `oneAtATime`), in id order: nothing else holds two events' turns, so none waits on
 * another in a cycle.
 */
const groups = groupCommit<OneClick, Outcome>({
  max: GROUP_MAX,
  serial: (territory, run) => oneClickTurn(territory, run),
  run: (_territory, _first, take) => registerGroup(take()),
});

/** The one-click groups' turn in a territory, one group after the other (tests hold it to line a group up). */
export const oneClickTurn = <T>(territoryId: number | string, run: () => Promise<T>): Promise<T> => inOrder(`events:one-click:${territoryId}`, run);

const inTurns = <T>(eventIds: number[], run: () => Promise<T>): Promise<T> =>
  eventIds.length ? oneAtATime(eventIds[0], () => inTurns(eventIds.slice(1), run)) : run();

/** How many one-click registrations for the event wait for the next transaction (tests line a group up with it). */
export const waitingToRegister = (territoryId: number, eventId?: number) => groups.waitingFor(String(territoryId), (r) => eventId === undefined || r.head.id === eventId);

/**
 * One click: the account's name and address, the seats asked for. Refused when the audience does not include it.
 * Registering twice returns the first registration (`created: false`).
 *
 * Before joining the event's next group it reads the event once (status and type, to refuse early, and what the
 * confirmation's `.ics` says); the contact comes from the session when the caller has it.
 */
export async function registerForEvent(ctx: AppContext, actor: Actor, slug: string, input: SignedInRegistrationInput & { waitlist?: boolean }, contact?: Contact): Promise<Outcome> {
  assertSignedIn(actor);
  if (!/^[a-z0-9-]{1,100}$/.test(slug)) throw notFound();
  const user = contact ?? (await contactOf(ctx, actor.userId));
  const known = heads(ctx);
  const kept = actor.territoryId === ctx.territory.id ? known.get(slug) : undefined;
  let outcome: Outcome | undefined;
  if (kept) {
    try {
      outcome = await groups.join(String(actor.territoryId), { ctx, actor, input, contact: user, head: kept, kept: true });
    } catch (error) {
      if (!(error instanceof StaleHead)) throw error;
      if (known.get(slug) === kept) known.delete(slug);
    }
  }
  if (!outcome) {
    const head = await readHead(ctx, actor.territoryId, slug);
    if (!head || head.status === 'draft') throw notFound();
    if (applicationHostOf(head.type_key)) throw new AppError('conflict', 'events.register.hosted');
    if (actor.territoryId === ctx.territory.id) {
      if (known.size >= HEADS_MAX) known.clear();
      known.set(slug, head);
    }
    outcome = await groups.join(String(actor.territoryId), { ctx, actor, input, contact: user, head, kept: false });
  }
  ctx.pageCache.clear();
  return outcome;
}

export async function contactOf(ctx: AppContext, userId: string): Promise<Contact> {
  const user = await repo.findUserContact(ctx.db, userId);
  if (!user) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  return { email: user.email, name: user.display_name, locale: user.locale };
}

type Answer = { outcome: Outcome } | { error: unknown };

async function registerGroup(group: Grouped<OneClick, Outcome>[]) {
  const { ctx, actor } = group[0].request;
  const run = (part: Grouped<OneClick, Outcome>[]) => {
    const eventIds = [...new Set(part.map((g) => g.request.head.id))].sort((a, b) => a - b);
    return inTurns(eventIds, () =>
      ctx.db.transaction().execute(async (trx) => decideAndWrite(trx, ctx, await repo.lockEvents(trx, actor.territoryId, eventIds), part.map((g) => g.request))),
    );
  };
  let answers: Answer[];
  try {
    answers = await run(group);
  } catch (error) {
    if (group.length <= 1) throw error;
    // Nothing of the group was written: each request runs again alone, in arrival order, and answers for itself.
    for (const g of group) {
      try {
        settle(g, (await run([g]))[0]);
      } catch (alone) {
        g.reject(alone);
      }
    }
    return;
  }
  group.forEach((g, i) => settle(g, answers[i]));
}

const settle = (g: Grouped<OneClick, Outcome>, answer: Answer) => ('outcome' in answer ? g.resolve(answer.outcome) : g.reject(answer.error));

/** A request the group keeps: its row to write, then its id. */
interface Kept {
  request: OneClick;
  event: repo.LockedEvent;
  status: 'confirmed' | 'waiting' | 'applied';
  position: number;
  rank?: number;
  id?: string;
  created?: boolean;
}

/**
 * Under the events' locks: reads their seats and the requesters' live registrations in one query, decides each
 * request in arrival order in plain code, then writes what was kept. Throws only for a database reason; a refusal is
 * an answer.
 */
async function decideAndWrite(trx: Executor, ctx: AppContext, locked: repo.LockedEvent[], requests: OneClick[]): Promise<Answer[]> {
  const events = new Map(locked.map((e) => [e.id, e]));
  // A head kept in memory that is not the locked row's version: that request reads the event again and rejoins.
  const stale = requests.map((r) => r.kept && r.head.row_version !== events.get(r.head.id)?.row_version);
  if (stale.some(Boolean)) {
    const fresh = requests.filter((_, i) => !stale[i]);
    const answers = fresh.length ? await decideAndWrite(trx, ctx, locked, fresh) : [];
    return requests.map((_, i) => (stale[i] ? { error: new StaleHead() } : answers.shift()!));
  }
  const open = locked.filter((e) => e.status !== 'draft');
  const states = open.length ? await repo.seatStatesOf(trx, open.map((e) => e.id), { userIds: requests.map((r) => r.actor.userId!), emails: requests.map((r) => r.contact.email) }) : new Map<number, repo.SeatState>();
  const now = ctx.clock.now();
  const answers: (Answer | { same: Kept })[] = requests.map(() => ({ error: notFound() }));
  const kept: Kept[] = [];
  for (const event of open) {
    const mine = requests.flatMap((request, i) => (request.head.id === event.id ? [i] : []));
    decide(event, states.get(event.id)!, mine.map((i) => requests[i]), now).forEach((answer, j) => {
      answers[mine[j]] = answer;
      if ('same' in answer && !kept.includes(answer.same)) kept.push(answer.same);
    });
  }

  await applyAll(trx, ctx, kept.filter((k) => k.status === 'applied'));
  await writeAll(trx, ctx, kept.filter((k) => k.status !== 'applied'), now);

  return answers.map((a) => {
    if (!('same' in a)) return a;
    const k = a.same;
    // The first request of an account in the group created the row; a second one answers with it, not created.
    const created = !!k.created && answers.find((b) => 'same' in b && b.same === k) === a;
    return { outcome: { registrationId: k.id!, status: k.status, created, position: created ? k.rank : undefined } };
  });
}

/** One event's requests, in arrival order, against its seats and the requesters' live registrations. */
function decide(event: repo.LockedEvent, state: repo.SeatState, requests: OneClick[], now: Date): (Answer | { same: Kept })[] {
  // Live registrations by account and by address (case-insensitive, as the column): the oldest first.
  const known = new Map<string, { id: string; status: Outcome['status'] } | Kept>();
  const remember = (key: string, value: { id: string; status: Outcome['status'] } | Kept) => {
    if (!known.has(key)) known.set(key, value);
  };
  for (const r of state.existing) {
    const live = { id: r.id, status: r.status as Outcome['status'] };
    if (r.user_id) remember(`u:${r.user_id}`, live);
    remember(`e:${r.email.toLowerCase()}`, live);
  }
  let { taken, next, waiting } = state;
  const answers: (Answer | { same: Kept })[] = [];
  for (const request of requests) {
    const { actor, input, contact } = request;
    const prior = known.get(`u:${actor.userId}`) ?? known.get(`e:${contact.email.toLowerCase()}`);
    if (prior) {
      answers.push('request' in prior ? { same: prior } : { outcome: { registrationId: prior.id, status: prior.status, created: false } });
      continue;
    }
    if (!audienceAllows(actor, event.audience)) {
      answers.push({ error: new AppError('forbidden', `events.register.audience.${event.audience}`) });
      continue;
    }
    try {
      checkOpen(event, now, input.seats);
    } catch (error) {
      answers.push({ error });
      continue;
    }
    let k: Kept;
    if (event.registration_mode === 'selection') {
      // An application: the team selects later; no seat is counted now.
      k = { request, event, status: 'applied', position: 0 };
    } else {
      const free = event.capacity - taken;
      if (input.seats > free && free > 0 && !input.waitlist) {
        answers.push({ error: new AppError('conflict', 'events.register.onlyLeft', { places: 'events.register.seatsField' }, { left: free }) });
        continue;
      }
      const status = input.seats <= free ? 'confirmed' : 'waiting';
      if (status === 'confirmed') taken += input.seats;
      k = { request, event, status, position: next++, rank: status === 'waiting' ? ++waiting : undefined };
    }
    answers.push({ same: k });
    remember(`u:${actor.userId}`, k);
    remember(`e:${contact.email.toLowerCase()}`, k);
  }
  return answers;
}

/** The kept registrations to `first_come` events: one statement each for the rows, the mails, the reminders, the log. */
async function writeAll(trx: Executor, ctx: AppContext, kept: Kept[], now: Date) {
  if (!kept.length) return;
  const rows = await repo.insertRegistrations(
    trx,
    kept.map(({ request: { actor, contact, input }, event, status, position }) => ({ territoryId: actor.territoryId, eventId: event.id, userId: actor.userId, email: contact.email, name: contact.name, locale: contact.locale, seats: input.seats, status, queuePosition: position, now })),
  );
  const idAt = new Map(rows.map((r) => [`${r.event_id}:${r.queue_position}`, r.id]));
  for (const k of kept) {
    k.id = idAt.get(`${k.event.id}:${k.position}`)!;
    k.created = true;
  }
  const batches = [];
  for (const event of new Set(kept.map((k) => k.event))) {
    const ofEvent = kept.filter((k) => k.event === event);
    const ics = ofEvent.some((k) => k.status === 'confirmed') ? await icsOf(trx, ctx, event, ofEvent) : undefined;
    batches.push({
      event,
      mails: ofEvent.map((k) => ({
        to: { id: k.id!, email: k.request.contact.email, locale: k.request.contact.locale, name: k.request.contact.name },
        kind: k.status,
        params: { seats: k.request.input.seats, ...(k.status === 'waiting' ? { position: k.rank! } : {}) },
        ics: k.status === 'confirmed' ? ics : undefined,
      })),
    });
  }
  await registrationMails(trx, ctx, batches);
  await scheduleReminders(trx, ctx, kept.filter((k) => k.status === 'confirmed').map((k) => ({ id: k.id!, event: k.event })));
  await recordAuditsBy(trx, ctx, kept.map((k) => auditOf(k.event, k, 'event_registration.created', { status: k.status })));
}

/** Applications to `selection` events: rare, written one by one through the selection engine. */
async function applyAll(trx: Executor, ctx: AppContext, kept: Kept[]) {
  const entries = [];
  for (const k of kept) {
    const { actor, contact, input } = k.request;
    const { event } = k;
    const applied = await applyLocked(trx, ctx, event, { userId: actor.userId, email: contact.email, name: contact.name, locale: contact.locale, seats: input.seats });
    k.id = applied.id;
    k.created = applied.created;
    if (applied.created) entries.push(auditOf(event, k, 'event_registration.applied'));
  }
  await recordAuditsBy(trx, ctx, entries);
}

const auditOf = (event: repo.LockedEvent, k: Kept, action: string, more: Record<string, unknown> = {}): AuditRecord & { actor: Actor } => ({
  actor: k.request.actor,
  action,
  subjectType: 'event',
  subjectId: String(event.id),
  data: { registration: k.id, seats: k.request.input.seats, ...more },
});

/** The confirmation's `.ics`, once per group: from the event as a request read it, or read again if it changed since (its row's version). */
async function icsOf(trx: Executor, ctx: AppContext, event: repo.LockedEvent, kept: Kept[]) {
  const e = kept.find((k) => k.request.head.row_version === event.row_version)?.request.head ?? (await repo.findEventCoreById(trx, ctx.territory.id, event.id))!;
  const places = e.place_kind === 'third_place' ? await thirdPlacesIn(trx, ctx) : [];
  return calendarOf(ctx, e.title, [icsEventOf(ctx, e, placesById(places), { withLink: true })]);
}
