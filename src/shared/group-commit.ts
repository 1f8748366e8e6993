/**
 * Group commit in memory: requests for one thing (an event) that arrive while a change to it is running wait, and
 * the next run takes all of them (up to `max`) in arrival order, so a burst costs one transaction and one lock per
 * group instead of one per request. Runs go through `serial` (the caller's `oneAtATime`), so they also take their
 * turn with the other changes to the same thing, never two at once in this process.
 *
 * A run starts one turn of the event loop after it is due (`setImmediate`), so the requests already received join it.
 * A run receives the first waiting request (to open its transaction and take its lock) and `take()`, which hands it
 * the group: it calls it as late as it can (once it holds the database and the lock), so the requests that arrived
 * while it waited for them are in the group too. `run` answers each request of the group (`resolve` or `reject`); if
 * it throws, every request it took and did not answer gets the error (those it had not taken yet too). Per process:
 * across processes the database's lock orders the groups.
 */
export interface Grouped<Req, Res> {
  request: Req;
  resolve(result: Res): void;
  reject(error: unknown): void;
}

interface Group<Req, Res> {
  waiting: Grouped<Req, Res>[];
  /** A run is queued (or started and not yet taken its group) that will take the waiting requests. */
  queued: boolean;
}

export function groupCommit<Req, Res>(opts: {
  max: number;
  serial: (key: string, run: () => Promise<void>) => Promise<void>;
  run: (key: string, first: Req, take: () => Grouped<Req, Res>[]) => Promise<void>;
}) {
  const groups = new Map<string, Group<Req, Res>>();

  const drain = async (key: string) => {
    const group = groups.get(key)!;
    let taken: Grouped<Req, Res>[] | null = null;
    const take = () => {
      if (taken) return taken;
      group.queued = false;
      taken = group.waiting.splice(0, opts.max);
      // The rest (beyond `max`) go to the next run; later arrivals schedule their own.
      if (group.waiting.length) schedule(key, group);
      else if (groups.get(key) === group) groups.delete(key);
      return taken;
    };
    try {
      // One turn of the event loop first: the requests already received (their sockets readable) run up to their
      // join and are in this group. Without it, on the embedded database, whose queries answer without leaving the
      // event loop, each request would run its whole transaction before the next one is even read: groups of one.
      await new Promise((resolve) => setImmediate(resolve));
      await opts.run(key, group.waiting[0].request, take);
      // Each promise settles once: these only reach requests the run left unanswered.
      for (const g of take()) g.reject(new Error('group commit: request left unanswered'));
    } catch (error) {
      for (const g of take()) g.reject(error);
    }
  };

  const schedule = (key: string, group: Group<Req, Res>) => {
    group.queued = true;
    void opts.serial(key, () => drain(key));
  };

  /** Joins the next group for `key`; resolves with this request's own answer. */
  const join = (key: string, request: Req): Promise<Res> =>
    new Promise<Res>((resolve, reject) => {
      let group = groups.get(key);
      if (!group) {
        group = { waiting: [], queued: false };
        groups.set(key, group);
      }
      group.waiting.push({ request, resolve, reject });
      if (!group.queued) schedule(key, group);
    });

  /** How many requests wait for a run on `key`, or only those `where` says (tests use it to line a group up). */
  const waitingFor = (key: string, where: (request: Req) => boolean = () => true) => groups.get(key)?.waiting.filter((g) => where(g.request)).length ?? 0;

  return { join, waitingFor };
}
