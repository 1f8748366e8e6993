/**
 * The guide's sentences say what the data says: the shipped articles are checked against the shipped files they
 * quote (stations beyond the border, the number of festivals once the listed duplicate is set aside), and say
 * nothing the data cannot support (which third place is the largest). No database: the Markdown and the data
 * files are read as they ship.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readGersCsv, readGersFile, shippedDuplicates, shippedFestivalRows, shippedFestivals, straightKm } from '../../../tests/support/gers-data.js';

const article = (name: string) => readGersFile(`content/guide/${name}`);
const km = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(Math.round(n * 10) / 10);

describe('the guide’s articles against the data', () => {
  test('article 1 names the closest stations beyond the border with their distances from Auch station', () => {
    const text = article('01-gares-et-trajets-vers-toulouse.md');
    const stations = readGersCsv('gares-voyageurs-gers-et-environs.csv');
    const auch = stations.find((s) => s.nom_gare === 'Auch')!;
    const at = (s: Record<string, string>) => ({ lat: Number(s.lat), lon: Number(s.lon) });
    const outside = stations
      .filter((s) => s.code_departement !== '32')
      .map((s) => ({ name: s.nom_gare, km: straightKm(at(auch), at(s)) }))
      .sort((a, b) => a.km - b.km);
    // The two closest are named with their distance; none is said to be "about 60 km" when it is much closer.
    for (const s of outside.slice(0, 2)) {
      const name = s.name.replace(' - ', '-');
      assert.ok(text.includes(`**${name}** (${km(s.km)} km)`), `${name} at ${km(s.km)} km`);
    }
    assert.doesNotMatch(text, /d’autres gares sont à une soixantaine de kilomètres/);
    // Every station distance written in the article is the data's.
    for (const m of text.matchAll(/\*?\*?([A-ZÉ][\wÉéèêàâîôûç’'-]+(?:[ -][\wÉéèêàâîôûç’'-]+)*)\*?\*? \((\d+(?:,\d)?) km\)/g)) {
      const station = outside.find((s) => s.name.replace(' - ', '-').replace("'", '’') === m[1].replace("'", '’'));
      if (station) assert.equal(m[2], km(station.km), `${m[1]}`);
    }
  });

  test('article 4 counts the festivals without the duplicate the list carries', () => {
    const text = article('04-cinemas-et-festivals.md');
    assert.ok(shippedDuplicates().some((d) => d.kind === 'festival'), 'the shipped list has a known duplicate');
    assert.ok(text.includes(`**${shippedFestivals().length} festivals**`), `${shippedFestivals().length} festivals`);
    assert.ok(text.includes(`${shippedFestivalRows().length} entrées`), 'the number of rows is said too');
    const auch = shippedFestivals().filter((f) => f.code_insee === '32013').length;
    assert.ok(text.includes(`Auch en accueille ${auch}`), `Auch hosts ${auch}`);
  });

  test('article 6 claims no size ranking the data cannot support', () => {
    assert.doesNotMatch(article('06-la-dynamo.md'), /[Ll]e plus grand/);
  });

  test('article 3 sends to the DVF method, which /sources states (tested with the territory)', () => {
    assert.match(article('03-acheter-une-maison.md'), /\(\/sources#methode-dvf\)/);
  });
});
