/**
 * Runs the changes to one thing (an event, a bookable resource) one after the other in this process, before they
 * take a database connection: a burst of requests for one seat or one slot then waits in memory instead of holding
 * every pooled connection while each waits for a row lock or a constraint check (which would starve other pages
 * and time out on PostgreSQL's pool). The database still orders them across processes; this only keeps the waiting
 * out of the pool. Never nest two calls with the same key.
 */
const queues = new Map<string, Promise<unknown>>();

export function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const result = previous.then(run);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return result;
}
