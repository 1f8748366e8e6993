/**
 * Importing an external feed, served by a local node:http server on 127.0.0.1: events upserted by UID, published,
 * naming their source; a weekly series expanded over the horizon through the feed's VTIMEZONE; an event gone from
 * the feed cancelled; bad feeds (garbage, too big, too slow, 404) recorded on the staff page, never a crash; URLs
 * checked (http and https only; private addresses refused outside tests); the staff's form per role.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { runDueJobs } from '../events.testing.js';
import { seedEventTypes } from '../staff/index.js';
import { addSource, importSource, isPrivateAddress, listSources, scheduleFeedRefresh } from './index.js';

const w = useTestWorld();

const files = new Map<string, { body: string | Buffer; delayMs?: number; status?: number }>();
/** How many times each path was fetched. */
const hits = new Map<string, number>();
let server: Server;
let base = '';
before(async () => {
  server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    const f = files.get(req.url ?? '');
    if (!f) return res.writeHead(404, { connection: 'close' }).end('not found');
    // One connection per fetch: a kept-alive socket the server closes just as the next fetch reuses it fails that fetch.
    setTimeout(() => res.writeHead(f.status ?? 200, { 'content-type': 'text/calendar; charset=utf-8', connection: 'close' }).end(f.body), f.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const TZ = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];
const vevent = (uid: string, lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261001T000000Z', ...lines, 'END:VEVENT'];
const calendar = (...events: string[][]) => [...['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Comité//FR'], ...TZ, ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');

const FESTIVAL = vevent('festival@comite.example', ['SUMMARY:Fête de la saucisse', 'DESCRIPTION:Repas\\, bal et feu d’artifice.', 'LOCATION:Place du marché\\, Lectoure', 'DTSTART;TZID=Europe/Paris:20261024T190000', 'DTEND;TZID=Europe/Paris:20261024T230000']);
const MARKET = vevent('marche@comite.example', ['SUMMARY:Marché fermier', 'DTSTART;VALUE=DATE:20261031', 'DTEND;VALUE=DATE:20261101']);
// Weekly on Thursdays at 18:00 Paris time, from before the October change to after it; one moved.
const CLUB = vevent('club@comite.example', ['SUMMARY:Club lecture', 'DTSTART;TZID=Europe/Paris:20261015T180000', 'DTEND;TZID=Europe/Paris:20261015T193000', 'RRULE:FREQ=WEEKLY;COUNT=400']);
const CLUB_MOVED = vevent('club@comite.example', ['RECURRENCE-ID;TZID=Europe/Paris:20261022T180000', 'SUMMARY:Club lecture (salle des fêtes)', 'DTSTART;TZID=Europe/Paris:20261022T200000', 'DTEND;TZID=Europe/Paris:20261022T213000']);

async function source(path: string, body?: string, refreshHours = 6) {
  if (body !== undefined) files.set(path, { body });
  await seedEventTypes(w.ctx.db, w.ctx.territory.id);
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const actor = actorFor(w.ctx, staff, ['staff']);
  const row = await addSource(w.ctx, actor, { name: 'Comité des fêtes', url: `${base}${path}`, insee: '32013', refreshHours });
  return { id: row.id, actor };
}
const imported = () => w.ctx.db.selectFrom('event').selectAll().where('import_source_id', 'is not', null).orderBy('starts_at').execute();

describe('importing an external feed', () => {
  test('events are published by UID with their source, a series expanded through the VTIMEZONE, gone ones cancelled', async () => {
    w.clock.set('2026-10-10T08:00:00Z');
    const { id } = await source('/comite.ics', calendar(FESTIVAL, MARKET, CLUB, CLUB_MOVED));
    const first = await importSource(w.ctx, id);
    assert.equal(first.error, null);
    let rows = await imported();
    const festival = rows.find((r) => r.title === 'Fête de la saucisse')!;
    assert.equal(festival.status, 'published');
    assert.equal(festival.starts_at.toISOString(), '2026-10-24T17:00:00.000Z', '19:00 in summer time');
    assert.equal(festival.insee, '32208', 'the commune named in LOCATION (Lectoure)');
    assert.equal(festival.address, 'Place du marché, Lectoure');
    assert.equal(festival.organiser, 'Comité des fêtes');
    assert.ok(festival.description_md.includes('Repas, bal'));
    const market = rows.find((r) => r.title === 'Marché fermier')!;
    assert.ok(market.all_day);
    assert.equal(market.insee, '32013', 'no location: the source’s commune');
    const club = rows.filter((r) => r.title.startsWith('Club lecture'));
    assert.ok(club.length >= 25 && club.length <= 27, `a bounded horizon (${club.length} Thursdays in 180 days)`);
    const byDay = new Map(club.map((r) => [r.starts_at.toISOString().slice(0, 10), r]));
    assert.equal(byDay.get('2026-10-15')!.starts_at.toISOString(), '2026-10-15T16:00:00.000Z', '18:00 before the change');
    assert.equal(byDay.get('2026-10-29')!.starts_at.toISOString(), '2026-10-29T17:00:00.000Z', '18:00 after the change');
    assert.equal(byDay.get('2026-10-22')!.title, 'Club lecture (salle des fêtes)', 'the moved occurrence');
    assert.equal(byDay.get('2026-10-22')!.starts_at.toISOString(), '2026-10-22T18:00:00.000Z');

    // The page names its source; it takes no registration.
    const page = await new Agent(w.app).get(`/agenda/${festival.slug}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Comité des fêtes'));
    assert.ok(page.body.includes(`${base}/comite.ics`));

    // Again, with the festival renamed and the market gone: same rows, the market cancelled.
    files.set('/comite.ics', { body: calendar(FESTIVAL.map((l) => (l.startsWith('SUMMARY') ? 'SUMMARY:Fête de la saucisse et du melon' : l)), CLUB, CLUB_MOVED) });
    const second = await importSource(w.ctx, id);
    assert.equal(second.error, null);
    rows = await imported();
    assert.equal(rows.filter((r) => r.status === 'published').length, club.length + 1);
    assert.equal(rows.find((r) => r.id === festival.id)!.title, 'Fête de la saucisse et du melon', 'updated in place, keyed by UID');
    assert.equal(rows.find((r) => r.id === market.id)!.status, 'cancelled');
    const agenda = await new Agent(w.app).get('/agenda');
    assert.ok(agenda.body.includes('Fête de la saucisse et du melon'), 'the agenda shows the import at once');
  });

  test('feeds are fetched again on their own every few hours: same UIDs updated, no duplicate, gone ones cancelled; a manual feed is left alone', async () => {
    w.clock.set('2026-10-10T08:00:00Z');
    const { id } = await source('/auto.ics', calendar(FESTIVAL, MARKET));
    await source('/manual.ics', calendar(vevent('manual@comite.example', ['SUMMARY:Vide-grenier', 'DTSTART;VALUE=DATE:20261025', 'DTEND;VALUE=DATE:20261026'])), 0);
    await scheduleFeedRefresh(w.ctx);
    await scheduleFeedRefresh(w.ctx); // at every start: once is enough
    hits.clear();
    await runDueJobs(w.ctx); // the imports queued when the feeds were added, and the first sweep
    assert.deepEqual([hits.get('/auto.ics'), hits.get('/manual.ics')], [1, 1], 'each feed read once, though both the addition and the sweep ran');
    const titles = async () => (await imported()).filter((r) => r.status === 'published').map((r) => r.title).sort();
    assert.deepEqual(await titles(), ['Fête de la saucisse', 'Marché fermier', 'Vide-grenier']);

    // Upstream: the festival renamed, the market removed, a concert added; the manual feed changed too.
    files.set('/auto.ics', { body: calendar(FESTIVAL.map((l) => (l.startsWith('SUMMARY') ? 'SUMMARY:Fête de la saucisse et du melon' : l)), vevent('concert@comite.example', ['SUMMARY:Concert', 'DTSTART;TZID=Europe/Paris:20261030T210000', 'DTEND;TZID=Europe/Paris:20261030T230000'])) });
    files.set('/manual.ics', { body: calendar() });
    for (let hour = 1; hour < 6; hour++) {
      w.clock.set(new Date(Date.parse('2026-10-10T08:00:00Z') + hour * 3_600_000 + 60_000));
      await runDueJobs(w.ctx);
    }
    assert.deepEqual([hits.get('/auto.ics'), hits.get('/manual.ics')], [1, 1], 'nothing read again before six hours');
    w.clock.set('2026-10-10T14:01:00Z');
    await runDueJobs(w.ctx);
    assert.deepEqual([hits.get('/auto.ics'), hits.get('/manual.ics')], [2, 1], 'six hours later the feed is read again; the manual one is not');
    assert.deepEqual(await titles(), ['Concert', 'Fête de la saucisse et du melon', 'Vide-grenier']);
    const rows = await imported();
    assert.equal(rows.filter((r) => r.import_uid === 'festival@comite.example').length, 1, 'updated in place, no duplicate');
    assert.equal(rows.find((r) => r.title === 'Marché fermier')!.status, 'cancelled', 'removed upstream and still to come: cancelled');
    const [src] = await w.ctx.db.selectFrom('event_import_source').select(['last_fetched_at', 'last_count']).where('id', '=', id).execute();
    assert.deepEqual(src, { last_fetched_at: w.clock.now(), last_count: 2 });
    // The sweep keeps one next run queued, not one per start or per run.
    const pending = await w.ctx.db.selectFrom('job').select('run_at').where('kind', '=', 'events.feedRefresh').where('state', '=', 'pending').execute();
    assert.equal(pending.length, 1);
    // Reading the same feed again changes nothing.
    await importSource(w.ctx, id);
    assert.deepEqual(await titles(), ['Concert', 'Fête de la saucisse et du melon', 'Vide-grenier']);
    assert.equal((await imported()).length, 4);
  });

  test('bad feeds are recorded on the source and shown to the team, never a crash', async () => {
    w.clock.set('2026-10-10T08:00:00Z');
    files.set('/garbage.ics', { body: 'BEGIN:VCALENDAR\r\nthis is not iCalendar\r\n' });
    files.set('/big.ics', { body: Buffer.alloc(2 * 1024 * 1024 + 10, 'A') });
    files.set('/slow.ics', { body: calendar(FESTIVAL), delayMs: 600 });
    const outcomes: Record<string, string | null> = {};
    for (const path of ['/garbage.ics', '/big.ics', '/slow.ics', '/missing.ics']) {
      const { id } = await source(path);
      // A short timeout only where it is the point: 2 MB may take longer than that on a busy machine.
      outcomes[path] = (await importSource(w.ctx, id, { timeoutMs: path === '/slow.ics' ? 200 : 10_000, maxBytes: 2 * 1024 * 1024 })).error;
    }
    assert.deepEqual(outcomes, {
      '/garbage.ics': 'events.imports.error.parse',
      '/big.ics': 'events.imports.error.tooBig',
      '/slow.ics': 'events.imports.error.timeout',
      '/missing.ics': 'events.imports.error.status',
    });
    assert.equal((await imported()).length, 0);
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    const page = await agent.get('/admin/agenda/flux');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('le fichier dépasse 2 Mo') && page.body.includes('n’est pas un agenda iCalendar lisible'));
  });

  test('the form: http(s) only, 422 in French with the values; private addresses refused outside tests; staff only', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    await agent.get('/admin/agenda/flux');
    for (const url of ['ftp://exemple.fr/a.ics', 'javascript:alert(1)', 'file:///etc/passwd', 'pas une adresse']) {
      const res = await agent.post('/admin/agenda/flux', { nom: 'Mairie', url, commune: '32013' });
      assert.equal(res.statusCode, 422, url);
      assert.ok(res.body.includes('Indiquez une adresse qui commence par http:// ou https://.'));
      assert.ok(res.body.includes('value="Mairie"'));
    }
    const badInterval = await agent.post('/admin/agenda/flux', { nom: 'Mairie', url: `${base}/mairie.ics`, commune: '32013', actualisation: '5' });
    assert.equal(badInterval.statusCode, 422);
    assert.ok(badInterval.body.includes('Choisissez un intervalle de la liste.') && badInterval.body.includes('value="Mairie"'));
    const ok = await agent.post('/admin/agenda/flux', { nom: 'Mairie', url: `${base}/mairie.ics`, commune: '32013', actualisation: '24' });
    assert.equal(ok.statusCode, 303);
    const jobs = await w.ctx.db.selectFrom('job').select('kind').where('kind', '=', 'events.importFeed').execute();
    assert.equal(jobs.length, 1, 'the import is queued');
    assert.equal((await w.ctx.db.selectFrom('event_import_source').select('refresh_hours').executeTakeFirstOrThrow()).refresh_hours, 24);
    assert.ok((await agent.get('/admin/agenda/flux')).body.includes('Une fois par jour'));

    const production = { ...w.ctx, config: { ...w.ctx.config, env: 'production' as const } };
    const actor = actorFor(w.ctx, staff, ['staff']);
    for (const url of ['http://127.0.0.1:8080/a.ics', 'http://localhost/a.ics', 'http://[::1]/a.ics', 'http://10.0.0.2/a.ics', 'http://192.168.1.1/a.ics'])
      assert.equal(await codeOf(addSource(production, actor, { name: 'X', url, insee: '32013', refreshHours: 6 })), 'invalid', url);
    assert.ok(isPrivateAddress('::ffff:127.0.0.1') && isPrivateAddress('169.254.169.254') && !isPrivateAddress('93.184.216.34'));

    const member = await createUser(w.ctx, { roles: ['member'] });
    assert.equal(await codeOf(listSources(w.ctx, actorFor(w.ctx, member, ['member']))), 'forbidden');
    assert.equal(await codeOf(addSource(w.ctx, actorFor(w.ctx, null), { name: 'X', url: `${base}/x.ics`, insee: '32013', refreshHours: 6 })), 'unauthenticated');
  });
});
