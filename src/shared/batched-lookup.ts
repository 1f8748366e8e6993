/**
 * Lookups by key that arrive during one turn of the event loop are answered by one query: the keys asked for in that
 * turn go to `fetch` together after it (`setImmediate`), and each caller gets its own row (or undefined). A burst of
 * requests (fifty people clicking at once, each on its own connection) then costs one round trip instead of fifty
 * queued one behind the other, which on the embedded database's single connection also means they come back together.
 * A lookup alone waits one turn. Nothing is kept: the next turn asks again.
 */
export function batchedLookup<K, V>(fetch: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  type Waiter = { resolve: (row: V | undefined) => void; reject: (error: unknown) => void };
  let pending: Map<K, Waiter[]> | null = null;
  const run = async (batch: Map<K, Waiter[]>) => {
    try {
      const rows = await fetch([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(rows.get(key));
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  };
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<K, Waiter[]>();
        pending = batch;
        setImmediate(() => {
          pending = null;
          void run(batch);
        });
      }
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}
