/**
 * Every figure on a page names its source. This walks the village pages, the comparison and the home page (in
 * French and in English) and fails when a number in the page's main content has no source mark: a figure's block
 * (its table row, definition, list item or paragraph) must hold a mark `[n]` pointing to an item `source-n` of the
 * page's source list, or sit inside an element whose `data-sources` names such items. Identifiers that are not
 * figures (an INSEE code) are marked `data-ident`; the source lists themselves, forms and menus are not figures.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../support/agent.js';
import { createTestWorld, type TestWorld } from '../support/context.js';
import { actorFor, createUser } from '../support/factories.js';
import { shippedCommunes } from '../support/gers-data.js';
import { restoreShippedTerritory } from '../support/territory.js';
import { setParisReference } from '../../src/domains/territory/territory.service.js';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Where a figure is read together with its mark. */
const BLOCKS = new Set(['tr', 'dd', 'dt', 'li', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'caption', 'figcaption']);
/** Never figures: navigation, forms, the source lists, identifiers, the marks themselves, drawings. */
const SKIP_TAGS = new Set(['header', 'footer', 'nav', 'form', 'script', 'style', 'svg', 'datalist', 'template', 'select', 'textarea']);

interface Open {
  tag: string;
  skip: boolean;
  /** The element wrapping a source mark. */
  mark: boolean;
  marks: number[];
  covers: number[];
}

/** Texts holding a digit without a source mark in their block, and marks pointing to no source. */
export function unsourcedFigures(html: string): string[] {
  const main = /<main\b[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
  const ids = new Set([...main.matchAll(/\bid="source-(\d+)"/g)].map((m) => Number(m[1])));
  const problems: string[] = [];
  const stack: Open[] = [];
  const pending: { text: string; chain: Open[] }[] = [];
  const tokens = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)/g;
  for (const m of main.matchAll(tokens)) {
    const [, closing, rawTag, attrs = '', text] = m;
    if (text !== undefined) {
      const plain = text.replace(/&#?\w+;/g, ' ');
      if (/\d/.test(plain) && !stack.some((o) => o.skip)) pending.push({ text: plain.trim(), chain: [...stack] });
      continue;
    }
    if (!rawTag) continue;
    const tag = rawTag.toLowerCase();
    if (closing) {
      const i = stack.map((o) => o.tag).lastIndexOf(tag);
      if (i >= 0) stack.length = i;
      continue;
    }
    const attr = (name: string) => new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s/]|$)`).exec(attrs);
    const cls = attr('class')?.[1] ?? '';
    const skip = SKIP_TAGS.has(tag) || !!attr('data-ident') || !!attr('data-source-list') || /\bsrc-ref\b/.test(cls);
    const covers = (attr('data-sources')?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number);
    const open: Open = { tag, skip, mark: /\bsrc-ref\b/.test(cls), marks: [], covers };
    const href = tag === 'a' ? /^#source-(\d+)$/.exec(attr('href')?.[1] ?? '') : null;
    if (href && stack.at(-1)?.mark) {
      const n = Number(href[1]);
      if (!ids.has(n)) problems.push(`a mark [${n}] points to no source`);
      for (const o of stack) o.marks.push(n);
    }
    if (!VOID.has(tag) && !attrs.trim().endsWith('/')) stack.push(open);
  }
  for (const { text, chain } of pending) {
    const block = [...chain].reverse().find((o) => BLOCKS.has(o.tag));
    const marked = block && block.marks.some((n) => ids.has(n));
    const covered = chain.some((o) => o.covers.length > 0 && o.covers.every((n) => ids.has(n)));
    if (!marked && !covered) problems.push(`« ${text.slice(0, 80)} » (in <${block?.tag ?? chain.at(-1)?.tag ?? '?'}>) has no source`);
  }
  return problems;
}

describe('the check itself', () => {
  test('a number without a mark fails it, a mark to a listed source passes it', () => {
    const list = '<ol data-source-list><li id="source-1">IGN</li></ol>';
    assert.deepEqual(unsourcedFigures(`<main><p>85,6 km²</p>${list}</main>`).length, 1);
    assert.deepEqual(unsourcedFigures(`<main><p>85,6 km²<span class="src-ref"> <a href="#source-1">[1]</a></span></p>${list}</main>`), []);
    assert.equal(unsourcedFigures(`<main><p>85,6 km²<span class="src-ref"> <a href="#source-2">[2]</a></span></p>${list}</main>`).length, 2, 'a mark to nothing counts twice');
    assert.deepEqual(unsourcedFigures(`<main><ul data-sources="1"><li>Circa, 1987</li></ul>${list}</main>`), []);
    assert.deepEqual(unsourcedFigures(`<main><p data-ident>code INSEE 32013</p></main>`), []);
  });
});

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
});

const communes = [...shippedCommunes().values()];
/** A few village pages that show every kind of figure: Auch, a village without GP nor cinema, a thin DVF sample. */
const villages = [
  '32013',
  communes.find((c) => c.gps === 0 && c.pharmacies === 0 && c.cinemas === 0)!.insee,
  communes.find((c) => c.houseSales > 0 && c.houseSales < 5)!.insee,
  communes.find((c) => c.festivals > 0 && c.insee !== '32013')!.insee,
];

async function check(url: string, lang: 'fr' | 'en') {
  const res = await new Agent(w.app).get(url, { 'accept-language': lang });
  assert.equal(res.statusCode, 200, url);
  assert.match(res.body, /href="#source-1"/, `${url} cites at least one source`);
  assert.deepEqual(unsourcedFigures(res.body), [], `${url} (${lang})`);
}

describe('every figure shown names its source', () => {
  for (const lang of ['fr', 'en'] as const) {
    test(`the village pages (${lang})`, async () => {
      for (const insee of villages) await check(`/villages/${insee}`, lang);
    });

    test(`the comparison (${lang})`, async () => {
      await check(`/villages/comparer?c=${villages.join(',')}`, lang);
    });

    test(`the home page, with a figure entered by staff and the Paris price (${lang})`, async () => {
      const staff = await createUser(w.ctx, { roles: ['staff'] });
      const agent = new Agent(w.app);
      await agent.login(staff.email, staff.password);
      const added = await agent.post('/admin/page-accueil', {
        figure: '1er',
        textFr: 'département pour la part de surface agricole en bio',
        textEn: 'département for the share of organic farmland',
        sourceNote: 'Source saisie pour le test',
        sourceUrl: '',
        sourceDate: '2025-06-30',
        position: '0',
      });
      assert.equal(added.statusCode, 303);
      await setParisReference(w.ctx, actorFor(w.ctx, staff, ['staff']), { houseMedian: 10000, sourceNote: 'Notaires du Grand Paris, test', sourceDate: '2026-01-15' });
      await check('/', lang);
    });
  }
});
