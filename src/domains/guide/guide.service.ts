/**
 * Guide use cases: read published articles, and for the welcome team write, preview, publish and look back
 * through revisions. Every save stores a full revision with its author in the same transaction as the article
 * and its audit entry; anything that can change a public page drops the page cache.
 */
import type { Actor, AppContext } from '../../context.js';
import type { PublicationStatus } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError } from '../../shared/app-error.js';
import type { SearchQuery } from '../../shared/french-search.js';
import { slugify } from '../../shared/input.js';
import { recordAudit } from '../audit/index.js';
import { canEditGuide, canReadDrafts } from './guide.policy.js';
import * as repo from './guide.repo.js';
import type { ArticleInput, PreviewInput } from './guide.schemas.js';

function assertEditor(actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canEditGuide(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

const notFound = () => new AppError('not_found', 'guide.errors.notFound');

/** Ids come from the address; a malformed one (NaN from the route) is simply not found. */
const isId = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647;

// ---------------------------------------------------------------------------------------------- readers

export const listPublishedArticles = (ctx: AppContext) => repo.listArticles(ctx.db, ctx.territory.id, { status: 'published' });

/** A published article; a draft only for the people who can edit it (anyone else gets a 404). */
export async function getArticleForReader(ctx: AppContext, actor: Actor, slug: string) {
  const article = await repo.findArticleBySlug(ctx.db, ctx.territory.id, slug);
  if (!article || (article.status !== 'published' && !canReadDrafts(actor))) throw notFound();
  const related = (await repo.listArticles(ctx.db, ctx.territory.id, { status: 'published' })).filter(
    (a) => a.category === article.category && a.id !== article.id,
  );
  return { article, related, canEdit: canEditGuide(actor) };
}

/** For the search domain: published articles only, whoever searches. */
export const searchArticles = (ctx: AppContext, q: SearchQuery, limit = 10) => repo.searchPublishedArticles(ctx.db, ctx.territory.id, q, limit);

// ---------------------------------------------------------------------------------------------- editors

export async function listArticlesForEditors(ctx: AppContext, actor: Actor) {
  assertEditor(actor);
  return repo.listArticles(ctx.db, ctx.territory.id);
}

/** The empty form for a new article (checks the person may write one). */
export function startArticle(_ctx: AppContext, actor: Actor) {
  assertEditor(actor);
  return { title: '', slug: '', category: 'teletravail', summary: '', body: '', status: 'draft' as PublicationStatus };
}

/** Nothing is saved: the editor sees the article as readers would, with the form kept as typed. */
export async function previewArticle(ctx: AppContext, actor: Actor, input: PreviewInput, id?: number) {
  assertEditor(actor);
  if (id !== undefined && !isId(id)) throw notFound();
  const article = id === undefined ? undefined : await repo.findArticleById(ctx.db, ctx.territory.id, id);
  if (id !== undefined && !article) throw notFound();
  return { preview: input, article };
}

/**
 * The article as stored, and what to put in the form: the current text, or an older revision's when
 * `fromRevision` is given (restoring it is then an ordinary save on top of the current version).
 */
export async function getArticleForEditing(ctx: AppContext, actor: Actor, id: number, fromRevision?: number) {
  assertEditor(actor);
  if (!isId(id) || (fromRevision !== undefined && !isId(fromRevision))) throw notFound();
  const article = await repo.findArticleById(ctx.db, ctx.territory.id, id);
  if (!article) throw notFound();
  if (fromRevision === undefined) return { article, draft: article, restoredFrom: null };
  const revision = await repo.findRevision(ctx.db, ctx.territory.id, id, fromRevision);
  if (!revision) throw notFound();
  return {
    article,
    draft: { ...article, slug: revision.slug, category: revision.category, title: revision.title, summary: revision.summary, body_md: revision.body_md, status: revision.status },
    restoredFrom: revision.number,
  };
}

const fieldsOf = (input: ArticleInput): repo.ArticleFields => ({
  slug: input.slug ?? slugify(input.title, 100),
  category: input.category,
  title: input.title,
  summary: input.summary,
  body_md: input.body,
  status: input.status,
});

const slugTaken = () => new AppError('conflict', 'guide.errors.slugTaken', { slug: 'guide.errors.slugTaken' });

export async function createArticle(ctx: AppContext, actor: Actor, input: ArticleInput) {
  assertEditor(actor);
  const fields = fieldsOf(input);
  if (!fields.slug) throw new AppError('invalid', 'guide.errors.slug', { slug: 'guide.errors.slug' });
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      const row = await repo.insertArticle(trx, ctx.territory.id, fields, actor.userId, now);
      if (!row) throw slugTaken();
      await repo.insertRevision(trx, { ...fields, territoryId: ctx.territory.id, articleId: row.id, number: 1, note: input.note, authorId: actor.userId, at: now });
      const subject = { subjectType: 'guide_article', subjectId: String(row.id) };
      await recordAudit(trx, ctx, actor, { action: 'guide_article.created', ...subject, data: { slug: fields.slug, title: fields.title } });
      if (fields.status === 'published') await recordAudit(trx, ctx, actor, { action: 'guide_article.published', ...subject, data: { slug: fields.slug } });
      return row.id;
    });
    ctx.pageCache.clear();
    return { id, slug: fields.slug, status: fields.status };
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

export async function updateArticle(ctx: AppContext, actor: Actor, id: number, input: ArticleInput) {
  assertEditor(actor);
  if (!isId(id)) throw notFound();
  const fields = fieldsOf(input);
  try {
    const result = await ctx.db.transaction().execute(async (trx) => {
      const before = await repo.findArticleById(trx, ctx.territory.id, id);
      if (!before) throw notFound();
      const expected = input.version ?? before.version;
      const now = ctx.clock.now();
      const row = await repo.updateArticle(trx, ctx.territory.id, id, expected, fields, actor.userId, now);
      if (!row) throw new AppError('conflict', 'guide.errors.staleVersion', { _form: 'guide.errors.staleVersion' });
      await repo.insertRevision(trx, { ...fields, territoryId: ctx.territory.id, articleId: id, number: row.version, note: input.note, authorId: actor.userId, at: now });
      const subject = { subjectType: 'guide_article', subjectId: String(id) };
      const action =
        before.status !== 'published' && fields.status === 'published'
          ? 'guide_article.published'
          : before.status === 'published' && fields.status !== 'published'
            ? 'guide_article.unpublished'
            : 'guide_article.updated';
      await recordAudit(trx, ctx, actor, { action, ...subject, data: { slug: fields.slug, version: row.version, ...(before.slug !== fields.slug ? { previousSlug: before.slug } : {}) } });
      return { id, slug: fields.slug, status: fields.status, version: row.version };
    });
    ctx.pageCache.clear();
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

export async function listArticleRevisions(ctx: AppContext, actor: Actor, id: number) {
  assertEditor(actor);
  if (!isId(id)) throw notFound();
  const article = await repo.findArticleById(ctx.db, ctx.territory.id, id);
  if (!article) throw notFound();
  return { article, revisions: await repo.listRevisions(ctx.db, ctx.territory.id, id) };
}

export async function getArticleRevision(ctx: AppContext, actor: Actor, id: number, number: number) {
  assertEditor(actor);
  if (!isId(id) || !isId(number)) throw notFound();
  const article = await repo.findArticleById(ctx.db, ctx.territory.id, id);
  const revision = article && (await repo.findRevision(ctx.db, ctx.territory.id, id, number));
  if (!article || !revision) throw notFound();
  return { article, revision };
}
