/**
 * Sections other domains add to a public page (the home page, a village's page, a third place's page) through an
 * extension point its owner offers: each section loads its own data and renders it (pure), placed by `order`. A
 * public page is cached for visitors (decision 0008), so a section shows public data only, and the contributor
 * clears the page cache when that data changes.
 */
import type { VNode } from 'preact';
import type { AppContext } from '../context.js';

export interface PublicSection<K, D = unknown> {
  /** Place among the page's added sections: lower first. */
  order: number;
  /** The section's data for this page, or null when it has nothing to show. */
  load(ctx: AppContext, key: K): Promise<D | null>;
  render(data: D): VNode;
}

/** Loads every section of a page in parallel and renders those with something to show, in order. */
export async function renderSections<K>(ctx: AppContext, sections: readonly PublicSection<K, never>[], key: K): Promise<VNode[]> {
  const sorted = [...(sections as readonly PublicSection<K, unknown>[])].sort((a, b) => a.order - b.order);
  const loaded = await Promise.all(sorted.map(async (s) => ({ s, data: await s.load(ctx, key) })));
  return loaded.filter((l) => l.data !== null).map((l) => l.s.render(l.data));
}
