/**
 * /villages (the finder) and /villages/comparer (the comparison). Both are GET pages: the query string is the
 * search, so a search can be bookmarked and shared, and everything works without JavaScript.
 *
 * Bad criteria (`prix_max=-3`, an unknown EPCI, a minimum above the maximum, an unknown sort) answer 422, like a
 * form sent with mistakes: the page still renders, with the visitor's values, one French message per field and the
 * map of the whole territory, but no result list (a list computed while ignoring a criterion would mislead).
 * The comparison answers 422 the same way when its list of communes cannot be used, with a picker to fix it.
 *
 * Only the plain finder page (no criteria, or just a choice of map) is rendered once and served from memory to
 * anonymous visitors; any search is rendered per request.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { renderPage, renderSharedPage } from '../../web/render.js';
import { CompareView } from './compare.views.js';
import { compareEntries, FinderQuerySchema, hasFilters, readFinderQuery, singleValues, type FinderQuery } from './finder.schemas.js';
import * as service from './finder.service.js';
import { FinderView } from './finder.views.js';
import { getMapGeometry } from './map.geometry.js';
import { MAP_FIGURES, type MapFigure } from './map.js';
import { AVERAGE_SPEED_KMH, ROAD_DETOUR_FACTOR } from './territory.geo.js';
import { RELIABLE_SALES } from './territory.figures.js';

const method = { factor: ROAD_DETOUR_FACTOR, speed: AVERAGE_SPEED_KMH, reliableSales: RELIABLE_SALES };
const DEFAULT_QUERY: FinderQuery = { filters: { maxKm: {}, maxMinutes: {} }, sort: { key: 'nom', order: 'asc' }, page: 1, perPage: 25, figure: 'prix' };

const isFigure = (v: unknown): v is MapFigure => (MAP_FIGURES as readonly unknown[]).includes(v);

export async function finderRoutes(app: FastifyInstance, ctx: AppContext) {
  // Reading and simplifying the boundaries takes a few hundred milliseconds: do it as soon as the server
  // listens (not on a visitor's first map, and not before the health check answers).
  app.addHook('onListen', async () => {
    setImmediate(() => getMapGeometry(ctx.territory.slug));
  });
  const territory = { slug: ctx.territory.slug, name: ctx.territory.name };

  app.get('/villages', async (request, reply) => {
    const values = singleValues(request.query);
    const keys = Object.keys(values).filter((k) => values[k] !== '');
    if (keys.every((k) => k === 'carte') && (values.carte === undefined || values.carte === '' || isFigure(values.carte))) {
      const figure = isFigure(values.carte) ? values.carte : 'prix';
      return renderSharedPage(ctx, request, reply, async () => {
        const data = await service.browseVillages(ctx, { ...DEFAULT_QUERY, figure }, false);
        return <FinderView data={data} values={values} sort={DEFAULT_QUERY.sort} figure={figure} filtered={false} territory={territory} method={method} />;
      });
    }
    const { query, errors } = readFinderQuery(FinderQuerySchema, values);
    const filtered = hasFilters(query.filters);
    const data = await service.browseVillages(ctx, query, filtered, errors);
    const status = Object.keys(data.errors).length ? 422 : 200;
    return renderPage(
      ctx,
      request,
      reply,
      <FinderView data={data} values={values} sort={query.sort} figure={query.figure} filtered={filtered} territory={territory} method={method} />,
      status,
    );
  });

  app.get('/villages/comparer', async (request, reply) => {
    const entries = compareEntries((request.query as { c?: unknown }).c);
    const data = await service.compareVillages(ctx, entries);
    // Nothing asked yet is an invitation, not a mistake.
    const status = data.error && entries.length ? 422 : 200;
    return renderPage(ctx, request, reply, <CompareView data={data} reliableSales={RELIABLE_SALES} />, status);
  });
}
