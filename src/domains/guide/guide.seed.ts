/**
 * The articles shipped with a territory (data/territories/<slug>/content/guide/*.md), loaded on first start and
 * into the test template. They are real content, not demo content, so they load whatever DEMO says. Loading only
 * happens while the territory has no article at all: what staff later edit, unpublish or rename is never
 * overwritten by a restart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isCategory } from './guide.categories.js';
import * as repo from './guide.repo.js';
import { SLUG_PATTERN } from './guide.schemas.js';

export interface SeedArticle {
  slug: string;
  category: string;
  title: string;
  summary: string;
  body: string;
}

/** A small front matter ("key: value" lines between two "---") followed by the Markdown body. */
export function parseArticleFile(text: string, name = 'article'): SeedArticle {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n?/g, '\n'));
  if (!m) throw new Error(`${name}: front matter missing`);
  const head: Record<string, string> = {};
  for (const line of m[1].split('\n')) {
    const kv = /^(\w+):\s*(.*)$/.exec(line);
    if (kv) head[kv[1]] = kv[2].trim();
  }
  const article = { slug: head.slug ?? '', category: head.category ?? '', title: head.title ?? '', summary: head.summary ?? '', body: m[2].trim() + '\n' };
  if (!SLUG_PATTERN.test(article.slug) || !isCategory(article.category) || !article.title || !article.body.trim()) {
    throw new Error(`${name}: slug, category, title and body are required`);
  }
  return article;
}

export function readSeedArticles(territoryDir: string): SeedArticle[] {
  const dir = path.join(territoryDir, 'content', 'guide');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.md')).sort();
  } catch {
    return [];
  }
  return names.map((n) => parseArticleFile(readFileSync(path.join(dir, n), 'utf8'), n));
}

/** Returns how many articles were added (0 when the territory already had some). */
export async function seedGuideArticles(db: Kysely<DB>, territoryId: number, territoryDir: string, at: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if ((await repo.countArticles(trx, territoryId)) > 0) return 0;
    const articles = readSeedArticles(territoryDir);
    let added = 0;
    for (const a of articles) {
      const fields = { slug: a.slug, category: a.category, title: a.title, summary: a.summary, body_md: a.body, status: 'published' as const };
      const row = await repo.insertArticle(trx, territoryId, fields, null, at);
      if (!row) continue;
      await repo.insertRevision(trx, { ...fields, territoryId, articleId: row.id, number: 1, note: '', authorId: null, at });
      added += 1;
    }
    return added;
  });
}
