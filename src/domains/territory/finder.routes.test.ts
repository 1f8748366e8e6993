import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { frNumberPattern, minutesToToulouse, oneDecimal, shippedCommune, shippedCommunes, shippedReferencePoint, straightKm } from '../../../tests/support/gers-data.js';

const w = useTestWorld();

interface Item {
  insee: string;
  name: string;
  population: number | null;
  housePricePerM2: { median: number; sales: number; reliable: boolean } | null;
  access: Record<'toulouse' | 'bordeaux' | 'auch' | 'station' | 'airport', { km: number | null; minutes: number | null }>;
  generalPractitioners: number;
  pharmacies: number;
  cinemas: number;
  epci: { siren: string; name: string } | null;
}

const api = async (query: string) => {
  const res = await w.app.inject({ url: `/api/v1/communes?${query}` });
  return { res, body: res.json() as { items: Item[]; total: number; page: number; perPage: number; pages: number } };
};

/** Every commune straight from the table, to check the finder against. */
const allCommunes = () =>
  w.ctx.db
    .selectFrom('commune')
    .select(['insee', 'name', 'population', 'min_toulouse', 'km_toulouse', 'gp_count', 'pharmacy_count', 'cinema_count', 'dvf_house_median', 'epci_siren'])
    .where('territory_id', '=', w.ctx.territory.id)
    .execute();

/** Straight from the shipped files: the communes with a GP and houses at 2,000 €/m² at most, with their estimated time to Toulouse. */
const shipped = [...shippedCommunes().values()];
const withGpUnder2000 = shipped.filter((c) => c.gps > 0 && c.houseMedian !== null && c.houseMedian <= 2000).map((c) => ({ insee: c.insee, minutes: minutesToToulouse(c) }));
const closestMinutes = Math.min(...withGpUnder2000.map((c) => c.minutes));
const communesWithGp = shipped.filter((c) => c.gps > 0).length;
const gpPages = Math.ceil(communesWithGp / 25);

describe('the village finder filters', () => {
  test('time to Toulouse, a GP and a house price cap combine, exactly as a direct computation says', async () => {
    const all = await allCommunes();
    for (const minutes of [45, 60]) {
      const expected = all
        .filter((c) => c.min_toulouse !== null && c.min_toulouse <= minutes && c.gp_count > 0 && c.dvf_house_median !== null && c.dvf_house_median <= 2000)
        .map((c) => c.insee)
        .sort();
      const { res, body } = await api(`min_toulouse=${minutes}&medecin=1&prix_max=2000&par_page=100`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(body.items.map((i) => i.insee).sort(), expected);
      assert.equal(body.total, expected.length);
      for (const i of body.items) {
        assert.ok(i.access.toulouse.minutes! <= minutes && i.generalPractitioners > 0 && i.housePricePerM2!.median <= 2000, i.name);
      }
    }
    // The same search computed from the data files themselves (not from the imported table).
    const { body } = await api('min_toulouse=60&medecin=1&prix_max=2000&par_page=100');
    const fromFiles = withGpUnder2000.filter((c) => c.minutes <= 60).map((c) => c.insee).sort();
    assert.ok(fromFiles.length > 0);
    assert.deepEqual(body.items.map((i) => i.insee).sort(), fromFiles);
  });

  test('a search with no result shows the communes that miss one criterion only, closest first, and says which', async () => {
    // Five minutes less than the closest commune with a GP and houses at 2,000 €/m² at most (45 with the 2025 files).
    const asked = closestMinutes - 5;
    const closest = withGpUnder2000.filter((c) => c.minutes === closestMinutes).map((c) => c.insee);
    const res = await w.app.inject({ url: `/villages?min_toulouse=${asked}&medecin=1&prix_max=2000` });
    assert.equal(res.statusCode, 200);
    const section = /<section aria-labelledby="presque">[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    const items = [...section.matchAll(/<li><a href="\/villages\/(32\d{3})">[^<]+<\/a> : ([^<]+)<\/li>/g)];
    assert.ok(items.length > 0 && items.length <= 5);
    const why = `${closestMinutes} min jusqu’à Toulouse (vous demandiez ${asked} min au plus)`;
    assert.ok(items.some(([, insee, text]) => closest.includes(insee) && text.includes(why)), 'the closest commune, 5 minutes too far');
    const { body } = await api(`min_toulouse=${asked}&medecin=1&prix_max=2000&par_page=100`);
    assert.equal(body.total, 0);
    for (const [, insee] of items) assert.ok(!body.items.some((i) => i.insee === insee), 'a near miss is not a result');
    assert.doesNotMatch((await w.app.inject({ url: `/villages?min_toulouse=${closestMinutes}&medecin=1&prix_max=2000` })).body, /aria-labelledby="presque"/);
  });

  test('the finder page lists and outlines the same communes, keeping the criteria in the form', async () => {
    const { body } = await api('min_toulouse=60&medecin=1&prix_max=2000&par_page=100');
    const res = await w.app.inject({ url: '/villages?min_toulouse=60&medecin=1&prix_max=2000' });
    assert.equal(res.statusCode, 200);
    const listed = [...res.body.matchAll(/<th scope="row"><a href="\/villages\/(32\d{3})">/g)].map((m) => m[1]);
    const rows = listed.slice(0, body.total);
    assert.deepEqual(rows.sort(), body.items.map((i) => i.insee).sort());
    const outlined = [...res.body.matchAll(/<use href="#carte-(32\d{3})" stroke="#1f2a24"/g)].map((m) => m[1]);
    assert.deepEqual(outlined.sort(), body.items.map((i) => i.insee).sort());
    // The map's figures do not depend on the search: its table is the plain map's, one link away.
    assert.match(res.body, /<p class="commune-map-data" id="carte-donnees"><a href="\/villages#carte-donnees">/);
    assert.doesNotMatch(res.body, /<details class="commune-map-data"/);
    assert.match(res.body, /name="min_toulouse" type="text" value="60"/);
    assert.match(res.body, /name="medecin" value="1" checked/);
    assert.match(res.body, /value="2000"/);
  });

  test('population range, pharmacy, cinema and EPCI filters each hold on every result', async () => {
    const all = await allCommunes();
    const lomagne = all.find((c) => c.insee === '32208')!.epci_siren!;
    const { body } = await api(`pop_min=1000&pop_max=5000&pharmacie=1&epci=${lomagne}&par_page=100`);
    const expected = all.filter((c) => c.population !== null && c.population >= 1000 && c.population <= 5000 && c.pharmacy_count > 0 && c.epci_siren === lomagne);
    assert.ok(expected.length > 0);
    assert.deepEqual(body.items.map((i) => i.insee).sort(), expected.map((c) => c.insee).sort());
    const cinemas = await api('cinema=1&par_page=100');
    assert.deepEqual(cinemas.body.items.map((i) => i.insee).sort(), all.filter((c) => c.cinema_count > 0).map((c) => c.insee).sort());
  });

  test('the text search ignores case, accents and punctuation and also reads postcodes and codes', async () => {
    assert.deepEqual((await api('q=isle jourdain')).body.items.map((i) => i.insee), ['32160']);
    assert.ok((await api('q=MARCIAC')).body.items.some((i) => i.insee === '32233'));
    assert.ok((await api('q=32000')).body.items.some((i) => i.insee === '32013'), 'Auch by its postcode');
    assert.deepEqual((await api('q=32013')).body.items.map((i) => i.insee), ['32013']);
    for (const q of ['Escornebœuf', 'escorneboeuf']) assert.deepEqual((await api(`q=${encodeURIComponent(q)}`)).body.items.map((i) => i.insee), ['32123'], q);
    assert.equal((await api('q=%25')).body.total, shipped.length, 'punctuation alone searches nothing, and is no wildcard');
    assert.equal((await api('q=a%25z')).body.total, 0);
  });
});

describe('sorting and pages', () => {
  test('a sort by price puts the cheapest first and the communes without sales last, whatever the order', async () => {
    for (const order of ['asc', 'desc'] as const) {
      const { body } = await api(`tri=prix&ordre=${order}&par_page=100&page=3`);
      const page5 = await api(`tri=prix&ordre=${order}&par_page=100&page=5`);
      const prices = body.items.map((i) => i.housePricePerM2?.median ?? null);
      const known = prices.filter((p): p is number => p !== null);
      for (let k = 1; k < known.length; k++) assert.ok(order === 'asc' ? known[k - 1] <= known[k] : known[k - 1] >= known[k]);
      assert.ok(page5.body.items.every((i) => i.housePricePerM2 === null), 'no sale, last');
    }
  });

  test('without an explicit order, times sort nearest first and counts sort most first', async () => {
    const near = (await api('tri=min_toulouse&par_page=5')).body.items.map((i) => i.access.toulouse.minutes!);
    assert.deepEqual(near, [...near].sort((a, b) => a - b));
    const fewestMinutes = Math.min(...shipped.map((c) => minutesToToulouse(c)));
    const nearest = shipped.filter((c) => minutesToToulouse(c) === fewestMinutes).map((c) => c.insee);
    assert.ok(nearest.includes((await api('tri=min_toulouse&par_page=1')).body.items[0].insee), 'the nearest to Toulouse (Pujaudran in 2025)');
    const mostGps = Math.max(...shipped.map((c) => c.gps));
    const best = shipped.filter((c) => c.gps === mostGps).map((c) => c.insee);
    assert.ok(best.includes((await api('tri=medecins&par_page=1')).body.items[0].insee), 'the commune with the most GPs (Auch)');
    const names = (await api('par_page=100')).body.items.map((i) => i.name);
    const firstByName = shipped.map((c) => c.name).sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' }))[0];
    assert.equal(names[0], firstByName);
  });

  test('pages cover every commune once, and a page past the end is empty but tells the total', async () => {
    const seen = new Set<string>();
    const pages = Math.ceil(shipped.length / 100);
    for (let page = 1; page <= pages; page++) {
      const { body } = await api(`par_page=100&page=${page}&tri=population`);
      assert.equal(body.total, shipped.length);
      assert.equal(body.pages, pages);
      for (const i of body.items) seen.add(i.insee);
    }
    assert.equal(seen.size, shipped.length);
    const past = await api(`par_page=100&page=${pages + 4}`);
    assert.equal(past.res.statusCode, 200);
    assert.deepEqual(past.body.items, []);
    assert.equal(past.body.total, shipped.length);
  });

  test('the finder page paginates by 25 and its links keep the criteria', async () => {
    const res = await w.app.inject({ url: '/villages?medecin=1&page=2' });
    assert.equal(res.statusCode, 200);
    assert.ok(gpPages >= 2, 'the communes with a GP fill more than one page of 25');
    assert.match(res.body, new RegExp(`Page 2 sur ${gpPages}`));
    if (gpPages > 2) assert.match(res.body, /href="\?medecin=1&amp;page=3" rel="next"/);
    else assert.doesNotMatch(res.body, /rel="next"/);
    assert.match(res.body, /href="\/villages\?medecin=1&amp;tri=prix&amp;ordre=asc#resultats"/, 'column headers sort and keep the criteria');
  });
});

describe('criteria that make no sense', () => {
  test('a negative price, an unknown EPCI, a minimum above the maximum and an unknown sort each get a French message by their field', async () => {
    const res = await w.app.inject({ url: '/villages?prix_max=-3&epci=123456789&pop_min=500&pop_max=100&tri=altitude&min_toulouse=abc' });
    assert.equal(res.statusCode, 422);
    for (const field of ['prix_max', 'epci', 'pop_max', 'tri', 'min_toulouse']) assert.match(res.body, new RegExp(`id="e-${field}"`), field);
    assert.match(res.body, /supérieur à 0/);
    assert.match(res.body, /n’existe pas dans le département/);
    assert.match(res.body, /inversez les deux valeurs/);
    assert.match(res.body, /value="-3"/, 'the visitor’s value is kept');
    assert.equal([...res.body.matchAll(/<a href="\/villages\/32\d{3}" aria-label=/g)].length, shipped.length, 'the map is still there');
  });

  test('repeated, empty and oversized parameters never make a server error', async () => {
    for (const url of ['/villages?q=a&q=b', '/villages?prix_max=&pop_min=', '/villages?page=0', '/villages?page=99999', `/villages?q=${'x'.repeat(300)}`, '/villages?medecin=peut-etre', '/villages?carte=relief', '/villages?prix_max=1e9']) {
      const res = await w.app.inject({ url });
      assert.ok(res.statusCode === 200 || res.statusCode === 422, `${url} → ${res.statusCode}`);
    }
    assert.equal((await w.app.inject({ url: '/villages?page=0' })).statusCode, 422, 'pages are counted from 1');
    assert.match((await w.app.inject({ url: '/villages?medecin=1&page=99999' })).body, new RegExp(`Page ${gpPages} sur ${gpPages}`), 'past the end shows the last page');
  });

  test('the API answers 400 problem+json with one message per bad parameter', async () => {
    const { res } = await api('prix_max=-3&epci=123456789&tri=altitude&par_page=1000');
    assert.equal(res.statusCode, 400);
    assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
    const problem = res.json() as { status: number; code: string; errors: Record<string, string> };
    assert.equal(problem.status, 400);
    assert.equal(problem.code, 'invalid');
    assert.deepEqual(Object.keys(problem.errors).sort(), ['epci', 'par_page', 'prix_max', 'tri']);
  });
});

describe('the map and the default page', () => {
  test('the default finder page draws every commune as a named link and is served from memory the second time', async () => {
    const first = await w.app.inject({ url: '/villages', headers: { 'accept-encoding': 'identity' } });
    assert.equal(first.statusCode, 200);
    const links = [...first.body.matchAll(/<a href="\/villages\/(32\d{3})" aria-label="([^"]+)"><path /g)];
    assert.equal(links.length, shipped.length);
    const auchLabel = new RegExp(`^Auch : ${frNumberPattern(shippedCommune('32013').houseMedian!)} €/m²`);
    assert.ok(links.some(([, insee, label]) => insee === '32013' && auchLabel.test(label)));
    assert.match(first.body, /<details class="commune-map-data" id="carte-donnees">/);
    const second = await w.app.inject({ url: '/villages', headers: { 'accept-encoding': 'identity' } });
    assert.equal(second.headers.etag, first.headers.etag);
    assert.match(String(second.headers['cache-control']), /public/);
  });

  test('the map can be coloured by time to Toulouse or by GP presence', async () => {
    const toulouse = await w.app.inject({ url: '/villages?carte=toulouse' });
    const isle = shippedCommune('32160');
    const isleKm = Math.round(oneDecimal(straightKm(isle, shippedReferencePoint('toulouse'))));
    assert.ok(toulouse.body.includes(`aria-label="L'Isle-Jourdain : ${isleKm} km de Toulouse, environ ${minutesToToulouse(isle)} min en voiture (estimation)"`));
    const gp = await w.app.inject({ url: '/villages?carte=medecin&medecin=1' });
    assert.ok(gp.body.includes(`aria-label="Auch : ${shippedCommune('32013').gps} médecins généralistes (dans les résultats)"`));
  });
});

describe('the comparison', () => {
  test('three communes side by side, the best of each row said in words', async () => {
    const res = await w.app.inject({ url: '/villages/comparer?c=32013,32208,32160' });
    assert.equal(res.statusCode, 200);
    assert.equal([...res.body.matchAll(/<th scope="col"><a href="\/villages\/(32\d{3})"/g)].map((m) => m[1]).join(','), '32013,32208,32160');
    // The cheapest houses of the three (Lectoure's in 2025): that cell says so.
    const cheapest = Math.min(...['32013', '32208', '32160'].map((c) => shippedCommune(c).houseMedian ?? Infinity));
    assert.match(res.body, new RegExp(`${frNumberPattern(cheapest)} €/m²<span class="sub">[^<]*</span><span class="best-tag">le meilleur de la comparaison</span>`));
    assert.match(res.body, /de plus<\/span>/, 'the others show their gap to the best');
    assert.match(res.body, /<h2 id="sources">Sources<\/h2>/);
  });

  test('the finder’s ticked boxes and the picker’s names lead to the same comparison', async () => {
    const a = await w.app.inject({ url: '/villages/comparer?c=32013&c=32208' });
    const b = await w.app.inject({ url: `/villages/comparer?c=${encodeURIComponent('Auch (32013)')}&c=lectoure` });
    assert.equal(a.statusCode, 200);
    assert.equal(b.statusCode, 200);
    const heads = (html: string) => [...html.matchAll(/<th scope="col"><a href="\/villages\/(32\d{3})"/g)].map((m) => m[1]).join(',');
    assert.equal(heads(a.body), '32013,32208');
    assert.equal(heads(b.body), '32013,32208');
  });

  test('five communes, one, none, an unknown and a malformed code each get a clear answer and a way to fix it', async () => {
    const five = await w.app.inject({ url: '/villages/comparer?c=32013,32208,32160,32001,32002' });
    assert.equal(five.statusCode, 422);
    assert.match(five.body, /Vous avez choisi 5 villages ; on peut en comparer 4 au plus/);
    assert.equal([...five.body.matchAll(/type="checkbox" id="f-c-32\d{3}" name="c" value="32\d{3}" checked/g)].length, 5, 'all five shown, to untick one');
    const one = await w.app.inject({ url: '/villages/comparer?c=32013' });
    assert.equal(one.statusCode, 422);
    assert.match(one.body, /au moins 2 villages/);
    const unknown = await w.app.inject({ url: '/villages/comparer?c=32013,32999' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /« 32999 »/);
    const malformed = await w.app.inject({ url: '/villages/comparer?c=32013,3201' });
    assert.equal(malformed.statusCode, 422);
    assert.match(malformed.body, /n’est pas un code INSEE valide/);
    const none = await w.app.inject({ url: '/villages/comparer' });
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /<datalist id="communes-liste">/);
    for (const res of [five, one, unknown, malformed, none]) assert.match(res.body, /<form action="\/villages\/comparer" method="get"/);
  });

  test('a visitor ticks villages in the finder and compares them, without JavaScript', async () => {
    const agent = new Agent(w.app);
    const finder = await agent.get('/villages?q=lectoure');
    assert.match(finder.body, /<form action="\/villages\/comparer" method="get"[^>]*>[\s\S]*name="c" value="32208"/);
    const compared = await agent.get('/villages/comparer?c=32208&c=32013&c=32233');
    assert.equal(compared.statusCode, 200);
    assert.match(compared.body, /Comparaison de Lectoure, Auch, Marciac/);
  });
});

describe('the communes API', () => {
  test('items carry every finder figure and the OpenAPI document describes the parameters', async () => {
    const { res, body } = await api('q=auch&par_page=1');
    assert.equal(res.statusCode, 200);
    const auch = body.items[0];
    assert.equal(auch.insee, '32013');
    assert.deepEqual(Object.keys(auch).sort(), [
      'access', 'cinemas', 'epci', 'festivals', 'flatPricePerM2', 'generalPractitioners', 'housePricePerM2', 'insee', 'name', 'pharmacies', 'population', 'postcodes', 'url',
    ]);
    const shippedAuch = shippedCommune('32013');
    assert.deepEqual(auch.housePricePerM2, { median: shippedAuch.houseMedian, sales: shippedAuch.houseSales, reliable: shippedAuch.houseSales >= 10 });
    assert.equal(auch.access.auch.km, 0);
    const doc = (await w.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    const names = doc.paths['/api/v1/communes'].get.parameters.map((p) => p.name);
    for (const p of ['q', 'min_toulouse', 'km_gare', 'medecin', 'prix_max', 'pop_min', 'epci', 'tri', 'ordre', 'page', 'par_page']) assert.ok(names.includes(p), p);
  });
});
