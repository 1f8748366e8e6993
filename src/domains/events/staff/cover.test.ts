/**
 * An event's cover image, uploaded by the team through the shared image pipeline: re-encoded to a 1200 × 630 WebP
 * without metadata, shown on the event's page with its alternative text and in its schema.org data; a file that is
 * not an image, or too heavy, is refused with a French message and the text typed kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { createUser } from '../../../../tests/support/factories.js';
import { multipartBody } from '../../../../tests/support/multipart.js';
import { publishedEvent } from '../events.testing.js';

// A small upload limit, so the oversize case sends little.
const MAX_BYTES = 300 * 1024;
const w = useTestWorld({ documentMaxBytes: MAX_BYTES });

async function world() {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const event = await publishedEvent(w.ctx, staff.id, { titre: 'Atelier compost' });
  const team = new Agent(w.app);
  await team.login(staff.email, staff.password);
  return { event, team };
}

/** The cover's form as a browser sends it: the token, the alternative text, then the file. */
async function sendCover(team: Agent, eventId: number, file: { filename: string; type: string; data: Buffer }, alt = '') {
  const html = (await team.get(`/admin/agenda/${eventId}`)).body;
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const { payload, contentType } = multipartBody([{ name: '_csrf', value: token }, { name: 'alt', value: alt }, { name: 'image', ...file }]);
  return w.app.inject({ method: 'POST', url: `/admin/agenda/${eventId}/couverture`, payload, headers: { 'content-type': contentType, cookie: `sid=${team.cookie('sid')}; csrf=${team.cookie('csrf')}` } });
}

const phonePhoto = () =>
  sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#8a4b08' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'Léa Dupuis', Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 38/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 35/1 10/1' } } })
    .toBuffer();

test('staff upload a cover: re-encoded to 1200 × 630 WebP without metadata, shown on the event’s page with its alternative text and in its JSON-LD', async () => {
  const { event, team } = await world();
  const res = await sendCover(team, event.id, { filename: 'affiche.jpg', type: 'image/jpeg', data: await phonePhoto() }, 'Des mains dans le compost');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/admin/agenda/${event.id}`);
  const row = await w.ctx.db.selectFrom('event').select(['cover_id', 'cover_alt']).where('id', '=', event.id).executeTakeFirstOrThrow();
  assert.equal(row.cover_alt, 'Des mains dans le compost');
  const cover = await w.ctx.db.selectFrom('event_cover').selectAll().executeTakeFirstOrThrow();
  assert.equal(cover.id, row.cover_id);
  const meta = await sharp(Buffer.from(cover.image)).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['webp', 1200, 630, undefined]);
  assert.equal(Buffer.from(cover.image).includes('PhoneCam'), false, 'nothing of the original metadata');

  const page = (await new Agent(w.app).get(`/agenda/${event.slug}`)).body;
  const src = `/agenda/couvertures/${row.cover_id}.webp`;
  assert.ok(page.includes(`src="${src}"`) && page.includes('alt="Des mains dans le compost"'));
  const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]) as { image: string[] };
  assert.deepEqual(ld.image, [`${w.ctx.config.baseUrl}${src}`]);
  const image = await new Agent(w.app).get(src);
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/webp');
  assert.match(String(image.headers['cache-control']), /^public, max-age=31536000, immutable/);

  // Without a text of its own, the event's title is read; a new upload gets a new address, the old one answers 404.
  const again = await sendCover(team, event.id, { filename: 'affiche.png', type: 'image/png', data: await sharp({ create: { width: 800, height: 800, channels: 4, background: '#2f6b3a' } }).png().toBuffer() });
  assert.equal(again.statusCode, 303);
  const after = (await new Agent(w.app).get(`/agenda/${event.slug}`)).body;
  assert.ok(after.includes('class="event-cover"') && after.includes('alt="Atelier compost"'));
  assert.equal((await new Agent(w.app).get(src)).statusCode, 404);
  assert.equal((await w.ctx.db.selectFrom('event_cover').select('id').execute()).length, 1);
  const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', '=', 'event.cover_set').execute();
  assert.equal(audit.length, 2);
});

test('a file that is not an image, a disguised one and an oversize one are refused in French, the text typed kept; nothing is stored', async () => {
  const { event, team } = await world();
  const refusals = [
    { file: { filename: 'notes.txt', type: 'text/plain', data: Buffer.from('pas une image') }, status: 422, message: 'Ce fichier n’est pas une image JPEG, PNG ou WebP.' },
    // A PNG's first bytes on a text body: the decoder does not agree.
    { file: { filename: 'faux.png', type: 'image/png', data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('pas vraiment une image')]) }, status: 422, message: 'Cette image est abîmée ou incomplète' },
    { file: { filename: 'affiche.jpg', type: 'image/jpeg', data: Buffer.concat([(await phonePhoto()).subarray(0, 3), Buffer.alloc(MAX_BYTES + 10, 1)]) }, status: 413, message: 'Cette image est trop lourde' },
  ];
  for (const r of refusals) {
    const res = await sendCover(team, event.id, r.file, 'Une affiche verte');
    assert.equal(res.statusCode, r.status, r.file.filename);
    assert.ok(res.body.includes(r.message), r.file.filename);
    assert.ok(res.body.includes('value="Une affiche verte"'), 'the text typed is kept');
  }
  const tooLong = await sendCover(team, event.id, { filename: 'affiche.jpg', type: 'image/jpeg', data: await phonePhoto() }, 'a'.repeat(301));
  assert.equal(tooLong.statusCode, 422);
  assert.ok(tooLong.body.includes('300 caractères au plus'));
  assert.equal((await w.ctx.db.selectFrom('event_cover').select('id').execute()).length, 0);
  assert.equal((await w.ctx.db.selectFrom('event').select('cover_id').where('id', '=', event.id).executeTakeFirstOrThrow()).cover_id, null);
});

test('only the team (and the member whose proposal it is) may set or remove a cover; a draft’s cover is not served to visitors', async () => {
  const { event, team } = await world();
  const member = await createUser(w.ctx, { roles: ['member'] });
  const agent = new Agent(w.app);
  await agent.login(member.email, member.password);
  await agent.get('/agenda');
  const { payload, contentType } = multipartBody([{ name: '_csrf', value: 'x' }, { name: 'image', filename: 'a.jpg', type: 'image/jpeg', data: await phonePhoto() }]);
  const refused = await w.app.inject({ method: 'POST', url: `/admin/agenda/${event.id}/couverture`, payload, headers: { 'content-type': contentType, cookie: `sid=${agent.cookie('sid')}; csrf=${agent.cookie('csrf')}` } });
  assert.equal(refused.statusCode, 403);
  assert.equal((await w.ctx.db.selectFrom('event_cover').select('id').execute()).length, 0);

  assert.equal((await sendCover(team, event.id, { filename: 'a.jpg', type: 'image/jpeg', data: await phonePhoto() })).statusCode, 303);
  const { cover_id } = await w.ctx.db.selectFrom('event').select('cover_id').where('id', '=', event.id).executeTakeFirstOrThrow();
  await w.ctx.db.updateTable('event').set({ status: 'draft' }).where('id', '=', event.id).execute();
  assert.equal((await new Agent(w.app).get(`/agenda/couvertures/${cover_id}.webp`)).statusCode, 404);
  assert.equal((await team.get(`/agenda/couvertures/${cover_id}.webp`)).statusCode, 200);
  assert.equal((await new Agent(w.app).get('/agenda/couvertures/pas-un-id.webp')).statusCode, 404);

  const html = (await team.get(`/admin/agenda/${event.id}`)).body;
  const token = /name="_csrf" value="([^"]+)"/.exec(html)![1];
  assert.equal((await team.post(`/admin/agenda/${event.id}/couverture/supprimer`, { _csrf: token })).statusCode, 303);
  assert.equal((await w.ctx.db.selectFrom('event_cover').select('id').execute()).length, 0);
  assert.equal((await team.get(`/agenda/couvertures/${cover_id}.webp`)).statusCode, 404);
});
