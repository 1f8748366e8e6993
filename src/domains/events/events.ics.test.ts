/**
 * The calendar feeds against a strict RFC 5545 reader written here (no iCalendar parser is installed): CRLF only,
 * no physical line over 75 octets, continuation lines unfolded, components balanced, required properties present,
 * TEXT values unescaped, and local times turned into instants with the feed's own VTIMEZONE rules, so the test
 * checks what a calendar application would show on both sides of the October change.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createUser } from '../../../tests/support/factories.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { buildCalendar, escapeText, foldLine } from './events.ics.js';
import { publishedEvent } from './events.testing.js';
import { registerForEvent, renewMyFeed } from './registrations/index.js';

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
}
interface Component {
  type: string;
  props: Prop[];
  children: Component[];
}

function parseIcs(text: string): Component {
  assert.ok(text.endsWith('\r\n'), 'the calendar ends with CRLF');
  assert.ok(!/[^\r]\n/.test(text) && !/\r(?!\n)/.test(text), 'every line ends with CRLF, nothing else');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) assert.ok(Buffer.byteLength(line) <= 75, `line of ${Buffer.byteLength(line)} octets: ${line}`);
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const root: Component = { type: 'ROOT', props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^;:,]*))*):(.*)$/.exec(line);
    assert.ok(m, `a content line: ${line}`);
    const [, name, rawParams, value] = m;
    const params = Object.fromEntries([...rawParams.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^;:,]*)/g)].map((p) => [p[1].toUpperCase(), p[2]]));
    if (name === 'BEGIN') {
      const c: Component = { type: value, props: [], children: [] };
      stack.at(-1)!.children.push(c);
      stack.push(c);
    } else if (name === 'END') {
      assert.equal(stack.pop()!.type, value, 'components are balanced');
    } else stack.at(-1)!.props.push({ name: name.toUpperCase(), params, value });
  }
  assert.equal(stack.length, 1, 'every component is closed');
  assert.equal(root.children.length, 1);
  return root.children[0];
}

const prop = (c: Component, name: string) => c.props.find((p) => p.name === name);
const unescape = (v: string) => v.replace(/\\([\\;,nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));

/** The last Sunday of a month, at the given local hour, as the VTIMEZONE's BYDAY=-1SU says. */
function lastSunday(year: number, month: number) {
  const d = new Date(Date.UTC(year, month, 0));
  return d.getUTCDate() - d.getUTCDay();
}

/** A local time of the feed's zone as an instant, with the zone's own rules (offsets and change dates). */
function instantOf(value: string, tz: Component) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(value)!;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const rule = (type: string) => {
    const c = tz.children.find((x) => x.type === type)!;
    const rrule = prop(c, 'RRULE')!.value;
    assert.match(rrule, /^FREQ=YEARLY;BYMONTH=\d+;BYDAY=-1SU$/);
    const offset = prop(c, 'TZOFFSETTO')!.value;
    const from = prop(c, 'TZOFFSETFROM')!.value;
    const start = prop(c, 'DTSTART')!.value;
    return { month: Number(/BYMONTH=(\d+)/.exec(rrule)![1]), hour: Number(start.slice(9, 11)), to: offset, from };
  };
  const summer = rule('DAYLIGHT');
  const winter = rule('STANDARD');
  const minutes = (o: string) => (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(3, 5)));
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const summerStart = Date.UTC(y, summer.month - 1, lastSunday(y, summer.month), summer.hour);
  const winterStart = Date.UTC(y, winter.month - 1, lastSunday(y, winter.month), winter.hour);
  const offset = local >= summerStart && local < winterStart ? summer.to : winter.to;
  return new Date(local - minutes(offset) * 60_000);
}

describe('the iCalendar writer', () => {
  test('escapes text and folds long lines at 75 octets without cutting a character', () => {
    assert.equal(escapeText('a;b,c\\d\ne'), 'a\\;b\\,c\\\\d\\ne');
    const long = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75);
    assert.equal(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join(''), long);
  });

  test('an event round-trips through the strict reader', () => {
    const title = 'Apéro ; « les voisins », avec\\ retour\nà la ligne '.repeat(3);
    const ics = buildCalendar({
      name: 'Agenda',
      prodId: '-//Test//FR',
      events: [{ uid: 'event-1@test', title, description: 'x'.repeat(200), location: 'Lectoure', url: 'http://localhost/agenda/a', startsAt: new Date('2026-07-01T08:00:00Z'), endsAt: new Date('2026-07-01T10:00:00Z'), allDay: false, cancelled: false, updatedAt: new Date('2026-06-01T00:00:00Z'), sequence: 0 }],
    });
    const cal = parseIcs(ics);
    assert.equal(prop(cal, 'VERSION')!.value, '2.0');
    const ev = cal.children.find((c) => c.type === 'VEVENT')!;
    assert.equal(unescape(prop(ev, 'SUMMARY')!.value), title);
    for (const name of ['UID', 'DTSTAMP', 'DTSTART', 'DTEND']) assert.ok(prop(ev, name), `${name} is there`);
  });
});

describe('the feeds', () => {
  const w = useTestWorld();

  test('/agenda.ics holds the right local times on both sides of the October change, with the Paris zone', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    w.clock.set('2026-10-01T09:00:00Z');
    await publishedEvent(w.ctx, staff.id, { titre: 'Samedi avant', debut: '2026-10-24T10:00', fin: '2026-10-24T12:00' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Lundi après', debut: '2026-10-26T10:00', fin: '2026-10-26T12:00' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Deux jours', journee: '1', debut: '2026-10-24', fin: '2026-10-25' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Réservé', public: 'members', debut: '2026-10-20T10:00', fin: '2026-10-20T11:00' });
    const res = await w.app.inject({ url: '/agenda.ics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    const cal = parseIcs(res.body);
    const tz = cal.children.find((c) => c.type === 'VTIMEZONE')!;
    assert.equal(prop(tz, 'TZID')!.value, 'Europe/Paris');
    const events = cal.children.filter((c) => c.type === 'VEVENT');
    const byTitle = new Map(events.map((e) => [unescape(prop(e, 'SUMMARY')!.value), e]));
    assert.ok(!byTitle.has('Réservé'), 'the public feed holds public events only');

    const before = byTitle.get('Samedi avant')!;
    const after = byTitle.get('Lundi après')!;
    for (const [ev, utc] of [[before, '2026-10-24T08:00:00.000Z'], [after, '2026-10-26T09:00:00.000Z']] as const) {
      const start = prop(ev, 'DTSTART')!;
      assert.equal(start.params.TZID, 'Europe/Paris');
      assert.match(start.value, /T100000$/, 'ten o’clock, Paris time, on both sides');
      assert.equal(instantOf(start.value, tz).toISOString(), utc);
    }
    const allDay = byTitle.get('Deux jours')!;
    assert.deepEqual([prop(allDay, 'DTSTART')!.params.VALUE, prop(allDay, 'DTSTART')!.value, prop(allDay, 'DTEND')!.value], ['DATE', '20261024', '20261026']);
  });

  test('the personal feed adds the member’s members-only events and the online link of their confirmed registration; a guessed secret is refused', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const member = await createUser(w.ctx, { roles: ['member'] });
    const online = await publishedEvent(w.ctx, staff.id, { titre: 'Visio', public: 'members', lieu: 'online', lien: 'https://visio.example.org/secret-room' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Membres', public: 'members' });
    const actor = { userId: member.id, territoryId: w.ctx.territory.id, roles: new Set(['member' as const]) };
    await registerForEvent(w.ctx, actor, online.slug, { seats: 1 });
    const url = await renewMyFeed(w.ctx, actor);
    const path = new URL(url).pathname;
    const res = await w.app.inject({ url: path });
    assert.equal(res.statusCode, 200);
    const cal = parseIcs(res.body);
    const titles = cal.children.filter((c) => c.type === 'VEVENT').map((e) => unescape(prop(e, 'SUMMARY')!.value));
    assert.deepEqual(titles.sort(), ['Membres', 'Visio']);
    assert.ok(res.body.replace(/\r\n /g, '').includes('https://visio.example.org/secret-room'));
    // The public feed of that event never carries the link.
    const single = await w.app.inject({ url: `/agenda/${online.slug}.ics` });
    assert.equal(single.statusCode, 200);
    assert.ok(!single.body.includes('secret-room'));
    parseIcs(single.body);
    assert.equal((await w.app.inject({ url: '/agenda/flux/devine-devine-devine-devine.ics' })).statusCode, 404);
    // Renewing revokes the old address.
    await renewMyFeed(w.ctx, actor);
    assert.equal((await w.app.inject({ url: path })).statusCode, 404);
  });
});
