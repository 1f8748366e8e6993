/**
 * Offers: the form the team and partners fill in, and the query strings of the lists. The form is flat and holds
 * the three kinds' fields at once (it must work without JavaScript): only the chosen kind's fields are read, and
 * every mistake is reported in one pass, next to its field.
 */
import { z } from 'zod';
import type { OfferKind, OfferStatus } from '../../db/schema.js';
import { INSEE, blankToUndefined, fieldReader, frenchDateToIso, isIsoDate } from '../../shared/input.js';

export const OFFER_KINDS = ['takeover', 'job', 'housing'] as const satisfies readonly OfferKind[];
export const OFFER_STATUSES = ['draft', 'proposed', 'published', 'withdrawn'] as const satisfies readonly OfferStatus[];
/** The team's list also filters on "expired": published, but past its date. */
export const OFFER_STATUS_FILTERS = [...OFFER_STATUSES, 'expired'] as const;
export const CONTRACTS = ['cdi', 'cdd', 'freelance', 'other'] as const;
export const HOUSING_TYPES = ['rent', 'sale', 'temporary'] as const;
export type HousingType = (typeof HOUSING_TYPES)[number];
export const OFFER_SECTORS = [
  'agriculture',
  'food',
  'crafts',
  'retail',
  'hospitality',
  'tourism',
  'building',
  'industry',
  'services',
  'digital',
  'health_social',
  'education',
  'culture',
  'other',
] as const;

export const MAX_EUROS = 1_000_000_000;

const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.too_long').optional());
const requiredText = (max: number) =>
  z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long'));
const email = z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' })).optional());
const phone = z.preprocess(blankToUndefined, z.string().trim().regex(/^\+?[0-9 ().-]{4,30}$/, 'newcomers.apply.phoneInvalid').optional());
const checked = z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean());
/** "150 000", "150000 €" and "150000" are the same number of euros. */
const euros = (max = MAX_EUROS) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.replace(/[\s\u00a0\u202f€]/g, '')) : v),
    z
      .string()
      .regex(/^\d{1,10}$/, 'newcomers.offers.form.wholeNumber')
      .transform(Number)
      .refine((n) => n <= max, 'newcomers.offers.form.tooLarge')
      .optional(),
  );
const date = z.preprocess((v) => frenchDateToIso(blankToUndefined(v)), z.string().trim().refine(isIsoDate, 'newcomers.date.invalid').optional());

export interface TakeoverFields {
  priceMin: number;
  priceMax: number;
  turnover?: number;
  sellerName: string;
  sellerEmail?: string;
  sellerPhone?: string;
}
export interface JobFields {
  employer: string;
  contract: (typeof CONTRACTS)[number];
  remote: boolean;
}
export interface HousingFields {
  housingType: HousingType;
  price: number;
  surfaceM2?: number;
  rooms?: number;
  availableOn?: string;
}

export interface OfferInput {
  kind: OfferKind;
  title: string;
  description: string;
  insee: string;
  expiresOn: string;
  sector?: (typeof OFFER_SECTORS)[number];
  takeover?: TakeoverFields;
  job?: JobFields;
  housing?: HousingFields;
  /** The team's "save and publish" button. */
  publish: boolean;
}

export const OfferForm = z.record(z.string(), z.unknown()).transform((raw, ctx): OfferInput => {
  const { take, fail, need, hasError, anyError } = fieldReader(raw, ctx);

  const kind = take('kind', z.preprocess(blankToUndefined, z.enum(OFFER_KINDS, { error: 'newcomers.offers.form.kindRequired' })));
  const title = take('title', requiredText(160));
  const description = take('description', requiredText(8000));
  const insee = take('insee', z.preprocess(blankToUndefined, z.string({ error: 'newcomers.offers.form.communeRequired' }).trim().toUpperCase().regex(INSEE, 'newcomers.offers.form.communeUnknown')));
  const expiresOn = take('expiresOn', date);
  need('expiresOn', expiresOn);
  const sector = take('sector', z.preprocess(blankToUndefined, z.enum(OFFER_SECTORS, { error: 'errors.invalid_field' }).optional()));
  const publish = raw.publish === '1';

  let takeover: TakeoverFields | undefined;
  let job: JobFields | undefined;
  let housing: HousingFields | undefined;
  if (kind === 'takeover') {
    need('sector', sector, 'newcomers.offers.form.sectorRequired');
    const priceMin = take('priceMin', euros());
    const priceMax = take('priceMax', euros());
    const turnover = take('turnover', euros());
    const sellerName = take('sellerName', optionalText(120));
    const sellerEmail = take('sellerEmail', email);
    const sellerPhone = take('sellerPhone', phone);
    need('priceMin', priceMin);
    need('priceMax', priceMax);
    if (priceMin !== undefined && priceMax !== undefined && priceMin > priceMax) fail('priceMax', 'newcomers.offers.form.priceRange');
    need('sellerName', sellerName);
    if (sellerEmail === undefined && sellerPhone === undefined && !hasError('sellerEmail') && !hasError('sellerPhone')) {
      fail('sellerEmail', 'newcomers.offers.form.sellerReach');
    }
    if (!anyError()) takeover = { priceMin: priceMin!, priceMax: priceMax!, turnover, sellerName: sellerName!, sellerEmail, sellerPhone };
  } else if (kind === 'job') {
    need('sector', sector, 'newcomers.offers.form.sectorRequired');
    const employer = take('employer', optionalText(160));
    const contract = take('contract', z.preprocess(blankToUndefined, z.enum(CONTRACTS, { error: 'errors.invalid_field' }).optional()));
    const remote = take('remote', checked);
    need('employer', employer);
    need('contract', contract, 'newcomers.offers.form.contractRequired');
    if (!anyError()) job = { employer: employer!, contract: contract!, remote: remote ?? false };
  } else if (kind === 'housing') {
    const housingType = take('housingType', z.preprocess(blankToUndefined, z.enum(HOUSING_TYPES, { error: 'errors.invalid_field' }).optional()));
    const price = take('price', euros());
    const surfaceM2 = take('surfaceM2', euros(100_000));
    const rooms = take('rooms', euros(100));
    const availableOn = take('availableOn', date);
    need('housingType', housingType, 'newcomers.offers.form.housingTypeRequired');
    need('price', price);
    if (surfaceM2 === 0) fail('surfaceM2', 'newcomers.offers.form.positive');
    if (rooms === 0) fail('rooms', 'newcomers.offers.form.positive');
    if (!anyError()) housing = { housingType: housingType!, price: price!, surfaceM2, rooms, availableOn };
  }

  if (anyError()) return z.NEVER;
  return {
    kind: kind!,
    title: title!,
    description: description!,
    insee: insee!,
    expiresOn: expiresOn!,
    sector: kind === 'housing' ? undefined : sector,
    takeover,
    job,
    housing,
    publish,
  };
});

/** An offer's own columns, as stored and as edited. */
export interface OfferColumns {
  kind: OfferKind;
  title: string;
  description: string;
  insee: string;
  expires_on: string;
  sector: string | null;
  price_min: number | null;
  price_max: number | null;
  turnover: number | null;
  seller_name: string | null;
  seller_email: string | null;
  seller_phone: string | null;
  employer: string | null;
  contract: string | null;
  remote: boolean | null;
  housing_type: string | null;
  price: number | null;
  surface_m2: number | null;
  rooms: number | null;
  available_on: string | null;
}

/** What the form shows for an offer being edited. */
export function offerToFormValues(o: OfferColumns): Record<string, string> {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    kind: o.kind,
    title: o.title,
    description: o.description,
    insee: o.insee,
    expiresOn: o.expires_on,
    sector: o.sector ?? '',
    priceMin: n(o.price_min),
    priceMax: n(o.price_max),
    turnover: n(o.turnover),
    sellerName: o.seller_name ?? '',
    sellerEmail: o.seller_email ?? '',
    sellerPhone: o.seller_phone ?? '',
    employer: o.employer ?? '',
    contract: o.contract ?? '',
    remote: o.remote ? '1' : '',
    housingType: o.housing_type ?? '',
    price: n(o.price),
    surfaceM2: n(o.surface_m2),
    rooms: n(o.rooms),
    availableOn: o.available_on ?? '',
  };
}

const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const loose = <T extends z.ZodType>(schema: T) => z.preprocess((v) => blankToUndefined(firstOf(v)), schema.optional().catch(undefined));
const page = z.preprocess(firstOf, z.coerce.number().int().min(1).max(10_000).catch(1)).default(1);

/** The public list's query string (also the API's); anything unexpected is ignored rather than refused. */
export const PublicOfferQuery = z.object({
  type: loose(z.enum(OFFER_KINDS)).meta({ description: 'Kind of offer: takeover, job or housing.' }),
  logement: loose(z.enum(HOUSING_TYPES)).meta({ description: 'Housing only: rent, sale or temporary ("passerelle") housing.' }),
  commune: loose(z.string().trim().toUpperCase().regex(INSEE)).meta({ description: 'INSEE code of a commune.' }),
  epci: loose(z.string().trim().regex(/^[0-9]{9}$/)).meta({ description: 'SIREN of an intercommunality (EPCI): offers in any of its communes.' }),
  secteur: loose(z.enum(OFFER_SECTORS)).meta({ description: 'Sector of a takeover or a job.' }),
  prixMax: loose(z.coerce.number().int().min(0).max(MAX_EUROS)).meta({ description: 'Highest price in euros: a takeover’s lowest asking price, a housing’s price or monthly rent.' }),
  page,
});
export type PublicOfferQuery = z.output<typeof PublicOfferQuery>;

export const AdminOfferQuery = z.object({
  type: loose(z.enum(OFFER_KINDS)),
  statut: loose(z.enum(OFFER_STATUS_FILTERS)),
  page,
});
export type AdminOfferQuery = z.output<typeof AdminOfferQuery>;

/** Offer ids in URLs: anything else cannot exist. */
export const offerIdOf = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN);
