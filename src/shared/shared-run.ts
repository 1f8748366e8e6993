/**
 * One run for everyone asking at once: the callers of the returned function during one turn of the event loop, and
 * while its run is in flight, all get the result of a single call of `run`. The run starts after the turn
 * (`setImmediate`), so requests read from many sockets in one turn share it even when `run` would finish within the
 * same tick (the embedded database does). Nothing is kept once the run has settled: the next caller starts a new one.
 */
export function sharedRun<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  const afterTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return () =>
    (inFlight ??= afterTurn()
      .then(run)
      .finally(() => {
        inFlight = null;
      }));
}
