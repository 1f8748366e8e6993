/** GET /recherche?q=…: a plain GET form, so a search works without JavaScript and can be shared as a link. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { MAX_SEARCH_LENGTH } from '../../shared/french-search.js';
import { renderPage } from '../../web/render.js';
import { RESULTS_PER_GROUP, searchSite } from './search.service.js';
import { SearchView } from './search.views.js';

export async function searchRoutes(app: FastifyInstance, ctx: AppContext) {
  // Not cached with the public pages: every query would take a cache slot from the village pages.
  app.get('/recherche', async (request, reply) => {
    const raw = (request.query as { q?: unknown }).q;
    const q = (Array.isArray(raw) ? raw[0] : raw);
    const text = typeof q === 'string' ? q.trim().slice(0, MAX_SEARCH_LENGTH) : '';
    const { query, ...results } = await searchSite(ctx, text);
    return renderPage(ctx, request, reply, <SearchView q={text} searched={query !== null} results={results} perGroup={RESULTS_PER_GROUP} />);
  });
}
