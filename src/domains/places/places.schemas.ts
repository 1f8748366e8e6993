/** One schema per use case. Messages are i18n keys, shown next to the field. */
import { z } from 'zod';
import { blankToUndefined } from '../../shared/input.js';

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const INSEE_PATTERN = /^[0-9][0-9AB][0-9]{3}$/;

export const SERVICES = ['coworking', 'meeting_rooms', 'fablab', 'studio', 'room_hire', 'business_support', 'telecentre', 'innovation_lab'] as const;
export type PlaceService = (typeof SERVICES)[number];

const text = (max: number) => z.preprocess((v) => v ?? '', z.string().trim().max(max, 'errors.too_long'));
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.too_long').optional());
const checkbox = z.preprocess((v) => v === '1' || v === 'on' || v === true, z.boolean());
const coordinate = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().replace(',', '.')) : v),
    z.coerce.number({ error: 'places.errors.coordinate' }).min(min, 'places.errors.coordinate').max(max, 'places.errors.coordinate').optional(),
  );
const webAddress = z.preprocess(blankToUndefined, z.string().trim().max(300, 'errors.too_long').regex(/^https?:\/\/[^\s/]+\.[^\s]+$/, 'places.errors.url').optional());
const hours = z.preprocess((v) => v ?? '', z.string().max(120, 'errors.too_long'));

export const PlaceInput = z
  .object({
    name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(160, 'errors.too_long'),
    slug: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(120, 'errors.too_long').regex(SLUG_PATTERN, 'places.errors.slug').optional()),
    summary: text(600),
    description: text(20_000),
    label: text(120),
    commune: z.string({ error: 'errors.required' }).trim().toUpperCase().min(1, 'errors.required').regex(INSEE_PATTERN, 'places.errors.insee'),
    address: optionalText(300),
    postcode: z.preprocess(blankToUndefined, z.string().trim().regex(/^[0-9]{5}$/, 'places.errors.postcode').optional()),
    lat: coordinate(-90, 90),
    lon: coordinate(-180, 180),
    locationApproximate: checkbox,
    services: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(SERVICES, { error: 'errors.invalid_field' }))),
    servicesNote: text(600),
    hours_1: hours,
    hours_2: hours,
    hours_3: hours,
    hours_4: hours,
    hours_5: hours,
    hours_6: hours,
    hours_7: hours,
    hoursNote: text(300),
    prices: text(600),
    pricesAreExample: checkbox,
    website: webAddress,
    email: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' })).optional()),
    phone: z.preprocess(blankToUndefined, z.string().trim().max(30, 'errors.too_long').regex(/^[0-9+().\s-]{6,30}$/, 'places.errors.phone').optional()),
    sourceUrl: webAddress,
    status: z.enum(['draft', 'published']).catch('draft'),
  })
  .refine((v) => (v.lat === undefined) === (v.lon === undefined), { path: ['lat'], message: 'places.errors.bothCoordinates' })
  .refine((v) => !v.pricesAreExample || v.prices.length > 0, { path: ['prices'], message: 'places.errors.exampleWithoutPrices' });
export type PlaceInput = z.infer<typeof PlaceInput>;

export const PlaceId = z.coerce.number().int().positive().max(2_147_483_647);
