import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { uploadFile } from '../../../../tests/support/multipart.js';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import type { Actor } from '../../../context.js';
import { anonymous } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { hashPassword } from '../../accounts/index.js';
import * as documents from './documents.service.js';
import { LEFTOVER_UPLOAD_AGE_MS, removeLeftoverUploads, sanitiseFileName, sniffType } from './documents.storage.js';
import { scheduleRecurringJobs } from '../../../modules.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n'), randomBytes(2000)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500)]);
/** A Windows program (its "MZ" header) renamed to look like a PDF. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), randomBytes(4000)]);

type Who = 'visitor' | 'owner' | 'otherCandidate' | 'member' | 'partner' | 'staff' | 'admin';
const EVERYONE: Who[] = ['visitor', 'owner', 'otherCandidate', 'member', 'partner', 'staff', 'admin'];

async function world() {
  rmSync(documentsDir(), { recursive: true, force: true }); // the data folder outlives the tables emptied between tests
  const { caseId } = await applyAsVisitor(w.ctx);
  const { caseId: otherCaseId } = await applyAsVisitor(w.ctx, { email: 'autre.foyer@exemple.fr', contactName: 'Dominique Autre', adults: [{ position: 1, project: 'freelance' }], children: [] });
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).execute();
  const owner = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'camille.martin@exemple.fr').executeTakeFirstOrThrow();
  const other = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'autre.foyer@exemple.fr').executeTakeFirstOrThrow();
  const people: Record<Who, Actor> = {
    visitor: anonymous(w.ctx.territory.id),
    owner: actorFor(w.ctx, owner, ['candidate']),
    otherCandidate: actorFor(w.ctx, other, ['candidate']),
    member: actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']),
    partner: actorFor(w.ctx, await createUser(w.ctx, { roles: ['partner'] }), ['partner']),
    staff: actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'], name: 'Léa Dupuis' }), ['staff'] as Role[]),
    admin: actorFor(w.ctx, await createUser(w.ctx, { roles: ['admin'] }), ['admin'] as Role[]),
  };
  return { caseId, otherCaseId, people };
}

/** A file as the web layer would hand it to the service. */
const fileSource =
  (data: Buffer, filename = 'justificatif.pdf', truncated = false): documents.UploadSource =>
  async (write) => ({ file: await write(Readable.from([data])), filename, truncated });

const documentsDir = () => path.join(w.ctx.config.dataDir, 'documents', String(w.ctx.territory.id));
/** Every file kept or being received, so a test can prove nothing was left behind. */
const filesOnDisk = () => {
  const dir = documentsDir();
  if (!existsSync(dir)) return [];
  const incoming = existsSync(path.join(dir, '.incoming')) ? readdirSync(path.join(dir, '.incoming')).map((f) => `.incoming/${f}`) : [];
  return [...readdirSync(dir).filter((f) => f !== '.incoming'), ...incoming];
};
const documentRows = () => w.ctx.db.selectFrom('case_document').selectAll().orderBy('uploaded_at').execute();

// ---------------------------------------------------------------------------------------------- HTTP helpers

async function signedInAgent(email: string) {
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return agent;
}

/** Posts a file as a browser without JavaScript does: the form's CSRF field first, then the file. */
const upload = (agent: Agent, page: string, url: string, file: { filename: string; type: string; data: Buffer }, opts: { csrf?: boolean } = {}) =>
  uploadFile(w.app, agent, page, url, 'file', file, opts);

// ---------------------------------------------------------------------------------------------- tests

describe('reading a file’s type from its content', () => {
  test('PDF, JPEG, PNG and WebP are recognised by their first bytes; a program, HTML or text is not', () => {
    assert.equal(sniffType(PDF), 'application/pdf');
    assert.equal(sniffType(PNG), 'image/png');
    assert.equal(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg');
    assert.equal(sniffType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')), 'image/webp');
    assert.equal(sniffType(EXE), null);
    assert.equal(sniffType(Buffer.from('<html><script>alert(1)</script>')), null);
    assert.equal(sniffType(Buffer.from('%PD')), null);
  });

  test('at start, temporary upload files a crash left behind are removed; a recent one (an upload in progress) and kept documents stay', async () => {
    const incoming = path.join(w.ctx.config.dataDir, 'documents', String(w.ctx.territory.id), '.incoming');
    mkdirSync(incoming, { recursive: true });
    const old = path.join(incoming, 'crashed-upload');
    const recent = path.join(incoming, 'upload-in-progress');
    writeFileSync(old, 'half a PDF');
    writeFileSync(recent, 'still arriving');
    const past = (Date.now() - LEFTOVER_UPLOAD_AGE_MS - 60_000) / 1000;
    utimesSync(old, past, past);
    const kept = path.join(w.ctx.config.dataDir, 'documents', String(w.ctx.territory.id), 'kept-document');
    writeFileSync(kept, 'a document');
    utimesSync(kept, past, past);
    // The start-up hooks of the modules run it (src/server.ts calls scheduleRecurringJobs).
    await scheduleRecurringJobs(w.ctx);
    assert.equal(existsSync(old), false, 'the crash leftover is gone');
    assert.equal(existsSync(recent), true, 'an upload in progress is left alone');
    assert.equal(existsSync(kept), true, 'documents are never touched');
    assert.equal(await removeLeftoverUploads(w.ctx.config.dataDir, w.ctx.territory.id), 0, 'nothing else to remove');
    assert.equal(await removeLeftoverUploads(w.ctx.config.dataDir, 999_999), 0, 'a territory without uploads');
    rmSync(recent);
    rmSync(kept);
  });

  test('names lose folders and control characters and get the extension of what the file really is', () => {
    assert.equal(sanitiseFileName('../../etc/passwd', 'application/pdf'), 'passwd.pdf');
    assert.equal(sanitiseFileName('C:\\Users\\camille\\Bail signé.PDF', 'application/pdf'), 'Bail signé.PDF');
    assert.equal(sanitiseFileName('photo.html', 'image/png'), 'photo.html.png');
    assert.equal(sanitiseFileName('a"b\u0000\r\n.jpeg', 'image/jpeg'), 'ab.jpeg');
    assert.equal(sanitiseFileName('', 'image/webp'), 'document.webp');
    assert.equal(sanitiseFileName('x'.repeat(500), 'application/pdf').length, 199);
  });
});

describe('who may upload, list, download and delete a case’s documents', () => {
  test('the household adds to its own case only; the team to any case; everyone else is refused before anything is read', async () => {
    const { caseId, people } = await world();
    const expectedOwn: Record<Who, string> = { visitor: 'unauthenticated', owner: 'ok', otherCandidate: 'ok', member: 'not_found', partner: 'not_found', staff: 'not_found', admin: 'not_found' };
    for (const who of EVERYONE) {
      assert.equal(await codeOf(documents.uploadMyDocument(w.ctx, people[who], fileSource(PDF))), expectedOwn[who], `own case: ${who}`);
      const expected = who === 'staff' || who === 'admin' ? 'ok' : who === 'visitor' ? 'unauthenticated' : 'forbidden';
      assert.equal(await codeOf(documents.uploadCaseDocument(w.ctx, people[who], caseId, fileSource(PNG, 'photo.png'))), expected, `case page: ${who}`);
    }
    const rows = await documentRows();
    const byCase = rows.filter((r) => r.case_id === caseId);
    assert.equal(byCase.length, 3, 'the owner’s upload and the team’s two');
    assert.deepEqual(byCase.map((r) => r.from_staff), [false, true, true]);
    assert.equal(rows.length, 4, 'the other candidate’s went to their own case');
  });

  test('a document is read by the household that owns the case and by the team; never by partners, members or another household', async () => {
    const { caseId, otherCaseId, people } = await world();
    const mine = await documents.uploadMyDocument(w.ctx, people.owner, fileSource(PDF, 'Avis d’imposition.pdf'));
    const expected: Record<Who, string> = { visitor: 'unauthenticated', owner: 'ok', otherCandidate: 'not_found', member: 'forbidden', partner: 'forbidden', staff: 'ok', admin: 'ok' };
    for (const who of EVERYONE) {
      assert.equal(await codeOf(documents.openCaseDocument(w.ctx, people[who], mine.id).then((d) => d.stream.destroy())), expected[who], who);
    }
    // Through the team's URL: only the team, and only under the right case.
    for (const who of EVERYONE) {
      const want = who === 'staff' || who === 'admin' ? 'ok' : who === 'visitor' ? 'unauthenticated' : 'forbidden';
      assert.equal(await codeOf(documents.openCaseDocument(w.ctx, people[who], mine.id, caseId).then((d) => d.stream.destroy())), want, `team url: ${who}`);
    }
    assert.equal(await codeOf(documents.openCaseDocument(w.ctx, people.staff, mine.id, otherCaseId)), 'not_found');
    // A partner is refused the same way whether the document exists or not.
    assert.equal(await codeOf(documents.openCaseDocument(w.ctx, people.partner, '00000000-0000-4000-8000-000000000000')), 'forbidden');
  });

  test('only the team deletes a document; its file is gone once the deletion commits', async () => {
    const { caseId, people } = await world();
    const doc = await documents.uploadMyDocument(w.ctx, people.owner, fileSource(PDF));
    const file = path.join(documentsDir(), doc.id);
    assert.ok(existsSync(file));
    for (const who of ['visitor', 'owner', 'otherCandidate', 'member', 'partner'] as Who[]) {
      assert.equal(await codeOf(documents.deleteCaseDocument(w.ctx, people[who], caseId, doc.id)), who === 'visitor' ? 'unauthenticated' : 'forbidden', who);
    }
    assert.ok(existsSync(file));
    await documents.deleteCaseDocument(w.ctx, people.staff, caseId, doc.id);
    assert.equal(existsSync(file), false);
    assert.equal((await documentRows()).length, 0);
    assert.equal(await codeOf(documents.deleteCaseDocument(w.ctx, people.admin, caseId, doc.id)), 'not_found');
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('action', 'like', 'newcomer_case.document%').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['newcomer_case.document_added', 'newcomer_case.document_deleted']);
    assert.ok(!JSON.stringify(audit).includes('justificatif'), 'no file name in the audit');
  });
});

describe('limits', () => {
  test('a program renamed .pdf, an empty file and a file cut at the size limit are refused and leave nothing behind', async () => {
    const { people } = await world();
    const fieldOf = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'ok';
      } catch (e) {
        return (e as AppError).fields.file;
      }
    };
    assert.equal(await fieldOf(documents.uploadMyDocument(w.ctx, people.owner, fileSource(EXE, 'facture.pdf'))), 'newcomers.documents.badType');
    assert.equal(await fieldOf(documents.uploadMyDocument(w.ctx, people.owner, fileSource(Buffer.alloc(0)))), 'newcomers.documents.empty');
    assert.equal(await fieldOf(documents.uploadMyDocument(w.ctx, people.owner, fileSource(PDF, 'gros.pdf', true))), 'newcomers.documents.tooLarge');
    assert.equal(await fieldOf(documents.uploadMyDocument(w.ctx, people.owner, async () => null)), 'newcomers.documents.missing');
    assert.equal((await documentRows()).length, 0);
    assert.deepEqual(filesOnDisk(), []);
  });

  test(`a case holds at most ${documents.MAX_DOCUMENTS_PER_CASE} documents, even when the last uploads arrive together`, async () => {
    const { caseId, people } = await world();
    for (let i = 0; i < documents.MAX_DOCUMENTS_PER_CASE - 2; i++) await documents.uploadCaseDocument(w.ctx, people.staff, caseId, fileSource(PNG, `p${i}.png`));
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => codeOf(documents.uploadMyDocument(w.ctx, people.owner, fileSource(PDF, `d${i}.pdf`)))));
    assert.equal(results.filter((r) => r === 'ok').length, 2);
    assert.equal(results.filter((r) => r === 'invalid').length, 3);
    assert.equal((await documentRows()).length, documents.MAX_DOCUMENTS_PER_CASE);
    assert.equal(filesOnDisk().length, documents.MAX_DOCUMENTS_PER_CASE, 'refused uploads left no file');
  });
});

describe('documents over HTTP', () => {
  test('the household uploads a PDF without JavaScript, sees it on its page and downloads it as an attachment the browser may not sniff or cache', async () => {
    await world();
    const household = await signedInAgent('camille.martin@exemple.fr');
    const res = await upload(household, '/mon-projet', '/mon-projet/documents', { filename: 'Bail signé.pdf', type: 'application/pdf', data: PDF });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, '/mon-projet#documents');
    const [row] = await documentRows();
    assert.equal(row.original_name, 'Bail signé.pdf');
    assert.equal(row.content_type, 'application/pdf');
    assert.equal(row.size_bytes, PDF.length);
    assert.match(row.sha256, /^[0-9a-f]{64}$/);
    // Kept in the data folder under its id, outside the public folder.
    const stored = path.join(documentsDir(), row.id);
    assert.deepEqual(readFileSync(stored), PDF);
    assert.ok(!path.resolve(stored).startsWith(path.resolve('public')));

    const page = await household.get('/mon-projet');
    assert.match(page.body, /Bail signé\.pdf/);
    const download = await household.get(`/mon-projet/documents/${row.id}`);
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, PDF);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.equal(download.headers['cache-control'], 'private, no-store');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="Bail signe\.pdf"; filename\*=UTF-8''Bail%20sign%C3%A9\.pdf$/);
    assert.match(String(download.headers['content-security-policy']), /sandbox/);
  });

  test('a 30 MB upload is cut while streaming: the page comes back with a French message and 413, nothing is kept', async () => {
    await world();
    const household = await signedInAgent('camille.martin@exemple.fr');
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(30 * 1024 * 1024, 0x20)]);
    const res = await upload(household, '/mon-projet', '/mon-projet/documents', { filename: 'scan.pdf', type: 'application/pdf', data: big });
    assert.equal(res.statusCode, 413);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.ok(res.body.includes('dépasse la taille maximale de 10 Mo'), 'the French message names the limit');
    assert.match(res.body, /<h1>Mon projet/);
    assert.equal((await documentRows()).length, 0);
    assert.deepEqual(filesOnDisk(), []);
  });

  test('a program renamed .pdf is refused with a clear message (422), whatever type the browser declared', async () => {
    await world();
    const household = await signedInAgent('camille.martin@exemple.fr');
    const res = await upload(household, '/mon-projet', '/mon-projet/documents', { filename: 'facture.pdf', type: 'application/pdf', data: EXE });
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('n’est ni un PDF ni une image JPEG, PNG ou WebP'));
    assert.equal((await documentRows()).length, 0);
    assert.deepEqual(filesOnDisk(), []);
  });

  test('an upload without the form’s CSRF token is refused before anything is written', async () => {
    await world();
    const household = await signedInAgent('camille.martin@exemple.fr');
    const res = await upload(household, '/mon-projet', '/mon-projet/documents', { filename: 'a.pdf', type: 'application/pdf', data: PDF }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal((await documentRows()).length, 0);
    assert.deepEqual(filesOnDisk(), []);
  });

  test('the team uploads and deletes on the case page; a partner guessing the URL is refused', async () => {
    const { caseId } = await world();
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const lea = await signedInAgent(staff.email);
    const res = await upload(lea, `/admin/accueil/${caseId}`, `/admin/accueil/${caseId}/documents`, { filename: 'compte-rendu.png', type: 'image/png', data: PNG });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const [row] = await documentRows();
    assert.equal(row.from_staff, true);
    const casePage = await lea.get(`/admin/accueil/${caseId}`);
    assert.match(casePage.body, /compte-rendu\.png/);
    assert.equal((await lea.get(`/admin/accueil/${caseId}/documents/${row.id}`)).statusCode, 200);

    const partnerUser = await createUser(w.ctx, { roles: ['partner'] });
    const partner = await signedInAgent(partnerUser.email);
    assert.equal((await partner.get(`/admin/accueil/${caseId}/documents/${row.id}`)).statusCode, 403);
    assert.equal((await partner.get(`/mon-projet/documents/${row.id}`)).statusCode, 403);

    // A partner or a member posting a file to the case is refused before the file is read.
    const refused = await upload(partner, '/mon-projet', `/admin/accueil/${caseId}/documents`, { filename: 'x.pdf', type: 'application/pdf', data: PDF });
    assert.equal(refused.statusCode, 403);
    const memberUser = await createUser(w.ctx, { roles: ['member'] });
    const member = await signedInAgent(memberUser.email);
    assert.equal((await upload(member, '/compte', `/admin/accueil/${caseId}/documents`, { filename: 'x.pdf', type: 'application/pdf', data: PDF })).statusCode, 403);
    assert.equal((await documentRows()).length, 1);
    assert.deepEqual(filesOnDisk(), [row.id]);

    const del = await lea.post(`/admin/accueil/${caseId}/documents/${row.id}/supprimer`, {});
    assert.equal(del.statusCode, 303);
    assert.equal((await documentRows()).length, 0);
    assert.deepEqual(filesOnDisk(), []);
  });

  test('the JSON export lists the documents’ metadata, not their content', async () => {
    const { people } = await world();
    await documents.uploadMyDocument(w.ctx, people.owner, fileSource(PDF, 'Bail.pdf'));
    const household = await signedInAgent('camille.martin@exemple.fr');
    const data = JSON.parse((await household.get('/mon-projet/donnees.json')).body);
    assert.equal(data.case.documents.length, 1);
    assert.deepEqual(Object.keys(data.case.documents[0]).sort(), ['from', 'name', 'sha256', 'size', 'type', 'uploadedAt']);
    assert.equal(data.case.documents[0].name, 'Bail.pdf');
    assert.equal(data.case.deletionRequestedAt, null);
  });
});
