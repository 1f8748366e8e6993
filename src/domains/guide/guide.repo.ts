/** SQL for the guide: articles, their revisions and the French full-text search over published ones. */
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { PublicationStatus } from '../../db/schema.js';
import { NAME_SIMILARITY, type SearchQuery } from '../../shared/french-search.js';

const SUMMARY_COLUMNS = ['a.id', 'a.slug', 'a.category', 'a.title', 'a.summary', 'a.status', 'a.version', 'a.published_at', 'a.updated_at'] as const;

export async function listArticles(db: Executor, territoryId: number, opts: { status?: PublicationStatus } = {}) {
  let q = db
    .selectFrom('guide_article as a')
    .leftJoin('user_account as u', 'u.id', 'a.updated_by')
    .select([...SUMMARY_COLUMNS, 'u.display_name as updated_by_name'])
    .where('a.territory_id', '=', territoryId);
  if (opts.status) q = q.where('a.status', '=', opts.status);
  return q.orderBy('a.category').orderBy('a.title').execute();
}

export const findArticleBySlug = (db: Executor, territoryId: number, slug: string) =>
  db
    .selectFrom('guide_article')
    .select(['id', 'slug', 'category', 'title', 'summary', 'body_md', 'status', 'version', 'published_at', 'updated_at', 'created_at'])
    .where('territory_id', '=', territoryId)
    .where('slug', '=', slug)
    .executeTakeFirst();

export const findArticleById = (db: Executor, territoryId: number, id: number) =>
  db
    .selectFrom('guide_article')
    .select(['id', 'slug', 'category', 'title', 'summary', 'body_md', 'status', 'version', 'published_at', 'updated_at', 'created_at'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .executeTakeFirst();

export interface ArticleFields {
  slug: string;
  category: string;
  title: string;
  summary: string;
  body_md: string;
  status: PublicationStatus;
}

export const insertArticle = (db: Executor, territoryId: number, f: ArticleFields, by: string | null, at: Date) =>
  db
    .insertInto('guide_article')
    .values({
      territory_id: territoryId,
      ...f,
      version: 1,
      published_at: f.status === 'published' ? at : null,
      created_at: at,
      updated_at: at,
      updated_by: by,
    })
    .onConflict((oc) => oc.columns(['territory_id', 'slug']).doNothing())
    .returning(['id', 'version'])
    .executeTakeFirst();

/** Applies a save only on top of the version the editor saw; returns nothing when someone saved in between. */
export const updateArticle = (db: Executor, territoryId: number, id: number, expectedVersion: number, f: ArticleFields, by: string | null, at: Date) =>
  db
    .updateTable('guide_article')
    .set({
      ...f,
      version: expectedVersion + 1,
      // The first publication date stays; it is what readers see as "publié le".
      published_at: f.status === 'published' ? sql<Date>`coalesce(published_at, ${at})` : sql<Date | null>`published_at`,
      updated_at: at,
      updated_by: by,
    })
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(['id', 'version'])
    .executeTakeFirst();

export const insertRevision = (
  db: Executor,
  r: ArticleFields & { territoryId: number; articleId: number; number: number; note: string; authorId: string | null; at: Date },
) =>
  db
    .insertInto('guide_article_revision')
    .values({
      territory_id: r.territoryId,
      article_id: r.articleId,
      number: r.number,
      slug: r.slug,
      category: r.category,
      title: r.title,
      summary: r.summary,
      body_md: r.body_md,
      status: r.status,
      note: r.note,
      author_id: r.authorId,
      created_at: r.at,
    })
    .execute();

export const listRevisions = (db: Executor, territoryId: number, articleId: number) =>
  db
    .selectFrom('guide_article_revision as r')
    .leftJoin('user_account as u', 'u.id', 'r.author_id')
    .select(['r.number', 'r.title', 'r.status', 'r.note', 'r.created_at', 'u.display_name as author_name', sql<number>`length(r.body_md)`.as('length')])
    .where('r.territory_id', '=', territoryId)
    .where('r.article_id', '=', articleId)
    .orderBy('r.number', 'desc')
    .execute();

export const findRevision = (db: Executor, territoryId: number, articleId: number, number: number) =>
  db
    .selectFrom('guide_article_revision as r')
    .leftJoin('user_account as u', 'u.id', 'r.author_id')
    .select(['r.number', 'r.slug', 'r.category', 'r.title', 'r.summary', 'r.body_md', 'r.status', 'r.note', 'r.created_at', 'u.display_name as author_name'])
    .where('r.territory_id', '=', territoryId)
    .where('r.article_id', '=', articleId)
    .where('r.number', '=', number)
    .executeTakeFirst();

export async function countArticles(db: Executor, territoryId: number) {
  const row = await db.selectFrom('guide_article').select((eb) => eb.fn.countAll<number>().as('n')).where('territory_id', '=', territoryId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Published articles matching the words (French stemming, accents and case ignored) or whose title is close to
 * them (typos), best first. Title words weigh more than the summary, which weighs more than the body.
 */
export async function searchPublishedArticles(db: Executor, territoryId: number, q: SearchQuery, limit: number) {
  const tsq = sql`to_tsquery('french', ${q.tsquery})`;
  const similarity = sql<number>`word_similarity(${q.text}, search_name)`;
  return db
    .selectFrom('guide_article')
    .select(['slug', 'category', 'title', 'summary', sql<number>`ts_rank(search, ${tsq}) + ${similarity}`.as('score')])
    .where('territory_id', '=', territoryId)
    .where('status', '=', 'published')
    .where(sql<boolean>`(search @@ ${tsq} or ${similarity} >= ${NAME_SIMILARITY})`)
    .orderBy('score', 'desc')
    .orderBy('title')
    .limit(limit)
    .execute();
}
