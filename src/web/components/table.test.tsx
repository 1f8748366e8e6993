import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { Table, TableFrame, TableRows, type Column } from './table.js';

interface Village {
  insee: string;
  name: string;
  population: number;
}

const VILLAGES: Village[] = [
  { insee: '32013', name: 'Auch', population: 22096 },
  { insee: '32208', name: 'Lectoure', population: 3663 },
];

const COLUMNS: Column<Village>[] = [
  { key: 'name', header: 'Commune', rowHeader: true, render: (v) => v.name },
  { key: 'insee', header: 'Code', className: 'small', render: (v) => v.insee },
  { key: 'population', header: 'Habitants', align: 'end', render: (v) => v.population },
];

const html = (rows: Village[], extra: { empty?: string; wrap?: 'none' } | { wrap: 'region'; captionId: string } = {}) =>
  renderToString(<Table caption="Communes" rows={rows} rowKey={(v) => v.insee} columns={COLUMNS} {...extra} />);

describe('Table', () => {
  test('column headers are scoped to their column and the naming cell of each row to its row', () => {
    const out = html(VILLAGES);
    assert.equal([...out.matchAll(/<th scope="col"/g)].length, 3);
    assert.match(out, /<th scope="row">Auch<\/th>/);
    assert.match(out, /<th scope="row">Lectoure<\/th>/);
    assert.doesNotMatch(out, /<td[^>]*>Auch/);
    assert.match(out, /<caption>Communes<\/caption>/);
  });

  test('a numeric column is right-aligned in its header and every cell, other classes go on the cells only', () => {
    const out = html(VILLAGES);
    assert.match(out, /<th scope="col" class="num">Habitants<\/th>/);
    assert.match(out, /<td class="num">22096<\/td>/);
    assert.match(out, /<td class="num">3663<\/td>/);
    assert.match(out, /<th scope="col">Code<\/th>/);
    assert.match(out, /<td class="small">32013<\/td>/);
  });

  test('with no row it says so in a paragraph instead of drawing an empty table; without a message the table stays', () => {
    assert.equal(html([], { empty: 'Aucune commune.' }), '<p>Aucune commune.</p>');
    assert.match(html([]), /<table><caption>Communes<\/caption><thead>.*<\/thead><tbody><\/tbody><\/table>/);
  });

  test('the table scrolls inside its own frame, a focusable region named by the caption when asked, or sits bare', () => {
    assert.match(html(VILLAGES), /^<div class="table-wrap"><table>/);
    assert.match(html(VILLAGES, { wrap: 'region', captionId: 'legende' }), /^<div class="table-wrap" role="region" aria-labelledby="legende" tabindex="0"><table><caption id="legende">Communes<\/caption>/);
    assert.match(html(VILLAGES, { wrap: 'none' }), /^<table>/);
  });

  test('a hidden caption, a row class, per-row cell classes, a footer and a table with no header row', () => {
    const out = renderToString(
      <Table
        caption="Horaires"
        captionHidden
        head={false}
        rows={VILLAGES}
        rowKey={(v) => v.insee}
        rowClass={(v) => (v.population < 5000 ? 'zero' : undefined)}
        columns={[
          { key: 'name', header: 'Commune', rowHeader: true, render: (v) => v.name },
          { key: 'population', header: 'Habitants', className: (v) => (v.population > 5000 ? 'best' : undefined), render: (v) => v.population },
        ]}
        foot={
          <tr>
            <th scope="row">Total</th>
            <td>25759</td>
          </tr>
        }
      />,
    );
    assert.match(out, /<caption class="visually-hidden">Horaires<\/caption>/);
    assert.doesNotMatch(out, /<thead>/);
    assert.match(out, /<tr><th scope="row">Auch<\/th><td class="best">22096<\/td><\/tr>/);
    assert.match(out, /<tr class="zero"><th scope="row">Lectoure<\/th><td>3663<\/td><\/tr>/);
    assert.match(out, /<tfoot><tr><th scope="row">Total<\/th><td>25759<\/td><\/tr><\/tfoot>/);
  });

  test('the frame leaves the body to its caller, with an empty corner and a sorted column in the head', () => {
    const out = renderToString(
      <TableFrame
        caption="Comparaison"
        columns={[
          { key: 'corner', header: null },
          { key: 'a', header: 'Auch', sort: 'ascending' },
        ]}
      >
        <tbody>
          <TableRows columns={COLUMNS.slice(0, 1)} rows={VILLAGES.slice(0, 1)} rowKey={(v) => v.insee} />
        </tbody>
      </TableFrame>,
    );
    assert.match(out, /<thead><tr><td><\/td><th scope="col" aria-sort="ascending">Auch<\/th><\/tr><\/thead><tbody><tr><th scope="row">Auch<\/th><\/tr><\/tbody>/);
  });

  test('content is escaped like everywhere else', () => {
    const out = html([{ insee: '1', name: '<script>alert(1)</script>', population: 0 }]);
    assert.doesNotMatch(out, /<script>/);
    assert.match(out, /&lt;script>/);
  });
});
