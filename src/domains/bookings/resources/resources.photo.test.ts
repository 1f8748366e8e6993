/**
 * A resource's photo, uploaded by the team through the shared image pipeline: re-encoded to a 1200 × 800 WebP
 * without metadata, shown on the resource's booking page with its alternative text; a file that is not an image, or
 * too heavy, is refused with a French message and the text typed kept; a member cannot upload; a replaced photo's
 * old address answers 404, and an inactive resource's photo is the team's only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { multipartBody } from '../../../../tests/support/multipart.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';

// A small upload limit, so the oversize case sends little.
const MAX_BYTES = 300 * 1024;
const w = useTestWorld({ documentMaxBytes: MAX_BYTES });

async function world() {
  const staffUser = await createUser(w.ctx, { roles: ['space_manager'] });
  const placeId = await addThirdPlace(w.ctx);
  const room = await makeResource(w.ctx, actorFor(w.ctx, staffUser, ['space_manager']), roomInput(placeId, { name: 'Salle Armagnac', slug: 'salle-armagnac' }));
  const team = new Agent(w.app);
  await team.login(staffUser.email, staffUser.password);
  return { room, team };
}

/** The photo's form as a browser sends it: the token, the alternative text, then the file. */
async function sendPhoto(agent: Agent, resourceId: number, file: { filename: string; type: string; data: Buffer }, alt = '') {
  const html = (await agent.get('/compte')).body;
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const { payload, contentType } = multipartBody([{ name: '_csrf', value: token }, { name: 'alt', value: alt }, { name: 'image', ...file }]);
  return w.app.inject({ method: 'POST', url: `/admin/reservations/ressources/${resourceId}/photo`, payload, headers: { 'content-type': contentType, cookie: `sid=${agent.cookie('sid')}; csrf=${agent.cookie('csrf')}` } });
}

const phonePhoto = () =>
  sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#2f6b3b' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'Julien Castéra', Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 38/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 35/1 10/1' } } })
    .toBuffer();

test('the team uploads a photo: re-encoded to 1200 × 800 WebP without metadata, shown on the booking page with its alternative text', async () => {
  const { room, team } = await world();
  const res = await sendPhoto(team, room.id, { filename: 'salle.jpg', type: 'image/jpeg', data: await phonePhoto() }, 'La salle, sa grande table et ses fenêtres');
  assert.equal(res.statusCode, 303);
  const row = await w.ctx.db.selectFrom('booking_resource').select(['photo_id', 'photo_alt']).where('id', '=', room.id).executeTakeFirstOrThrow();
  assert.equal(row.photo_alt, 'La salle, sa grande table et ses fenêtres');
  const stored = await w.ctx.db.selectFrom('booking_resource_photo').selectAll().executeTakeFirstOrThrow();
  assert.equal(stored.id, row.photo_id);
  const meta = await sharp(Buffer.from(stored.image)).metadata();
  assert.equal(meta.format, 'webp');
  assert.equal(meta.width, 1200);
  assert.equal(meta.height, 800);
  assert.equal(meta.exif, undefined, 'no EXIF (camera, GPS) survives');

  const member = await createUser(w.ctx, { roles: ['member'] });
  const reader = new Agent(w.app);
  await reader.login(member.email, member.password);
  const page = await reader.get('/reservations/salle-armagnac');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(`src="/reservations/photos/${row.photo_id}.webp"`));
  assert.ok(page.body.includes('alt="La salle, sa grande table et ses fenêtres"'));
  const image = await w.app.inject({ url: `/reservations/photos/${row.photo_id}.webp` });
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/webp');
  assert.match(String(image.headers['cache-control']), /public/);

  // Replaced: a new address, the old one gone; removed: the page shows none.
  const again = await sendPhoto(team, room.id, { filename: 'salle2.jpg', type: 'image/jpeg', data: await phonePhoto() });
  assert.equal(again.statusCode, 303);
  assert.equal((await w.app.inject({ url: `/reservations/photos/${row.photo_id}.webp` })).statusCode, 404);
  const second = await w.ctx.db.selectFrom('booking_resource').select(['photo_id', 'photo_alt']).where('id', '=', room.id).executeTakeFirstOrThrow();
  assert.equal(second.photo_alt, null, 'an empty alternative text falls back on the name');
  assert.ok((await reader.get('/reservations/salle-armagnac')).body.includes('alt="Salle Armagnac"'));
  assert.equal((await team.post(`/admin/reservations/ressources/${room.id}/photo/supprimer`, {})).statusCode, 303);
  assert.equal((await w.app.inject({ url: `/reservations/photos/${second.photo_id}.webp` })).statusCode, 404);
  assert.equal(await w.ctx.db.selectFrom('booking_resource_photo').select('id').executeTakeFirst(), undefined);
});

test('a text file named .jpg, an oversize image and an overlong alternative text are refused in French with the text kept; a member may not upload', async () => {
  const { room, team } = await world();
  const fake = await sendPhoto(team, room.id, { filename: 'salle.jpg', type: 'image/jpeg', data: Buffer.from('#!/bin/sh\necho bonjour\n') }, 'Ma salle');
  assert.equal(fake.statusCode, 422);
  assert.ok(fake.body.includes('Ce fichier n’est pas une image JPEG, PNG ou WebP.'));
  assert.ok(fake.body.includes('value="Ma salle"'), 'the text typed is kept');
  const oversize = Buffer.concat([(await phonePhoto()).subarray(0, 3), Buffer.alloc(MAX_BYTES + 10, 1)]);
  const heavy = await sendPhoto(team, room.id, { filename: 'lourde.jpg', type: 'image/jpeg', data: oversize });
  assert.equal(heavy.statusCode, 413);
  assert.ok(heavy.body.includes('Cette image est trop lourde'));
  const long = await sendPhoto(team, room.id, { filename: 'salle.jpg', type: 'image/jpeg', data: await phonePhoto() }, 'x'.repeat(301));
  assert.equal(long.statusCode, 422);
  assert.ok(long.body.includes('300 caractères au plus'));
  assert.equal(await w.ctx.db.selectFrom('booking_resource_photo').select('id').executeTakeFirst(), undefined, 'nothing kept');

  const member = await createUser(w.ctx, { roles: ['member'] });
  const reader = new Agent(w.app);
  await reader.login(member.email, member.password);
  assert.equal((await sendPhoto(reader, room.id, { filename: 'salle.jpg', type: 'image/jpeg', data: await phonePhoto() })).statusCode, 403);
  assert.equal((await w.app.inject({ url: '/reservations/photos/pas-une-photo.webp' })).statusCode, 404);
});

test('an inactive resource’s photo is shown to the team only', async () => {
  const { room, team } = await world();
  assert.equal((await sendPhoto(team, room.id, { filename: 'salle.jpg', type: 'image/jpeg', data: await phonePhoto() })).statusCode, 303);
  const { photo_id } = await w.ctx.db.selectFrom('booking_resource').select('photo_id').where('id', '=', room.id).executeTakeFirstOrThrow();
  await w.ctx.db.updateTable('booking_resource').set({ active: false }).where('id', '=', room.id).execute();
  assert.equal((await w.app.inject({ url: `/reservations/photos/${photo_id}.webp` })).statusCode, 404);
  const seen = await team.get(`/reservations/photos/${photo_id}.webp`);
  assert.equal(seen.statusCode, 200);
  assert.match(String(seen.headers['cache-control']), /private/);
});
