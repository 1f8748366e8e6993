import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupCommit } from './group-commit.js';
import { oneAtATime } from './one-at-a-time.js';

/**
 * A group runner that records its groups and answers each request with its value doubled (a negative one is
 * refused). It may be held before it takes its group (waiting for its lock) or after (its transaction running).
 */
function recorder(max: number) {
  const runs: number[][] = [];
  const gates = { before: Promise.resolve(), after: Promise.resolve() };
  let failWith: unknown = null;
  const groups = groupCommit<number, number>({
    max,
    serial: (key, run) => oneAtATime(`test:${key}`, run),
    run: async (_key, _first, take) => {
      await gates.before;
      const group = take();
      runs.push(group.map((g) => g.request));
      await gates.after;
      if (failWith) throw failWith;
      for (const g of group) (g.request < 0 ? g.reject(new Error(`refused ${g.request}`)) : g.resolve(g.request * 2));
    },
  });
  return {
    groups,
    runs,
    hold(which: 'before' | 'after') {
      let release!: () => void;
      gates[which] = new Promise((resolve) => (release = resolve));
      return () => {
        gates[which] = Promise.resolve();
        release();
      };
    },
    fail(error: unknown) {
      failWith = error;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('group commit', () => {
  test('requests arriving while a run is busy wait and the next run takes them all, in arrival order, each with its own answer', async () => {
    const r = recorder(100);
    const release = r.hold('after');
    const first = r.groups.join('e', 1);
    await tick();
    const later = [2, 3, -4, 5].map((n) => r.groups.join('e', n));
    await tick();
    assert.equal(r.groups.waitingFor('e'), 4);
    release();
    assert.equal(await first, 2);
    const answers = await Promise.allSettled(later);
    assert.deepEqual(r.runs, [[1], [2, 3, -4, 5]]);
    assert.deepEqual(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message)), [4, 6, 'refused -4', 10]);
    assert.equal(r.groups.waitingFor('e'), 0);
  });

  test('requests arriving while a run waits for its lock are taken into that run', async () => {
    const r = recorder(100);
    const release = r.hold('before');
    const first = r.groups.join('e', 1);
    await tick();
    const later = [2, 3].map((n) => r.groups.join('e', n));
    await tick();
    release();
    assert.deepEqual(await Promise.all([first, ...later]), [2, 4, 6]);
    assert.deepEqual(r.runs, [[1, 2, 3]]);
  });

  test('a group never exceeds its maximum; the rest go to the following runs in order', async () => {
    const r = recorder(2);
    const release = r.hold('before');
    const all = [1, 2, 3, 4, 5].map((n) => r.groups.join('e', n));
    await tick();
    release();
    await Promise.all(all);
    assert.deepEqual(r.runs, [[1, 2], [3, 4], [5]]);
  });

  test('keys are grouped apart', async () => {
    const r = recorder(100);
    await Promise.all([r.groups.join('a', 1), r.groups.join('b', 2), r.groups.join('a', 3)]);
    assert.deepEqual(r.runs.map((g) => [...g].sort()), [[1, 3], [2]]);
  });

  test('when a run throws, every request of its group gets the error and the next group still runs', async () => {
    const r = recorder(100);
    const release = r.hold('after');
    r.fail(new Error('database gone'));
    const failing = [1, 2].map((n) => r.groups.join('e', n));
    await tick();
    release();
    const answers = await Promise.allSettled(failing);
    assert.deepEqual(answers.map((a) => a.status === 'rejected' && (a.reason as Error).message), ['database gone', 'database gone']);
    r.fail(null);
    assert.equal(await r.groups.join('e', 7), 14);
  });
});
