import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestWorld, type TestWorld } from '../../tests/support/context.js';
import { PageCache } from './page-cache.js';

/** Text that compresses badly, so the cache's byte count is dominated by the page itself. */
const noise = (bytes: number, seed: number) => {
  let s = seed;
  let out = '';
  while (out.length < bytes) {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    out += s.toString(36);
  }
  return out.slice(0, bytes);
};

describe('the page cache is bounded by bytes', () => {
  test('storing past the budget evicts the least recently used pages first', () => {
    const probe = new PageCache();
    probe.set('x', noise(30_000, 1));
    const budget = Math.floor(probe.bytes * 2.5); // room for two pages, not three
    const cache = new PageCache(60_000, budget);
    cache.set('a', noise(30_000, 1));
    cache.set('b', noise(30_000, 2));
    assert.ok(cache.get('a'), 'a is read, so b is now the oldest');
    cache.set('c', noise(30_000, 3));
    assert.ok(cache.bytes <= budget, `${cache.bytes} bytes`);
    assert.ok(cache.get('a'));
    assert.ok(cache.get('c'));
    assert.equal(cache.get('b'), undefined);
  });

  test('a page larger than the whole budget is served but not kept', () => {
    const cache = new PageCache(60_000, 10_000);
    const page = cache.set('big', noise(50_000, 4));
    assert.equal(page.raw.length, 50_000);
    assert.equal(cache.size, 0);
    assert.equal(cache.bytes, 0);
  });
});

describe('public pages are cached on the parameters they read', () => {
  let w: TestWorld;
  before(async () => {
    w = await createTestWorld();
  });
  after(() => w.close());

  test('unknown query parameters do not make new cache entries, nor leak into the page', async () => {
    for (let i = 0; i < 20; i++) assert.equal((await w.app.inject({ url: `/guide?k${i}=x` })).statusCode, 200);
    assert.equal(w.ctx.pageCache.size, 1);
    const page = await w.app.inject({ url: '/guide?leak=1' });
    assert.doesNotMatch(page.body, /leak=1/, 'links built from the URL (language switch) use the normalised one');
  });

  test('the filters a page reads still give their own page, in any order and spelling', async () => {
    w.ctx.pageCache.clear();
    const jobs = await w.app.inject({ url: '/offres?type=job' });
    await w.app.inject({ url: '/offres?type=job&utm_source=x' });
    await w.app.inject({ url: '/offres?type=job&type=job' });
    await w.app.inject({ url: '/offres' });
    assert.equal(w.ctx.pageCache.size, 2, 'all offers, and jobs only');
    assert.equal(jobs.statusCode, 200);
  });
});
