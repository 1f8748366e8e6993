import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedRun } from './shared-run.js';

/** Callers spread over separate callbacks of one timers phase, as requests read from separate sockets are. */
const inSeparateCallbacks = <T>(n: number, call: () => Promise<T>) =>
  Promise.all(Array.from({ length: n }, () => new Promise<T>((resolve, reject) => setTimeout(() => call().then(resolve, reject), 0))));

test('callers in one turn of the event loop share one run, even when the run answers within the tick', async () => {
  let runs = 0;
  const shared = sharedRun(async () => ++runs);
  const results = await inSeparateCallbacks(50, shared);
  assert.equal(runs, 1);
  assert.deepEqual(new Set(results), new Set([1]));
  assert.equal(await shared(), 2, 'a later caller gets a new run: nothing is cached');
});

test('a failed run fails every caller that shared it, and the next caller tries again', async () => {
  let runs = 0;
  const shared = sharedRun(async () => {
    runs += 1;
    if (runs === 1) throw new Error('down');
    return 'ok';
  });
  const settled = await Promise.allSettled([shared(), shared()]);
  assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected']);
  assert.equal(await shared(), 'ok');
  assert.equal(runs, 2);
});
