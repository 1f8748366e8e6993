import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shippedBoundaryCodes } from '../../../tests/support/gers-data.js';
// The strings are registered by the module list, as in the app.
import '../../modules.js';
import { renderStandalone } from '../../web/render.js';
import { getMapGeometry } from './map.geometry.js';
import { classify, CommuneMap, LocatorMap, priceBreaks, timeBreaks, type MapCommune, type MapFigure } from './map.js';

const geometry = getMapGeometry('gers');

/** Figures that look like the Gers: the test needs every kind of value, not the real ones. */
const communes: MapCommune[] = geometry.communes.map((s, i) => ({
  insee: s.insee,
  name: s.name,
  housePrice: i % 3 === 0 ? null : 900 + ((i * 37) % 1600),
  houseSales: i % 3 === 0 ? 0 : 1 + (i % 12),
  toulouseKm: 30 + (i % 120),
  toulouseMinutes: 35 + (i % 110),
  gps: i % 5 === 0 ? 1 + (i % 4) : 0,
}));

const render = (figure: MapFigure, highlighted?: Set<string>) =>
  renderStandalone(<CommuneMap territory="gers" figure={figure} communes={communes} highlighted={highlighted} title="Carte" />, 'fr', 'Soho Solo Gers');

describe('the territory map', () => {
  test('the boundary file gives every commune of the Gers once, each with a path and a centre inside the map', () => {
    assert.equal(geometry.communes.length, shippedBoundaryCodes().length);
    assert.deepEqual(geometry.communes.map((c) => c.insee).sort(), [...new Set(shippedBoundaryCodes())]);
    for (const c of geometry.communes) {
      assert.match(c.d, /^M\d+ \d+l[-\d ]+z(M\d+ \d+l[-\d ]+z)*$/, c.insee);
      assert.ok(c.cx > 0 && c.cx < geometry.width && c.cy > 0 && c.cy < geometry.height, c.insee);
    }
    const auch = geometry.byInsee.get('32013')!;
    assert.ok(auch.cx > auch.box[0] && auch.cx < auch.box[2] && auch.cy > auch.box[1] && auch.cy < auch.box[3]);
  });

  test('each commune is a link to its page with an accessible name made of its name and its value', () => {
    const html = render('prix');
    const links = [...html.matchAll(/<a href="\/villages\/(32\d{3})" aria-label="([^"]+)"><path/g)];
    assert.equal(links.length, shippedBoundaryCodes().length);
    assert.ok(links.some(([, insee, label]) => insee === '32013' && label.startsWith('Auch : ')));
    for (const [, , label] of links) assert.match(label, /^[^:]+ : (\d[\d\u202f ]* €\/m²|aucune vente)/);
    assert.match(html, /<details class="commune-map-data" id="carte-donnees">/);
    assert.equal([...html.matchAll(/<th scope="row"><a href="\/villages\/32\d{3}">/g)].length, shippedBoundaryCodes().length, 'the table lists the same communes');
  });

  test('the accessible names follow the chosen figure', () => {
    assert.match(render('toulouse'), /aria-label="Auch : \d+ km de Toulouse, environ \d+ min en voiture \(estimation\)"/);
    assert.match(render('medecin'), /aria-label="[^"]+ : aucun médecin généraliste"/);
  });

  test('highlighted communes get a dark outline and say so; the others are paled', () => {
    const html = render('prix', new Set(['32013', '32208']));
    assert.equal([...html.matchAll(/<use href="#carte-(\d+)" stroke="#1f2a24"/g)].length, 2);
    assert.match(html, /aria-label="Auch : [^"]+ \(dans les résultats\)"/);
    assert.match(html, /fill-opacity="0.3"/);
    assert.doesNotMatch(render('prix'), /<use /, 'no search, no outline');
  });

  test('the legend shows numbers and uses the palette of the design notes', () => {
    const html = render('prix');
    assert.match(html, /moins de 1[\s\u202f]\d00 €\/m²/);
    assert.match(html, /fill="#e9e3d5"/, 'cheapest class is mist');
    assert.match(html, /fill="#8a4b08"/, 'dearest class is armagnac');
    assert.match(render('toulouse'), /fill="#2f6b3a"/, 'nearest class is vine');
  });

  test('price classes follow the quintiles rounded to 100 € and time classes step by quarter hours', () => {
    assert.deepEqual(priceBreaks([1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900]), [1200, 1400, 1600, 1800]);
    assert.deepEqual(timeBreaks([35, 50, 80]), [45, 60, 75]);
    const scheme = classify('prix', communes);
    assert.equal(scheme.colorOf({ ...communes[1], housePrice: null }), 'url(#carte-sans-vente)');
  });

  test('the whole map stays far below the 150 kB compressed budget', async () => {
    const { gzipSync } = await import('node:zlib');
    const svg = /<svg class="commune-map-svg"[\s\S]*?<\/svg>/.exec(render('prix'))![0];
    assert.ok(gzipSync(svg).length < 150_000);
  });

  test('a territory without a boundary file still lists its communes as a table, and has no locator map', () => {
    const html = renderStandalone(<CommuneMap territory="sans-contours" figure="prix" communes={communes.slice(0, 3)} title="Carte" />, 'fr', 'Programme');
    assert.doesNotMatch(html, /<svg/);
    assert.match(html, /<details class="commune-map-data" id="carte-donnees" open/);
    assert.equal([...html.matchAll(/<th scope="row"><a href="\/villages\/32\d{3}">/g)].length, 3);
    assert.equal(renderStandalone(<LocatorMap territory="sans-contours" territoryName="X" insee="32013" name="Auch" />, 'fr', 'P'), '<!doctype html>');
  });

  test('the locator map is one image naming the commune, with the commune drawn inside the outline', () => {
    const html = renderStandalone(<LocatorMap territory="gers" territoryName="Gers" insee="32013" name="Auch" />, 'fr', 'Soho Solo Gers');
    assert.match(html, /role="img" aria-label="Auch : situation dans le département \(Gers\)"/);
    assert.ok(html.includes(geometry.byInsee.get('32013')!.d));
    assert.ok(html.length < 6000);
  });
});
