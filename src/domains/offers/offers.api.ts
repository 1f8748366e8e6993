/**
 * GET /api/v1/offres: the published offers still open, with the same filters as /offres, paginated. Built from
 * the public rows only: the seller's contact of a takeover and who wrote an offer are never part of it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { CONTRACTS, HOUSING_TYPES, OFFER_KINDS, PublicOfferQuery } from './offers.schemas.js';
import * as service from './offers.service.js';

export const OfferSummary = z.object({
  id: z.number().int(),
  kind: z.enum(OFFER_KINDS),
  title: z.string(),
  description: z.string().meta({ description: 'Plain text or simple Markdown.' }),
  commune: z.object({ insee: z.string(), name: z.string(), epciSiren: z.string().nullable() }),
  sector: z.string().nullable(),
  takeover: z
    .object({ priceMin: z.number().int(), priceMax: z.number().int(), turnover: z.number().int().nullable() })
    .nullable()
    .meta({ description: 'Business takeovers: asking price range and yearly turnover, in euros.' }),
  job: z.object({ employer: z.string(), contract: z.enum(CONTRACTS), remote: z.boolean() }).nullable(),
  housing: z
    .object({
      type: z.enum(HOUSING_TYPES),
      price: z.number().int().meta({ description: 'Sale price, or monthly rent for rent and temporary housing, in euros.' }),
      surfaceM2: z.number().int().nullable(),
      rooms: z.number().int().nullable(),
      availableOn: z.string().nullable(),
    })
    .nullable(),
  expiresOn: z.string().meta({ description: 'Last day the offer is listed (YYYY-MM-DD, Europe/Paris).' }),
  publishedAt: z.string().nullable(),
  url: z.string().meta({ description: 'Path of the offer’s page on this site.' }),
});

const OfferPage = z.object({
  items: z.array(OfferSummary),
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  pages: z.number().int(),
});

const toSummary = (o: service.PublicOfferSummary): z.infer<typeof OfferSummary> => ({
  id: o.id,
  kind: o.kind,
  title: o.title,
  description: o.description,
  commune: { insee: o.insee, name: o.commune_name, epciSiren: o.epci_siren },
  sector: o.sector,
  takeover: o.kind === 'takeover' ? { priceMin: o.price_min!, priceMax: o.price_max!, turnover: o.turnover } : null,
  job: o.kind === 'job' ? { employer: o.employer!, contract: o.contract as (typeof CONTRACTS)[number], remote: !!o.remote } : null,
  housing:
    o.kind === 'housing'
      ? { type: o.housing_type as (typeof HOUSING_TYPES)[number], price: o.price!, surfaceM2: o.surface_m2, rooms: o.rooms, availableOn: o.available_on }
      : null,
  expiresOn: o.expires_on,
  publishedAt: o.published_at ? o.published_at.toISOString() : null,
  url: `/offres/${o.id}`,
});

export async function offersApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/offres',
    { config: { openapi: { summary: 'Published offers (business takeovers, jobs, housing) still open, with the filters of /offres', tags: ['offers'], query: PublicOfferQuery, response: OfferPage } } },
    async (request) => {
      const query = PublicOfferQuery.parse(request.query ?? {});
      const data = await service.listLiveOffers(ctx, query);
      return OfferPage.parse({ items: data.rows.map(toSummary), total: data.total, page: data.page, perPage: service.PUBLIC_PAGE_SIZE, pages: data.pages });
    },
  );
}
