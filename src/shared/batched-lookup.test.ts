import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchedLookup } from './batched-lookup.js';

test('lookups of one turn make one fetch with their distinct keys, each caller gets its own row; the next turn fetches again', async () => {
  const calls: string[][] = [];
  const lookup = batchedLookup(async (keys: string[]) => {
    calls.push(keys);
    return new Map(keys.filter((k) => k !== 'absent').map((k) => [k, k.toUpperCase()]));
  });
  const answers = await Promise.all(['a', 'b', 'a', 'absent', 'c'].map((k) => lookup(k)));
  assert.deepEqual(answers, ['A', 'B', 'A', undefined, 'C']);
  assert.deepEqual(calls, [['a', 'b', 'absent', 'c']]);
  assert.equal(await lookup('d'), 'D');
  assert.deepEqual(calls.at(-1), ['d'], 'nothing is kept: a later lookup fetches');
  assert.equal(calls.length, 2);
});

test('a failing fetch fails every lookup of its turn, and only those', async () => {
  let fail = true;
  const lookup = batchedLookup(async (keys: number[]) => {
    if (fail) throw new Error('database down');
    return new Map(keys.map((k) => [k, k * 2]));
  });
  const results = await Promise.allSettled([lookup(1), lookup(2)]);
  assert.ok(results.every((r) => r.status === 'rejected' && /database down/.test(String(r.reason))));
  fail = false;
  assert.equal(await lookup(3), 6);
});
