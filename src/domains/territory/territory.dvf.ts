/**
 * Reading DVF (Demandes de valeurs foncières, DGFiP) files and turning them into a median price per m² per commune
 * and type of dwelling. Two formats:
 *
 * - the official raw file `valeursfoncieres-YYYY.txt`: `|` separator, decimal comma, dates DD/MM/YYYY, the commune
 *   number without its département prefix, no mutation id: one sale spans several consecutive lines (one per lot,
 *   parcel or building) repeating the same date and price, so consecutive lines sharing date, nature and price are
 *   one mutation (the rule Etalab's own converter applies);
 * - Etalab's geolocated CSV (geo-dvf): `,` separator, decimal point, ISO dates, a five-character commune code and an
 *   `id_mutation` column that groups the lines.
 *
 * Method (the filters of the shipped aggregate, applied per sale instead of per line):
 * a sale counts when its nature is "Vente", its price is above 1,000 €, it contains dwellings of one type only
 * (houses or flats, outbuildings allowed, no business premises), the built surface of its dwellings (each counted
 * once however many parcel lines repeat it) is between 10 and 1,000 m², and the price per m² lies between 300 and
 * 20,000 €. The median is taken per commune and type, rounded to the euro.
 *
 * Every line is checked; one malformed line rejects the whole file (the caller writes nothing), with the line
 * numbers of the problems.
 */

export const DVF_MIN_PRICE = 1000;
export const DVF_MIN_SURFACE = 10;
export const DVF_MAX_SURFACE = 1000;
export const DVF_MIN_PRICE_M2 = 300;
export const DVF_MAX_PRICE_M2 = 20000;
/** At most this many errors are listed; the count covers all of them. */
export const DVF_MAX_LISTED_ERRORS = 50;

export type DvfFormat = 'raw' | 'geo';
export type DwellingType = 'Maison' | 'Appartement';

export interface DvfLineError {
  /** 1-based line number in the file; 0 when the problem concerns the whole file. */
  line: number;
  /** i18n key (territory.dvf.error.*). */
  key: string;
  params?: Record<string, string | number>;
}

export interface DvfSale {
  insee: string;
  date: string;
  type: DwellingType;
  price: number;
  surface: number;
  pricePerM2: number;
}

export interface DvfSummary {
  format: DvfFormat;
  lines: number;
  /** Mutations located in the territory's communes. */
  mutations: number;
  sales: DvfSale[];
  excluded: Record<'notSale' | 'noDwelling' | 'mixed' | 'outOfBounds', number>;
  periodStart: string | null;
  periodEnd: string | null;
}

export type DvfParseResult = { ok: true; summary: DvfSummary } | { ok: false; errors: DvfLineError[]; errorCount: number };

interface DvfLine {
  line: number;
  /** geo-dvf only (the raw format has none). */
  mutationId: string;
  insee: string;
  date: string;
  nature: string;
  price: number | null;
  typeCode: string;
  type: string;
  surface: number | null;
  rooms: string;
  localId: string;
}

const RAW_COLUMNS = ['Date mutation', 'Nature mutation', 'Valeur fonciere', 'Code departement', 'Code commune', 'Type local', 'Surface reelle bati'];
const GEO_COLUMNS = ['id_mutation', 'date_mutation', 'nature_mutation', 'valeur_fonciere', 'code_commune', 'type_local', 'surface_reelle_bati'];

const RAW_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMMA_NUMBER = /^\d+(,\d+)?$/;
const POINT_NUMBER = /^\d+(\.\d+)?$/;

function validDate(y: number, m: number, d: number) {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1990 && y <= 2100;
}

/** Splits a CSV line; geo-dvf quotes a field only when it holds a comma or a quote. */
function splitCsvLine(text: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/**
 * Reads a DVF file line by line (so a national file of several hundred MB never sits in memory) and keeps the sales
 * of the given communes. Feed it with `push(text, lineNumber)`, then call `finish()`.
 */
export class DvfReader {
  private format: DvfFormat | null = null;
  private header: string[] = [];
  private index: Record<string, number> = {};
  private errors: DvfLineError[] = [];
  private errorCount = 0;
  private dataLines = 0;
  private mutations = 0;
  private readonly sales: DvfSale[] = [];
  private readonly excluded: DvfSummary['excluded'] = { notSale: 0, noDwelling: 0, mixed: 0, outOfBounds: 0 };
  /** Raw format: the lines of the mutation being read (consecutive lines). */
  private current: DvfLine[] = [];
  private currentKey = '';
  /** geo-dvf: lines grouped by id_mutation, territory communes only. */
  private readonly groups = new Map<string, DvfLine[]>();
  private periodStart: string | null = null;
  private periodEnd: string | null = null;

  constructor(private readonly communes: ReadonlySet<string>) {}

  private error(line: number, key: string, params?: DvfLineError['params']) {
    this.errorCount++;
    if (this.errors.length < DVF_MAX_LISTED_ERRORS) this.errors.push({ line, key, params });
  }

  push(text: string, line: number) {
    if (line === 1) return this.readHeader(text.replace(/^\uFEFF/, ''));
    if (text.trim() === '') return;
    if (!this.format) return;
    this.dataLines++;
    const parsed = this.format === 'raw' ? this.readRaw(text, line) : this.readGeo(text, line);
    if (!parsed) return;
    if (this.format === 'raw') {
      // A new date, nature or price starts a new mutation (consecutive lines of one sale repeat them).
      const key = `${parsed.date}|${parsed.nature}|${parsed.price ?? ''}`;
      if (key !== this.currentKey) this.flushCurrent();
      this.currentKey = key;
      this.current.push(parsed);
    } else if (this.communes.has(parsed.insee)) {
      const group = this.groups.get(parsed.mutationId);
      if (group) group.push(parsed);
      else this.groups.set(parsed.mutationId, [parsed]);
    }
  }

  private readHeader(text: string) {
    if (text.includes('|')) {
      this.format = 'raw';
      this.header = text.split('|').map((h) => h.trim());
    } else {
      this.format = 'geo';
      this.header = splitCsvLine(text).map((h) => h.trim());
    }
    this.index = Object.fromEntries(this.header.map((h, i) => [h, i]));
    const required = this.format === 'raw' ? RAW_COLUMNS : GEO_COLUMNS;
    const missing = required.filter((c) => !(c in this.index));
    if (missing.length === required.length) {
      this.format = null;
      this.error(1, 'territory.dvf.error.header');
    } else if (missing.length) {
      this.format = null;
      this.error(1, 'territory.dvf.error.missingColumns', { columns: missing.join(', ') });
    }
  }

  private field(values: string[], name: string) {
    const i = this.index[name];
    return i === undefined ? '' : (values[i] ?? '').trim();
  }

  private readRaw(text: string, line: number): DvfLine | null {
    const values = text.split('|');
    if (values.length !== this.header.length) {
      this.error(line, 'territory.dvf.error.columns', { found: values.length, expected: this.header.length });
      return null;
    }
    const f = (name: string) => this.field(values, name);
    let ok = true;
    const dateText = f('Date mutation');
    const d = RAW_DATE.exec(dateText);
    if (!d || !validDate(+d[3], +d[2], +d[1])) {
      this.error(line, 'territory.dvf.error.date', { column: 'Date mutation', value: dateText });
      ok = false;
    }
    const price = this.decimal(f('Valeur fonciere'), COMMA_NUMBER, line, 'Valeur fonciere');
    const surface = this.decimal(f('Surface reelle bati'), COMMA_NUMBER, line, 'Surface reelle bati');
    const dep = f('Code departement');
    const com = f('Code commune');
    if (!/^([0-9]{2}|2A|2B|97[0-9])$/.test(dep) || !/^[0-9]{1,3}$/.test(com)) {
      this.error(line, 'territory.dvf.error.commune', { value: `${dep} ${com}` });
      ok = false;
    }
    if (!ok || price === undefined || surface === undefined) return null;
    return {
      line,
      mutationId: '',
      insee: dep.length === 3 ? dep + com.padStart(2, '0') : dep + com.padStart(3, '0'),
      date: `${d![3]}-${d![2]}-${d![1]}`,
      nature: f('Nature mutation'),
      price,
      typeCode: f('Code type local'),
      type: f('Type local'),
      surface,
      rooms: f('Nombre pieces principales'),
      localId: f('Identifiant local'),
    };
  }

  private readGeo(text: string, line: number): DvfLine | null {
    const values = splitCsvLine(text);
    if (values.length !== this.header.length) {
      this.error(line, 'territory.dvf.error.columns', { found: values.length, expected: this.header.length });
      return null;
    }
    const f = (name: string) => this.field(values, name);
    let ok = true;
    if (!f('id_mutation')) {
      this.error(line, 'territory.dvf.error.mutationId');
      ok = false;
    }
    const dateText = f('date_mutation');
    const d = ISO_DATE.exec(dateText);
    if (!d || !validDate(+d[1], +d[2], +d[3])) {
      this.error(line, 'territory.dvf.error.date', { column: 'date_mutation', value: dateText });
      ok = false;
    }
    const price = this.decimal(f('valeur_fonciere'), POINT_NUMBER, line, 'valeur_fonciere');
    const surface = this.decimal(f('surface_reelle_bati'), POINT_NUMBER, line, 'surface_reelle_bati');
    const insee = f('code_commune');
    if (!/^([0-9]{2}|2A|2B)[0-9]{3}$/.test(insee)) {
      this.error(line, 'territory.dvf.error.commune', { value: insee });
      ok = false;
    }
    if (!ok || price === undefined || surface === undefined) return null;
    return {
      line,
      mutationId: f('id_mutation'),
      insee,
      date: dateText,
      nature: f('nature_mutation'),
      price,
      typeCode: f('code_type_local'),
      type: f('type_local'),
      surface,
      rooms: f('nombre_pieces_principales'),
      localId: '',
    };
  }

  /** undefined = malformed (reported); null = empty. */
  private decimal(text: string, pattern: RegExp, line: number, column: string): number | null | undefined {
    if (text === '') return null;
    if (!pattern.test(text)) {
      this.error(line, 'territory.dvf.error.number', { column, value: text.slice(0, 40) });
      return undefined;
    }
    return Number(text.replace(',', '.'));
  }

  private flushCurrent() {
    if (this.current.length) this.addMutation(this.current);
    this.current = [];
  }

  private addMutation(lines: DvfLine[]) {
    const inTerritory = lines.filter((l) => this.communes.has(l.insee));
    if (!inTerritory.length) return;
    this.mutations++;
    const date = lines[0].date;
    if (!this.periodStart || date < this.periodStart) this.periodStart = date;
    if (!this.periodEnd || date > this.periodEnd) this.periodEnd = date;
    const sale = saleOf(lines);
    if ('reason' in sale) this.excluded[sale.reason]++;
    else if (this.communes.has(sale.insee)) this.sales.push(sale);
  }

  finish(): DvfParseResult {
    if (!this.format && this.errorCount === 0) this.error(0, 'territory.dvf.error.empty');
    if (this.format === 'raw') this.flushCurrent();
    else for (const lines of this.groups.values()) this.addMutation(lines);
    if (this.errorCount === 0 && this.dataLines === 0) this.error(0, 'territory.dvf.error.empty');
    if (this.errorCount === 0 && this.mutations === 0) this.error(0, 'territory.dvf.error.noCommune');
    if (this.errorCount) return { ok: false, errors: this.errors, errorCount: this.errorCount };
    return {
      ok: true,
      summary: {
        format: this.format!,
        lines: this.dataLines,
        mutations: this.mutations,
        sales: this.sales,
        excluded: this.excluded,
        periodStart: this.periodStart,
        periodEnd: this.periodEnd,
      },
    };
  }
}

const isDwelling = (l: DvfLine): l is DvfLine & { type: DwellingType } => l.type === 'Maison' || l.type === 'Appartement';
/** Business premises ("Local industriel. commercial ou assimilé", code 4): their share of the price is unknown. */
const isBusiness = (l: DvfLine) => l.typeCode === '4' || l.type.startsWith('Local');

/** One mutation → one sale, or why it does not count. */
export function saleOf(lines: readonly DvfLine[]): DvfSale | { reason: keyof DvfSummary['excluded'] } {
  const first = lines[0];
  if (first.nature !== 'Vente') return { reason: 'notSale' };
  const dwellings = lines.filter(isDwelling);
  if (!dwellings.length) return { reason: 'noDwelling' };
  const types = new Set(dwellings.map((l) => l.type));
  const communes = new Set(dwellings.map((l) => l.insee));
  if (types.size > 1 || communes.size > 1 || lines.some(isBusiness)) return { reason: 'mixed' };
  // The same building appears on every parcel line of the sale: count each once.
  const seen = new Set<string>();
  let surface = 0;
  for (const l of dwellings) {
    const key = l.localId || `${l.type}|${l.surface}|${l.rooms}`;
    if (seen.has(key)) continue;
    seen.add(key);
    surface += l.surface ?? 0;
  }
  const price = first.price ?? 0;
  if (price <= DVF_MIN_PRICE || surface < DVF_MIN_SURFACE || surface > DVF_MAX_SURFACE) return { reason: 'outOfBounds' };
  const pricePerM2 = price / surface;
  if (pricePerM2 < DVF_MIN_PRICE_M2 || pricePerM2 > DVF_MAX_PRICE_M2) return { reason: 'outOfBounds' };
  return { insee: dwellings[0].insee, date: first.date, type: dwellings[0].type, price, surface, pricePerM2 };
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface CommuneDvf {
  insee: string;
  dvf_house_median: number | null;
  dvf_house_sales: number;
  dvf_flat_median: number | null;
  dvf_flat_sales: number;
}

/** Medians per commune and type, for every commune given (none sold: no median, zero sales). */
export function mediansByCommune(sales: readonly DvfSale[], communes: Iterable<string>): CommuneDvf[] {
  const by = new Map<string, { Maison: number[]; Appartement: number[] }>();
  for (const s of sales) {
    const entry = by.get(s.insee) ?? { Maison: [], Appartement: [] };
    entry[s.type].push(s.pricePerM2);
    by.set(s.insee, entry);
  }
  return [...communes].map((insee) => {
    const e = by.get(insee);
    const house = median(e?.Maison ?? []);
    const flat = median(e?.Appartement ?? []);
    return {
      insee,
      dvf_house_median: house === null ? null : Math.round(house),
      dvf_house_sales: e?.Maison.length ?? 0,
      dvf_flat_median: flat === null ? null : Math.round(flat),
      dvf_flat_sales: e?.Appartement.length ?? 0,
    };
  });
}
