import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser, PASSWORD } from '../../../tests/support/factories.js';
import { readGersFile } from '../../../tests/support/gers-data.js';
import { territoryDataDir } from '../../bootstrap.js';
import type { Role } from '../../db/schema.js';
import { MINUTE } from '../../shared/time.js';
import { seedGuideArticles } from './index.js';

const w = useTestWorld();

async function agentWith(roles: Role[]) {
  const u = await createUser(w.ctx, { roles });
  const a = new Agent(w.app);
  await a.login(u.email, PASSWORD);
  return { agent: a, user: u };
}

const ARTICLE = {
  title: 'Trouver une boulangerie bio à Auch',
  slug: '',
  category: 'bio',
  summary: 'Où acheter son pain.',
  body: '## Le marché\n\nLe samedi matin.\n\n## Les boulangeries\n\nDemandez à l’équipe.\n',
  status: 'published',
  note: 'première version',
};

const SLUG = 'trouver-une-boulangerie-bio-a-auch';

async function createArticle(a: Agent, fields: Partial<typeof ARTICLE> = {}) {
  const res = await a.post('/admin/guide/nouveau', { ...ARTICLE, ...fields, action: 'save' });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const id = Number(/\/admin\/guide\/(\d+)$/.exec(res.headers.location as string)![1]);
  return id;
}

const articleRow = (slug: string) => w.ctx.db.selectFrom('guide_article').selectAll().where('slug', '=', slug).executeTakeFirst();
const revisionsOf = (id: number) => w.ctx.db.selectFrom('guide_article_revision').selectAll().where('article_id', '=', id).orderBy('number').execute();
const auditActions = async () => (await w.ctx.db.selectFrom('audit_event').select('action').orderBy('id').execute()).map((r) => r.action);

describe('shipped articles', () => {
  test('load once, published, each with a first revision, and never again once the guide has articles', async () => {
    const dir = territoryDataDir('gers');
    const added = await seedGuideArticles(w.ctx.db, w.ctx.territory.id, dir, w.clock.now());
    assert.ok(added >= 5, `${added} articles`);
    assert.equal(await seedGuideArticles(w.ctx.db, w.ctx.territory.id, dir, w.clock.now()), 0);
    const rows = await w.ctx.db.selectFrom('guide_article').select(['status', 'body_md']).execute();
    assert.equal(rows.length, added);
    assert.ok(rows.every((r) => r.status === 'published'));
    assert.ok(rows.every((r) => !/lorem/i.test(r.body_md)));
    assert.equal((await w.ctx.db.selectFrom('guide_article_revision').select('id').execute()).length, added);
  });

  test('a visitor reads the list by category and an article with its table of contents and real figures', async () => {
    await seedGuideArticles(w.ctx.db, w.ctx.territory.id, territoryDataDir('gers'), w.clock.now());
    const a = new Agent(w.app);
    const list = await a.get('/guide');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Travailler dans le Gers/);
    assert.match(list.body, /href="\/guide\/se-soigner-medecins-pharmacies-et-urgences"/);
    const article = await a.get('/guide/se-soigner-medecins-pharmacies-et-urgences');
    assert.equal(article.statusCode, 200);
    assert.match(article.body, /<nav class="toc" aria-labelledby="sommaire">/);
    assert.match(article.body, /href="#l-essentiel-en-chiffres"/);
    assert.match(article.body, /<h2 id="l-essentiel-en-chiffres">/);
    // The figure the shipped article states (from the BPE), wherever the next edition puts it.
    const stated = /\*\*(\d[\d\s\u202f]*) médecins généralistes\*\*/.exec(readGersFile('content/guide/02-se-soigner.md'))?.[1];
    assert.ok(stated, 'the shipped article states a number of GPs');
    assert.ok(article.body.includes(`${stated} médecins généralistes`), `${stated} médecins généralistes`);
    assert.match(article.body, /<th scope="col"/);
    assert.match(article.body, /href="\/villages\/32013"/);
  });
});

describe('publication', () => {
  test('a draft is a 404 for visitors and members, and readable by staff with a draft notice', async () => {
    const { agent: staff } = await agentWith(['staff']);
    await createArticle(staff, { status: 'draft' });
    assert.equal((await new Agent(w.app).get(`/guide/${SLUG}`)).statusCode, 404);
    const { agent: member } = await agentWith(['member']);
    assert.equal((await member.get(`/guide/${SLUG}`)).statusCode, 404);
    const own = await staff.get(`/guide/${SLUG}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Brouillon/);
    assert.doesNotMatch((await new Agent(w.app).get('/guide')).body, /boulangerie bio/);
  });

  test('publishing shows the article at once on cached public pages, and each change is audited', async () => {
    const visitor = new Agent(w.app);
    assert.doesNotMatch((await visitor.get('/guide')).body, /boulangerie bio/, 'the list is now cached');
    const { agent: staff } = await agentWith(['staff']);
    const id = await createArticle(staff, { status: 'draft' });
    assert.equal((await visitor.get(`/guide/${SLUG}`)).statusCode, 404);
    const edit = await staff.get(`/admin/guide/${id}`);
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1];
    const published = await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, status: 'published', version, action: 'save' });
    assert.equal(published.statusCode, 303);
    assert.match((await visitor.get('/guide')).body, /boulangerie bio/);
    assert.equal((await visitor.get(`/guide/${SLUG}`)).statusCode, 200);
    const row = await articleRow(SLUG);
    assert.ok(row?.published_at);
    const unpublished = await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, status: 'draft', version: '2', action: 'save' });
    assert.equal(unpublished.statusCode, 303);
    assert.equal((await visitor.get(`/guide/${SLUG}`)).statusCode, 404);
    assert.deepEqual(await auditActions(), ['session.opened', 'guide_article.created', 'guide_article.published', 'guide_article.unpublished']);
  });
});

describe('revisions', () => {
  test('every save keeps a full revision with its author and date; an old one can be shown and restored', async () => {
    const { agent: staff, user } = await agentWith(['staff']);
    const id = await createArticle(staff);
    w.clock.advance(10 * MINUTE);
    const second = await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, body: 'Texte réécrit.', note: 'réécriture', version: '1', action: 'save' });
    assert.equal(second.statusCode, 303);
    const revisions = await revisionsOf(id);
    assert.deepEqual(revisions.map((r) => [r.number, r.note, r.author_id]), [[1, 'première version', user.id], [2, 'réécriture', user.id]]);
    assert.equal(revisions[0].created_at.toISOString(), '2026-11-27T09:00:00.000Z');
    assert.equal(revisions[1].created_at.toISOString(), '2026-11-27T09:10:00.000Z');
    assert.match(revisions[0].body_md, /Le marché/);

    const list = await staff.get(`/admin/guide/${id}/revisions`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /réécriture/);
    const old = await staff.get(`/admin/guide/${id}/revisions/1`);
    assert.equal(old.statusCode, 200);
    assert.match(old.body, /Le marché/);
    assert.equal((await staff.get(`/admin/guide/${id}/revisions/9`)).statusCode, 404);

    const restore = await staff.get(`/admin/guide/${id}?revision=1`);
    assert.match(restore.body, /Le marché/);
    assert.match(restore.body, /name="version" value="2"/, 'a restore is saved on top of the current version');
    const saved = await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, version: '2', action: 'save' });
    assert.equal(saved.statusCode, 303);
    assert.equal((await revisionsOf(id)).length, 3);
  });

  test('a save on top of a version someone else replaced is refused with 409 and the text is kept', async () => {
    const { agent: staff } = await agentWith(['staff']);
    const id = await createArticle(staff);
    assert.equal((await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, body: 'Version A', version: '1', action: 'save' })).statusCode, 303);
    const stale = await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, body: 'Version B', version: '1', action: 'save' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Version B/);
    assert.equal((await articleRow(SLUG))!.body_md, 'Version A');
    assert.equal((await revisionsOf(id)).length, 2);
  });
});

describe('editor', () => {
  test('preview renders the article as readers will see it and saves nothing', async () => {
    const { agent: staff } = await agentWith(['staff']);
    const res = await staff.post('/admin/guide/nouveau', { ...ARTICLE, title: '', body: '## Le marché\n\nUn **samedi**.\n\n<script>alert(1)</script>', action: 'preview' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<section class="preview"/);
    assert.match(res.body, /<strong>samedi<\/strong>/);
    assert.match(res.body, /1 élément\(s\) HTML/);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(res.body, /Un \*\*samedi\*\*/, 'the form keeps the Markdown as typed');
    assert.equal((await w.ctx.db.selectFrom('guide_article').select('id').execute()).length, 0);
    assert.equal((await w.ctx.db.selectFrom('guide_article_revision').select('id').execute()).length, 0);

    const id = await createArticle(staff);
    const onEdit = await staff.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, body: 'Brouillon de travail', version: '1', action: 'preview' });
    assert.equal(onEdit.statusCode, 200);
    assert.match(onEdit.body, /Brouillon de travail/);
    assert.equal((await articleRow(SLUG))!.body_md, ARTICLE.body);
  });

  test('hostile Markdown saved by staff is harmless on the public page', async () => {
    const { agent: staff } = await agentWith(['staff']);
    const body = [
      'Texte <script>alert("x")</script>',
      '<img src=x onerror="alert(1)">',
      '[piège](javascript:alert(1)) et [autre](data:text/html;base64,PHNjcmlwdD4=)',
      '<a href="javascript:alert(2)" onclick="alert(3)">lien brut</a>',
      '<iframe src="https://example.org"></iframe>',
      '[bon lien](https://www.gers.fr)',
    ].join('\n\n');
    await createArticle(staff, { body });
    const page = await new Agent(w.app).get(`/guide/${SLUG}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /alert\(|javascript:|data:text|onerror|onclick|<iframe|<img/i);
    assert.match(page.body, /<a href="https:\/\/www.gers.fr" rel="noopener noreferrer">bon lien<\/a>/);
    assert.match(page.body, /piège/);
  });

  test('a bad form comes back with 422, the values typed and one message per field', async () => {
    const { agent: staff } = await agentWith(['staff']);
    const res = await staff.post('/admin/guide/nouveau', { title: '', slug: 'Pas Valide!', category: 'inconnue', summary: 'gardé', body: '  ', action: 'save' });
    assert.equal(res.statusCode, 422);
    for (const field of ['title', 'slug', 'category', 'body']) assert.match(res.body, new RegExp(`id="e-${field}"`), field);
    assert.match(res.body, />gardé<\/textarea>/);
    assert.equal((await w.ctx.db.selectFrom('guide_article').select('id').execute()).length, 0);
  });

  test('two articles cannot share an address', async () => {
    const { agent: staff } = await agentWith(['staff']);
    await createArticle(staff);
    const res = await staff.post('/admin/guide/nouveau', { ...ARTICLE, action: 'save' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /id="e-slug"/);
  });

  test('only staff and admins reach the editor; visitors are sent to log in, everyone else is refused', async () => {
    const { agent: owner } = await agentWith(['staff']);
    const id = await createArticle(owner);
    const urls = ['/admin/guide', '/admin/guide/nouveau', `/admin/guide/${id}`, `/admin/guide/${id}/revisions`, `/admin/guide/${id}/revisions/1`];
    const anonymous = new Agent(w.app);
    for (const url of urls) {
      const res = await anonymous.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(res.headers.location as string, /^\/connexion\?retour=/);
    }
    for (const roles of [[], ['member'], ['candidate'], ['space_manager'], ['partner']] as Role[][]) {
      const { agent } = await agentWith(roles);
      for (const url of urls) assert.equal((await agent.get(url)).statusCode, 403, `${roles} ${url}`);
      assert.equal((await agent.post('/admin/guide/nouveau', { ...ARTICLE, slug: 'autre', action: 'save' })).statusCode, 403, `${roles} create`);
      assert.equal((await agent.post('/admin/guide/nouveau', { ...ARTICLE, action: 'preview' })).statusCode, 403, `${roles} preview`);
      assert.equal((await agent.post(`/admin/guide/${id}`, { ...ARTICLE, slug: SLUG, version: '1', action: 'save' })).statusCode, 403, `${roles} update`);
    }
    for (const roles of [['staff'], ['admin']] as Role[][]) {
      const { agent } = await agentWith(roles);
      for (const url of urls) assert.equal((await agent.get(url)).statusCode, 200, `${roles} ${url}`);
    }
    assert.equal((await articleRow(SLUG))!.version, 1, 'refused saves changed nothing');
  });

  test('unknown or malformed ids and slugs are 404, never 500', async () => {
    const { agent: staff } = await agentWith(['staff']);
    for (const url of ['/admin/guide/999', '/admin/guide/abc', '/admin/guide/1e99', '/admin/guide/1/revisions/x', '/guide/Pas%20un%20slug', '/guide/inconnu']) {
      assert.equal((await staff.get(url)).statusCode, 404, url);
    }
    assert.equal((await staff.get('/admin/guide/1?revision=abc')).statusCode, 404);
  });
});
