/**
 * Weekly series by the back office: every occurrence judged by the one availability function, the impossible ones
 * listed with their reason and the nearest free slots (never skipped in silence), the accepted ones written all
 * together, across the October clock change at Paris time, cancelled together; bad input answered in French.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { AppError } from '../../../shared/app-error.js';
import { tFor } from '../../../web/i18n/index.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';
import type { SeriesRequest } from './reservations.schemas.js';
import { cancelSeries, createSeries, previewSeries } from './reservations.series.js';
import * as service from './reservations.service.js';

const w = useTestWorld();
const fr = tFor('fr');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

async function world(now = '2026-11-30T07:00:00Z') {
  w.clock.set(now);
  const placeId = await addThirdPlace(w.ctx);
  const staffUser = await createUser(w.ctx, { roles: ['space_manager'] });
  const staff = actorFor(w.ctx, staffUser, ['space_manager']);
  const memberUser = await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const member = actorFor(w.ctx, memberUser, ['member']);
  const room = await makeResource(w.ctx, staff, roomInput(placeId));
  return { placeId, staffUser, staff, memberUser, member, room };
}

const series = (over: Partial<SeriesRequest>): SeriesRequest => ({
  weekdays: [2],
  startMinutes: 600,
  endMinutes: 720,
  fromDay: '2026-12-01',
  count: 4,
  mode: 'blocage',
  name: '',
  note: '',
  ...over,
});

const seriesBookings = (seriesId: string) =>
  w.ctx.db.selectFrom('booking').select(['id', 'status', 'user_id', 'kind']).select((eb) => eb.ref('period').as('period')).where('series_id', '=', seriesId).execute();

describe('a weekly series', () => {
  test('the impossible dates are listed with their reason and nearest free slots; the free ones are created together', async () => {
    const { staff, member, memberUser, room } = await world();
    // The member already holds Tuesday 8 December, 10:00–12:00; Friday 25 December is Christmas.
    await service.bookResource(w.ctx, member, { slug: room.slug }, { day: '2026-12-08', startMinutes: 600, endMinutes: 720, note: '' });
    const req = series({ weekdays: [2, 5], count: undefined, untilDay: '2026-12-26', mode: 'pour', email: memberUser.email });
    const preview = await previewSeries(w.ctx, staff, room.id, req);
    assert.deepEqual(preview.free.map((o) => o.day), ['2026-12-01', '2026-12-04', '2026-12-11', '2026-12-15', '2026-12-18', '2026-12-22']);
    assert.deepEqual(preview.conflicts.map((c) => [c.day, c.key]), [
      ['2026-12-08', 'bookings.errors.taken'],
      ['2026-12-25', 'bookings.errors.holiday'],
    ]);
    const taken = preview.conflicts[0];
    assert.ok(taken.alternatives.length > 0, 'the taken date offers other free slots');
    assert.ok(taken.alternatives.every((a) => a.end.getTime() - a.start.getTime() === 2 * 3_600_000), 'of the same length');

    const done = await createSeries(w.ctx, staff, room.id, req, preview.free.map((o) => o.day));
    assert.equal(done.created, 6);
    const rows = await seriesBookings(done.id);
    assert.equal(rows.length, 6);
    assert.ok(rows.every((r) => r.status === 'confirmed' && r.user_id === memberUser.id && r.kind === 'booking'));
    // One mail for the series, with every occurrence in its calendar file.
    const mails = await w.ctx.db.selectFrom('outbox_mail').select(['subject', 'attachments']).where('to_address', '=', memberUser.email).execute();
    const seriesMail = mails.find((m) => m.subject.includes(room.name) && m.subject.startsWith('Réservations régulières'))!;
    assert.ok(seriesMail, 'the person is told once');
    const ics = Buffer.from((seriesMail.attachments as { content: string }[])[0].content, 'base64').toString('utf8');
    assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 6);
    assert.ok(ics.includes('DTSTART;TZID=Europe/Paris:20261201T100000'));

    // Thursday 10 December: the two past occurrences stay, the four to come are cancelled with one action.
    w.clock.set('2026-12-10T09:00:00Z');
    const cancelled = await cancelSeries(w.ctx, staff, done.id);
    assert.equal(cancelled.cancelled, 4);
    const after = await seriesBookings(done.id);
    assert.equal(after.filter((r) => r.status === 'confirmed').length, 2);
    assert.equal(after.filter((r) => r.status === 'cancelled').length, 4);
    // The member's own booking of 8 December was never part of the series.
    assert.equal((await service.listMyBookings(w.ctx, member)).filter((b) => b.booking.status === 'confirmed').length, 3);
  });

  test('if a date was taken after the preview, nothing is written and the fresh preview says why', async () => {
    const { staff, member, room } = await world();
    const req = series({ count: 3 });
    const preview = await previewSeries(w.ctx, staff, room.id, req);
    assert.equal(preview.free.length, 3);
    await service.bookResource(w.ctx, member, { slug: room.slug }, { day: '2026-12-08', startMinutes: 660, endMinutes: 780, note: '' });
    const error = await createSeries(w.ctx, staff, room.id, req, preview.free.map((o) => o.day)).catch((e) => e);
    assert.ok(error instanceof AppError);
    assert.equal(error.message, 'bookings.series.errors.changed');
    assert.equal((await w.ctx.db.selectFrom('booking').select('id').where('series_id', 'is not', null).execute()).length, 0, 'all or nothing');
    const again = await previewSeries(w.ctx, staff, room.id, req);
    assert.deepEqual(again.conflicts.map((c) => c.day), ['2026-12-08']);
  });

  test('ten o’clock every Monday stays ten o’clock in Paris across the October change', async () => {
    const { staff, room } = await world('2026-10-01T08:00:00Z');
    const req = series({ weekdays: [1], fromDay: '2026-10-19', count: 3 });
    const preview = await previewSeries(w.ctx, staff, room.id, req);
    assert.deepEqual(preview.conflicts, []);
    assert.deepEqual(
      preview.free.map((o) => o.start!.toISOString()),
      ['2026-10-19T08:00:00.000Z', '2026-10-26T09:00:00.000Z', '2026-11-02T09:00:00.000Z'],
    );
    const done = await createSeries(w.ctx, staff, room.id, req, preview.free.map((o) => o.day));
    assert.equal(done.created, 3);
  });

  test('half past two on the night clocks go forward does not exist: that Sunday is listed, not skipped', async () => {
    const { staff, placeId } = await world('2027-03-01T08:00:00Z');
    const night = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'studio-nuit', name: 'Studio de nuit', openingHours: { '7': [{ from: '00:00', to: '24:00' }] } }));
    const preview = await previewSeries(w.ctx, staff, night.id, series({ weekdays: [7], fromDay: '2027-03-21', count: 2, startMinutes: 150, endMinutes: 210 }));
    assert.deepEqual(preview.free.map((o) => o.day), ['2027-03-21']);
    assert.deepEqual(preview.conflicts.map((c) => [c.day, c.key]), [['2027-03-28', 'bookings.errors.timeDoesNotExist']]);
  });

  test('a person without an account is booked by name and e-mail, and told once', async () => {
    const { staff, room } = await world();
    const req = series({ count: 2, mode: 'pour', email: 'invitee@exemple.fr', name: 'Invitée Externe' });
    const preview = await previewSeries(w.ctx, staff, room.id, req);
    const done = await createSeries(w.ctx, staff, room.id, req, preview.free.map((o) => o.day));
    const rows = await w.ctx.db.selectFrom('booking').select(['visitor_name', 'visitor_email', 'audience']).where('series_id', '=', done.id).execute();
    assert.deepEqual(rows.map((r) => [r.visitor_name, r.visitor_email, r.audience]), [['Invitée Externe', 'invitee@exemple.fr', 'visitor'], ['Invitée Externe', 'invitee@exemple.fr', 'visitor']]);
    assert.equal((await w.ctx.db.selectFrom('outbox_mail').select('id').where('to_address', '=', 'invitee@exemple.fr').execute()).length, 1);
    const nameless = await createSeries(w.ctx, staff, room.id, { ...req, email: 'autre@exemple.fr', name: '', fromDay: '2026-12-15' }, ['2026-12-15']).catch((e) => e);
    assert.equal(nameless.code, 'invalid');
  });

  test('only the back office makes series', async () => {
    const { member, room } = await world();
    const error = await previewSeries(w.ctx, member, room.id, series({})).catch((e) => e);
    assert.equal(error.code, 'forbidden');
  });
});

describe('the series pages', () => {
  async function staffAgent() {
    const env = await world();
    const agent = new Agent(w.app);
    await agent.login(env.staffUser.email, env.staffUser.password);
    return { ...env, agent };
  }
  const fields = (over: Record<string, string | string[]>) => ({ jours: ['2'], debut: '10:00', fin: '12:00', du: '2026-12-01', au: '', nombre: '3', mode: 'blocage', nom: '', email: '', note: '', ...over });

  test('bad input comes back in French with the typed values, never a 500', async () => {
    const { agent, room } = await staffAgent();
    const url = `/admin/reservations/ressources/${room.id}/serie`;
    assert.equal((await agent.get(url)).statusCode, 200);
    const cases: [Record<string, string | string[]>, string][] = [
      [{ jours: [] }, 'bookings.series.errors.noWeekday'],
      [{ nombre: '', au: '2026-11-20' }, 'bookings.series.errors.untilBeforeFrom'],
      [{ nombre: '', au: '2028-01-10' }, 'bookings.series.errors.tooLong'],
      [{ nombre: '' }, 'bookings.series.errors.untilOrCount'],
      [{ nombre: '0' }, 'bookings.series.errors.count'],
      [{ nombre: 'trois' }, 'bookings.series.errors.count'],
      [{ nombre: '60' }, 'bookings.series.errors.tooLong'],
      [{ jours: ['8'] }, 'errors.invalid_field'],
      [{ fin: '09:00' }, 'bookings.errors.endBeforeStart'],
      [{ du: '2026-02-31' }, 'bookings.form.date'],
      [{ mode: 'pour' }, 'errors.required'],
    ];
    for (const [over, key] of cases) {
      const res = await agent.post(url, fields(over));
      assert.equal(res.statusCode, 422, `${JSON.stringify(over)} → ${res.statusCode}`);
      assert.ok(res.body.includes(esc(fr(key))), `${JSON.stringify(over)} says ${key}`);
    }
    // The values typed come back.
    assert.match((await agent.post(url, fields({ jours: [], nombre: '', note: 'Atelier couture' }))).body, /Atelier couture/);
    assert.equal((await agent.post('/admin/reservations/ressources/999999/serie', fields({}))).statusCode, 404);
    assert.equal((await agent.post('/admin/reservations/series/pas-un-id/annuler', {})).statusCode, 404);
    assert.equal((await agent.get('/admin/reservations/series/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  test('preview, confirm, then cancel what remains, all without JavaScript', async () => {
    const { agent, room, member } = await staffAgent();
    await service.bookResource(w.ctx, member, { slug: room.slug }, { day: '2026-12-08', startMinutes: 600, endMinutes: 720, note: '' });
    const url = `/admin/reservations/ressources/${room.id}/serie`;
    const preview = await agent.post(url, fields({}));
    assert.equal(preview.statusCode, 200);
    assert.ok(preview.body.includes(esc(fr('bookings.errors.taken'))), 'the conflict is shown with its reason');
    assert.match(preview.body, /name="accepter" value="2026-12-01" checked/);
    assert.ok(!/name="accepter" value="2026-12-08"/.test(preview.body), 'a taken date cannot be accepted');
    const created = await agent.post(url, { ...fields({}), confirmer: '1', accepter: ['2026-12-01', '2026-12-15'] });
    assert.equal(created.statusCode, 303);
    const page = await agent.get(created.headers.location as string);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(esc(fr('bookings.series.cancelRemaining', { count: 2 }))), 'the two accepted dates are to come');
    const cancel = await agent.post(`${created.headers.location}/annuler`, {});
    assert.equal(cancel.statusCode, 303);
    assert.equal((await w.ctx.db.selectFrom('booking').select('id').where('series_id', 'is not', null).where('status', '=', 'confirmed').execute()).length, 0);
  });
});
