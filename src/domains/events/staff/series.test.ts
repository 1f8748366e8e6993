/**
 * Recurring series: presets and typed rules, occurrences kept at their Paris time across daylight-saving changes, a
 * bounded horizon for an endless rule, editing one occurrence or the series from a day, cancelling one occurrence
 * (its registrants told once), the daily extension, and bad input answered with 422 and a French message per field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { DAY, parisParts } from '../../../shared/time.js';
import { MAX_UPCOMING, checkRule, occurrences, presetRule } from '../events.rrule.js';
import { EventForm, SeriesEditForm } from '../events.schemas.js';
import { eventForm, runDueJobs, staffActor } from '../events.testing.js';
import { registerForEvent } from '../registrations/index.js';
import { cancelEvent, createEvent, extendSeriesNow, publishSeries, scheduleSeriesExtend, seedEventTypes, updateEvent, updateSeriesFrom } from './index.js';

const w = useTestWorld();

const occurrencesOf = (seriesId: number) => w.ctx.db.selectFrom('event').selectAll().where('series_id', '=', seriesId).orderBy('starts_at').execute();
const local = (d: Date) => {
  const p = parisParts(d);
  return `${p.day}T${p.time}`;
};

async function staffWithTypes() {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  await seedEventTypes(w.ctx.db, w.ctx.territory.id);
  return { staff, actor: staffActor(w.ctx, staff.id) };
}

/** A monthly "first Thursday, 18:30–20:30" series from 3 December 2026. */
const monthly = (overrides: Record<string, string> = {}) => eventForm(w.ctx, { titre: 'Apéro des entrepreneurs', debut: '2026-12-03T18:30', fin: '2026-12-03T20:30', repetition: 'monthly_weekday', ...overrides });

describe('rules', () => {
  test('presets say what staff mean in plain French', () => {
    assert.equal(presetRule('monthly_weekday', '2026-12-03'), 'FREQ=MONTHLY;BYDAY=1TH');
    assert.equal(presetRule('weekly', '2026-12-08', '2027-06-30'), 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T235959');
    assert.equal(presetRule('monthly_weekday', '2026-12-29'), 'FREQ=MONTHLY;BYDAY=-1TU', 'a fifth weekday becomes the last');
  });

  test('a malformed, too fine or never-occurring rule is refused; an endless one stops at the bound', () => {
    for (const bad of ['FOO', 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=HOURLY', 'FREQ=WEEKLY;INTERVAL=0', 'FREQ=WEEKLY;COUNT=3;UNTIL=20270101', 'BYDAY=MO', 'FREQ=WEEKLY;;', 'FREQ=WEEKLY;UNTIL=20271345']) {
      assert.ok('error' in checkRule(bad, '2026-12-03T18:30'), bad);
    }
    assert.deepEqual(checkRule('rrule:freq=monthly;byday=1th', '2026-12-03T18:30'), { rule: 'FREQ=MONTHLY;BYDAY=1TH' });
    assert.equal(occurrences('FREQ=DAILY', '2026-12-03T18:30', { max: MAX_UPCOMING }).length, MAX_UPCOMING);
  });
});

describe('series', () => {
  test('a monthly series keeps 18:30 in Paris across the spring clock change, as drafts up to the horizon, published together', async () => {
    const { actor } = await staffWithTypes();
    const row = await createEvent(w.ctx, actor, EventForm.parse(monthly()));
    assert.ok(row.seriesId);
    const list = await occurrencesOf(row.seriesId!);
    assert.equal(list.length, 12, 'December 2026 to November 2027 (a year ahead)');
    assert.ok(list.every((o) => local(o.starts_at).endsWith('T18:30') && local(o.ends_at).endsWith('T20:30')));
    const march = list.find((o) => local(o.starts_at).startsWith('2027-03'))!;
    const april = list.find((o) => local(o.starts_at).startsWith('2027-04'))!;
    assert.equal(march.starts_at.toISOString(), '2027-03-04T17:30:00.000Z');
    assert.equal(april.starts_at.toISOString(), '2027-04-01T16:30:00.000Z', 'summer time: still 18:30 in Paris');
    assert.ok(list.every((o) => o.status === 'draft'));
    const { count } = await publishSeries(w.ctx, actor, row.seriesId!);
    assert.equal(count, 12);
    assert.equal(new Set(list.map((o) => o.slug)).size, 12);
  });

  test('an endless weekly rule is bounded; the daily extension adds only what is missing, once', async () => {
    const { actor } = await staffWithTypes();
    const row = await createEvent(w.ctx, actor, EventForm.parse(eventForm(w.ctx, { debut: '2026-12-01T10:00', fin: '2026-12-01T11:00', repetition: 'custom', rrule: 'FREQ=DAILY' })));
    assert.equal((await occurrencesOf(row.seriesId!)).length, MAX_UPCOMING);
    assert.equal((await extendSeriesNow(w.ctx, actor, row.seriesId!)).made, 0);
    w.clock.advance(10 * DAY);
    assert.equal((await extendSeriesNow(w.ctx, actor, row.seriesId!)).made, 6, 'six dates passed: six more ahead (100 to come at most)');
    const keys = (await occurrencesOf(row.seriesId!)).map((o) => o.occurrence_key);
    assert.equal(new Set(keys).size, keys.length);
    // The daily job does the same on its own and queues the next day's run.
    w.clock.advance(DAY);
    await scheduleSeriesExtend(w.ctx);
    await runDueJobs(w.ctx);
    assert.equal((await occurrencesOf(row.seriesId!)).length, 107, "a day later: one more");
    const job = await w.ctx.db.selectFrom('job').select('dedupe_key').where('kind', '=', 'events.seriesExtend').where('finished_at', 'is', null).executeTakeFirst();
    assert.ok(job, 'the next run is queued');
  });

  test('a finite rule makes its dates and no more; "until" is inclusive', async () => {
    const { actor } = await staffWithTypes();
    const row = await createEvent(w.ctx, actor, EventForm.parse(eventForm(w.ctx, { debut: '2026-12-08T18:00', fin: '2026-12-08T19:00', repetition: 'weekly', repetitionFin: '2027-01-05' })));
    const list = await occurrencesOf(row.seriesId!);
    assert.deepEqual(
      list.map((o) => o.occurrence_key),
      ['2026-12-08T18:00', '2026-12-15T18:00', '2026-12-22T18:00', '2026-12-29T18:00', '2027-01-05T18:00'],
    );
  });

  test('one occurrence is edited or cancelled alone; its registrants get one mail; the series is changed from a day onward', async () => {
    const { staff, actor } = await staffWithTypes();
    const row = await createEvent(w.ctx, actor, EventForm.parse(monthly({ places: '10' })));
    await publishSeries(w.ctx, actor, row.seriesId!);
    const [dec, jan, feb, mar] = await occurrencesOf(row.seriesId!);
    const member = await createUser(w.ctx, { roles: ['member'] });
    await registerForEvent(w.ctx, actorFor(w.ctx, member, ['member']), feb.slug, { seats: 1 });

    // One date moved alone.
    await updateEvent(w.ctx, actor, jan.id, EventForm.parse(monthly({ debut: '2027-01-08T18:30', fin: '2027-01-08T20:30', repetition: '' })));
    // One date cancelled: its registrant is told, once.
    assert.equal((await cancelEvent(w.ctx, actor, feb.id)).told, 1);
    assert.equal((await cancelEvent(w.ctx, actor, feb.id)).told, 0);
    const mails = await w.ctx.db.selectFrom('outbox_mail').select('subject').where('to_address', '=', member.email).where('subject', 'like', 'Événement annulé%').execute();
    assert.equal(mails.length, 1);

    // From March on: 19:00–21:00, capacity 12; the cancelled February and the others before stay as they were.
    const input = SeriesEditForm.parse({ ...monthly({ debut: '2027-03-04T19:00', fin: '2027-03-04T21:00', places: '12' }), aPartirDu: '2027-03-01' });
    const { count } = await updateSeriesFrom(w.ctx, actor, row.seriesId!, input);
    assert.equal(count, 9, 'March to November 2027');
    const after = await occurrencesOf(row.seriesId!);
    const byId = new Map(after.map((o) => [o.id, o]));
    assert.equal(local(byId.get(dec.id)!.starts_at), '2026-12-03T18:30');
    assert.equal(local(byId.get(jan.id)!.starts_at), '2027-01-08T18:30');
    assert.equal(byId.get(feb.id)!.status, 'cancelled');
    assert.equal(local(byId.get(mar.id)!.starts_at), '2027-03-04T19:00');
    assert.ok(after.filter((o) => o.starts_at >= mar.starts_at).every((o) => local(o.starts_at).endsWith('T19:00') && o.capacity === 12));
    // Extending later copies the new values, and never remakes the cancelled date.
    w.clock.advance(40 * DAY);
    await extendSeriesNow(w.ctx, actor, row.seriesId!);
    const last = (await occurrencesOf(row.seriesId!)).at(-1)!;
    assert.ok(local(last.starts_at).endsWith('T19:00'));
    assert.equal((await occurrencesOf(row.seriesId!)).filter((o) => o.occurrence_key === feb.occurrence_key).length, 1);
    void staff;
  });
});

describe('the form', () => {
  async function staffAgent() {
    const { staff } = await staffWithTypes();
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    await agent.get('/admin/agenda/nouveau');
    return agent;
  }

  test('staff create a series from the event form and land on its page', async () => {
    const agent = await staffAgent();
    const res = await agent.post('/admin/agenda/nouveau', monthly());
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/admin\/agenda\/series\/\d+$/);
    const page = await agent.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('FREQ=MONTHLY;BYDAY=1TH'));
    const edit = await agent.get(`${res.headers.location}/modifier`);
    assert.equal(edit.statusCode, 200);
    assert.ok(edit.body.includes('name="aPartirDu"'));
  });

  test('a malformed rule, an end before the start and a NUL byte get 422 with a French message on the field, never a 500', async () => {
    const agent = await staffAgent();
    const cases: [Record<string, string>, string, string][] = [
      [{ repetition: 'custom', rrule: 'FREQ=SOMETIMES' }, 'rrule', 'Cette règle n’est pas valable'],
      [{ repetition: 'custom', rrule: '' }, 'rrule', 'Saisissez la règle'],
      [{ repetition: 'custom', rrule: 'FREQ=WEEKLY\u0000' }, 'rrule', 'caractère nul'],
      [{ repetition: 'weekly', repetitionFin: '2026-11-01' }, 'repetitionFin', 'La fin de la répétition est avant le début'],
      [{ repetition: 'weekly', repetitionFin: '2026-13-45' }, 'repetitionFin', 'date'],
      [{ repetition: 'yearly-ish' }, 'repetition', ''],
      [{ fin: '2026-12-03T17:00' }, 'fin', ''],
    ];
    for (const [fields, field, text] of cases) {
      const res = await agent.post('/admin/agenda/nouveau', monthly(fields));
      assert.equal(res.statusCode, 422, JSON.stringify(fields));
      if (field) assert.ok(res.body.includes(`id="e-${field}"`), `message on ${field}`);
      if (text) assert.ok(res.body.includes(text), text);
    }
    assert.equal((await w.ctx.db.selectFrom('event_series').select('id').execute()).length, 0);
    // An endless rule is not a hang: it answers at once with a bounded series.
    const endless = await agent.post('/admin/agenda/nouveau', monthly({ repetition: 'custom', rrule: 'FREQ=DAILY;INTERVAL=1' }));
    assert.equal(endless.statusCode, 303);
  });

  test('editing a series from a day: a bad day or a day with nothing after is answered on its field', async () => {
    const agent = await staffAgent();
    const created = await agent.post('/admin/agenda/nouveau', monthly({ repetitionFin: '2027-02-28' }));
    const path = String(created.headers.location);
    await agent.get(`${path}/modifier`);
    const bad = await agent.post(`${path}/modifier`, { ...monthly(), aPartirDu: '2027-02-31' });
    assert.equal(bad.statusCode, 422);
    const none = await agent.post(`${path}/modifier`, { ...monthly(), aPartirDu: '2030-01-01' });
    assert.equal(none.statusCode, 422);
    assert.ok(none.body.includes('Aucune date de la série'));
    const ok = await agent.post(`${path}/modifier`, { ...monthly({ titre: 'Apéro renommé' }), aPartirDu: '2027-01-01' });
    assert.equal(ok.statusCode, 303);
    const titles = (await w.ctx.db.selectFrom('event').select(['title', 'starts_at']).orderBy('starts_at').execute()).map((e) => e.title);
    assert.deepEqual(titles, ['Apéro des entrepreneurs', 'Apéro renommé', 'Apéro renommé']);
  });
});
