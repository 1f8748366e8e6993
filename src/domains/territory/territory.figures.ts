/**
 * Every figure a commune carries: its column, its unit, which dataset it comes from, and whether staff may correct
 * it. Pages, the API and the correction form read this list, so a figure added here shows up everywhere with its
 * source. The list of correctable figures is repeated in the database (figure_override_figure_check).
 */

export type FigureUnit = 'people' | 'km2' | 'eur_m2' | 'sales' | 'count' | 'km' | 'min';

/**
 * Where a figure's dataset id is found: a column of the commune row, or (for counts built from the cinema and
 * festival lists) the dataset of those lists.
 */
export type FigureSource =
  | { column: 'identity_dataset_id' | 'centre_dataset_id' | 'boundary_dataset_id' | 'dvf_dataset_id' | 'bpe_dataset_id' | 'access_dataset_id' | 'time_dataset_id' }
  | { list: 'cinema' | 'festival' };

export interface FigureDef {
  key: FigureKey;
  unit: FigureUnit;
  source: FigureSource;
  correctable: boolean;
  /** BPE equipment code, for health and childcare counts. */
  bpe?: string;
}

const identity: FigureSource = { column: 'identity_dataset_id' };
const boundary: FigureSource = { column: 'boundary_dataset_id' };
const dvf: FigureSource = { column: 'dvf_dataset_id' };
const bpe: FigureSource = { column: 'bpe_dataset_id' };
const access: FigureSource = { column: 'access_dataset_id' };
/** Drive times: the estimate (the access dataset) or the routing engine asked at import. */
const time: FigureSource = { column: 'time_dataset_id' };

export const BPE_FIGURES = [
  { key: 'gp_count', bpe: 'D265' },
  { key: 'pharmacy_count', bpe: 'D307' },
  { key: 'msp_count', bpe: 'D113' },
  { key: 'emergency_count', bpe: 'D106' },
  { key: 'hospital_count', bpe: 'D101' },
  { key: 'maternity_count', bpe: 'D107' },
  { key: 'dentist_count', bpe: 'D277' },
  { key: 'physio_count', bpe: 'D279' },
  { key: 'nurse_count', bpe: 'D281' },
  { key: 'creche_count', bpe: 'D502' },
  { key: 'ehpad_count', bpe: 'D401' },
] as const;

export type BpeFigureKey = (typeof BPE_FIGURES)[number]['key'];

/** The places every commune is measured against (see territory.json `referencePoints`). */
export const ACCESS_TARGETS = ['auch', 'toulouse', 'bordeaux', 'airport', 'station'] as const;
export type AccessTarget = (typeof ACCESS_TARGETS)[number];

export type FigureKey =
  | 'population'
  | 'area_km2'
  | 'dvf_house_median'
  | 'dvf_house_sales'
  | 'dvf_flat_median'
  | 'dvf_flat_sales'
  | BpeFigureKey
  | 'cinema_count'
  | 'festival_count'
  | `km_${AccessTarget}`
  | `min_${AccessTarget}`;

export const FIGURES: readonly FigureDef[] = [
  { key: 'population', unit: 'people', source: identity, correctable: true },
  { key: 'area_km2', unit: 'km2', source: boundary, correctable: false },
  { key: 'dvf_house_median', unit: 'eur_m2', source: dvf, correctable: true },
  { key: 'dvf_house_sales', unit: 'sales', source: dvf, correctable: true },
  { key: 'dvf_flat_median', unit: 'eur_m2', source: dvf, correctable: true },
  { key: 'dvf_flat_sales', unit: 'sales', source: dvf, correctable: true },
  ...BPE_FIGURES.map((f) => ({ key: f.key, unit: 'count' as const, source: bpe, correctable: true, bpe: f.bpe })),
  { key: 'cinema_count', unit: 'count', source: { list: 'cinema' }, correctable: false },
  { key: 'festival_count', unit: 'count', source: { list: 'festival' }, correctable: false },
  ...ACCESS_TARGETS.flatMap((t) => [
    { key: `km_${t}` as const, unit: 'km' as const, source: access, correctable: false },
    { key: `min_${t}` as const, unit: 'min' as const, source: time, correctable: true },
  ]),
];

export const FIGURE_BY_KEY: ReadonlyMap<FigureKey, FigureDef> = new Map(FIGURES.map((f) => [f.key, f]));

export const CORRECTABLE_FIGURES = FIGURES.filter((f) => f.correctable).map((f) => f.key);

export const isCorrectableFigure = (key: string): key is FigureKey => (CORRECTABLE_FIGURES as string[]).includes(key);

/** Under this many sales a median is shown with a "peu de ventes : indicatif" badge. */
export const RELIABLE_SALES = 10;
/** Under this many sales a median is shown (with its badge) but never compared with another place's. */
export const COMPARABLE_SALES = 5;
