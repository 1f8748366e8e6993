/**
 * GET /api/v1/communes/:insee: one commune with every figure and, for each, the key of the dataset it comes from;
 * the datasets themselves (publisher, edition, licence, attribution) are listed in `sources`. Staff corrections
 * come with the imported value beside them. The nearest-station figures are a derived database under the ODbL.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import type { FigureUnit } from './territory.figures.js';
import { DRIVE_BANDS, DRIVE_ESTIMATE_ERROR, MIN_DRIVE_MINUTES } from './territory.geo.js';
import { InseeParams } from './territory.schemas.js';
import * as service from './territory.service.js';

const UNITS = ['people', 'km2', 'eur_m2', 'sales', 'count', 'km', 'min'] as const satisfies readonly FigureUnit[];

const Source = z.object({
  key: z.string().meta({ description: 'Dataset key, referred to by each figure’s `source`.' }),
  title: z.string(),
  publisher: z.string(),
  edition: z.string(),
  publishedOn: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  licence: z.string(),
  licenceUrl: z.string().nullable(),
  attribution: z.string().meta({ description: 'The credit to keep when reusing figures from this dataset.' }),
  url: z.string().nullable(),
  shareAlike: z.boolean().meta({ description: 'ODbL: a public database derived from it must be shared under the same licence.' }),
  origin: z.enum(['shipped', 'upload']),
});

const Figure = z.object({
  key: z.string(),
  unit: z.enum(UNITS),
  value: z.number().nullable().meta({ description: 'The value shown on the site (the staff correction when there is one).' }),
  source: z.string().nullable(),
  correction: z
    .object({ value: z.number(), importedValue: z.number().nullable(), note: z.string(), at: z.string() })
    .nullable()
    .meta({ description: 'A correction by the welcome team, with the value the import gave.' }),
});

const Nearest = z.object({ insee: z.string(), name: z.string(), km: z.number() }).nullable();

export const CommuneDetail = z.object({
  insee: z.string(),
  name: z.string(),
  postcodes: z.array(z.string()),
  cantons: z.array(z.string()),
  epci: z.object({ siren: z.string(), name: z.string(), source: z.string().nullable() }).nullable(),
  centre: z.object({ lat: z.number(), lon: z.number(), source: z.string().nullable() }),
  figures: z.array(Figure),
  nearest: z.object({
    station: z.object({ uic: z.string(), name: z.string(), insee: z.string(), inTerritory: z.boolean(), source: z.string().nullable() }).nullable(),
    generalPractitioner: Nearest.meta({ description: 'When the commune has none: the closest commune of the territory with one (straight line).' }),
    pharmacy: Nearest,
    cinema: Nearest,
  }),
  equipment: z
    .object({ source: z.string().nullable(), counts: z.record(z.string(), z.number()) })
    .meta({ description: 'Every BPE health and social equipment count, by INSEE equipment code (D265 = GP …).' }),
  cinemas: z.array(z.object({ id: z.string(), name: z.string(), screens: z.number(), seats: z.number().nullable(), artEtEssai: z.boolean() })),
  festivals: z.array(z.object({ id: z.string(), name: z.string(), discipline: z.string().nullable(), period: z.string().nullable(), website: z.string().nullable() })),
  priceReferences: z.array(
    z.object({
      insee: z.string(),
      name: z.string(),
      houseMedian: z.number().nullable(),
      flatMedian: z.number().nullable(),
      source: z.string().nullable(),
      sourceNote: z.string().nullable().meta({ description: 'For figures typed in by staff (Paris): their own source.' }),
      sourceUrl: z.string().nullable(),
      sourceDate: z.string().nullable(),
    }),
  ),
  method: z.object({
    distance: z.literal('haversine'),
    bands: z.array(z.object({ fromKm: z.number(), kmh: z.number() })).meta({ description: 'Estimated drive time: each band of straight-line km counted at its speed.' }),
    minimumMinutes: z.number(),
    error: z.number().meta({ description: 'Relative error of an estimate (0.2: ± 20 %).' }),
    timeSource: z.string().nullable().meta({ description: 'Dataset key of the drive times: calcul-acces (estimate) or osrm-durees (routing engine).' }),
    note: z.string(),
  }),
  sources: z.array(Source),
});

export async function territoryApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/communes/:insee',
    {
      config: {
        openapi: { summary: 'One commune of the territory with every figure, its source, edition and licence', tags: ['territory'], params: InseeParams, response: CommuneDetail },
      },
    },
    async (request) => {
      const params = InseeParams.safeParse(request.params);
      if (!params.success) throw new AppError('not_found', 'territory.notFound.text');
      const p = await service.getCommuneProfile(ctx, params.data.insee);
      const keyOf = new Map(p.datasets.map((d) => [d.id, d.key]));
      const key = (id: number | null | undefined) => (id == null ? null : (keyOf.get(id) ?? null));
      return CommuneDetail.parse({
        insee: p.insee,
        name: p.name,
        postcodes: p.postcodes,
        cantons: p.cantons,
        epci: p.epci ? { siren: p.epci.siren, name: p.epci.name, source: key(p.epci.datasetId) } : null,
        centre: { ...p.centre, source: key(p.centreDatasetId) },
        figures: [...p.figures.values()].map((f) => ({
          key: f.key,
          unit: f.unit,
          value: f.value,
          source: key(f.datasetId),
          correction: f.correction ? { value: f.correction.value, importedValue: f.correction.importedValue, note: f.correction.note, at: f.correction.at.toISOString() } : null,
        })),
        nearest: {
          station: p.station ? { uic: p.station.uic, name: p.station.name, insee: p.station.insee, inTerritory: p.station.inTerritory, source: key(p.station.datasetId) } : null,
          generalPractitioner: p.nearest.gp,
          pharmacy: p.nearest.pharmacy,
          cinema: p.nearest.cinema,
        },
        equipment: { source: key(p.figures.get('gp_count')!.datasetId), counts: p.bpeCounts },
        cinemas: p.cinemas.map((c) => ({ id: c.cnc_id, name: c.name, screens: c.screens, seats: c.seats, artEtEssai: c.art_et_essai })),
        festivals: p.festivals.map((f) => ({ id: f.festival_id, name: f.name, discipline: f.discipline, period: f.period, website: f.website })),
        priceReferences: p.comparisons.map((r) => ({
          insee: r.insee,
          name: r.name,
          houseMedian: r.houseMedian,
          flatMedian: r.flatMedian,
          source: key(r.datasetId),
          sourceNote: r.sourceNote,
          sourceUrl: r.sourceUrl,
          sourceDate: r.sourceDate,
        })),
        method: {
          distance: 'haversine',
          bands: DRIVE_BANDS,
          minimumMinutes: MIN_DRIVE_MINUTES,
          error: DRIVE_ESTIMATE_ERROR,
          timeSource: key(p.figures.get('min_toulouse')!.datasetId),
          note: 'Drive times are estimates unless timeSource names a routing engine: each band of straight-line km (from fromKm) at its kmh (road detours included), at least minimumMinutes, within about ± error.',
        },
        sources: p.datasets.map((d) => ({
          key: d.key,
          title: d.title,
          publisher: d.publisher,
          edition: d.edition,
          publishedOn: d.published_on,
          periodStart: d.period_start,
          periodEnd: d.period_end,
          licence: d.licence,
          licenceUrl: d.licence_url,
          attribution: d.attribution,
          url: d.url,
          shareAlike: d.share_alike,
          origin: d.origin,
        })),
      });
    },
  );
}
