/**
 * Site search: one query answered from four domains, each searching its own tables through its index (communes,
 * guide articles, third places, live offers). Only public content comes back, whoever asks, so no permission is involved.
 * This domain owns no table: it exists so that no content domain has to depend on the other two.
 */
import type { AppContext } from '../../context.js';
import { parseSearchQuery } from '../../shared/french-search.js';
import { searchArticles } from '../guide/index.js';
import { searchOffers } from '../offers/index.js';
import { searchPlaces } from '../places/index.js';
import { searchCommunesForSite } from '../territory/index.js';

export const RESULTS_PER_GROUP = 10;

export async function searchSite(ctx: AppContext, input: string) {
  const query = parseSearchQuery(input);
  if (!query) return { query: null, communes: [], articles: [], places: [], offers: [] };
  const communes = await searchCommunesForSite(ctx.db, ctx.territory.id, query, RESULTS_PER_GROUP);
  const articles = await searchArticles(ctx, query, RESULTS_PER_GROUP);
  const places = await searchPlaces(ctx, query, RESULTS_PER_GROUP);
  const offers = await searchOffers(ctx, query, RESULTS_PER_GROUP);
  return { query, communes, articles, places, offers };
}
