/**
 * GET /api/v1/communes: the finder as JSON, with the same query parameters as /villages (so a search on the site
 * and an API call mean the same thing), paginated. Invalid parameters answer 400 application/problem+json with one
 * message per parameter.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { sendProblem } from '../../web/errors.js';
import { tOf } from '../../web/render.js';
import { CommunesApiQuery, readFinderQuery, singleValues } from './finder.schemas.js';
import * as service from './finder.service.js';
import type { FinderRow } from './finder.service.js';
import { RELIABLE_SALES } from './territory.figures.js';

const Access = z.object({ km: z.number().nullable(), minutes: z.number().int().nullable() });
const Price = z.object({ median: z.number().int(), sales: z.number().int(), reliable: z.boolean() }).nullable();

export const CommuneSummary = z.object({
  insee: z.string().meta({ description: 'INSEE code (5 characters).' }),
  name: z.string(),
  population: z.number().int().nullable(),
  postcodes: z.array(z.string()),
  epci: z.object({ siren: z.string(), name: z.string() }).nullable(),
  housePricePerM2: Price.meta({ description: 'Median price per m² of houses sold (DVF), with the number of sales; reliable when 10 sales or more.' }),
  flatPricePerM2: Price,
  access: z
    .object({ toulouse: Access, bordeaux: Access, auch: Access, station: Access, airport: Access })
    .meta({ description: 'Straight-line distance (km) and estimated driving time (minutes, an estimate, not a route).' }),
  generalPractitioners: z.number().int(),
  pharmacies: z.number().int(),
  cinemas: z.number().int(),
  festivals: z.number().int(),
  url: z.string().meta({ description: 'Path of the commune’s page on this site.' }),
});

const CommunePage = z.object({
  items: z.array(CommuneSummary),
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  pages: z.number().int(),
});

const price = (median: number | null, sales: number) => (median === null ? null : { median, sales, reliable: sales >= RELIABLE_SALES });
const access = (km: number | null, minutes: number | null) => ({ km, minutes });

export const toCommuneSummary = (r: FinderRow): z.infer<typeof CommuneSummary> => ({
  insee: r.insee,
  name: r.name,
  population: r.population,
  postcodes: r.postcodes,
  epci: r.epci_siren && r.epci_name ? { siren: r.epci_siren, name: r.epci_name } : null,
  housePricePerM2: price(r.dvf_house_median, r.dvf_house_sales),
  flatPricePerM2: price(r.dvf_flat_median, r.dvf_flat_sales),
  access: {
    toulouse: access(r.km_toulouse, r.min_toulouse),
    bordeaux: access(r.km_bordeaux, r.min_bordeaux),
    auch: access(r.km_auch, r.min_auch),
    station: access(r.km_station, r.min_station),
    airport: access(r.km_airport, r.min_airport),
  },
  generalPractitioners: r.gp_count,
  pharmacies: r.pharmacy_count,
  cinemas: r.cinema_count,
  festivals: r.festival_count,
  url: `/villages/${r.insee}`,
});

export async function finderApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/communes',
    {
      config: {
        openapi: {
          summary: 'Communes of the territory matching the finder’s filters (same parameters as /villages), paginated',
          tags: ['territory'],
          query: CommunesApiQuery,
          response: CommunePage,
        },
      },
    },
    async (request, reply) => {
      const t = tOf(request);
      const problem = (fields: Record<string, string>) =>
        sendProblem(request, reply, 400, 'invalid', t('finder.errors.invalidQuery'), Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, t(v)])));
      const { query, errors } = readFinderQuery(CommunesApiQuery, singleValues(request.query));
      try {
        const page = await service.listCommunes(ctx, query, errors);
        reply.header('cache-control', 'no-store');
        return CommunePage.parse({ items: page.rows.map(toCommuneSummary), total: page.total, page: page.page, perPage: page.perPage, pages: page.pages });
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid' && Object.keys(error.fields).length) return problem(error.fields);
        throw error;
      }
    },
  );
}
