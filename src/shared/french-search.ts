/**
 * Turns what a visitor types into the pieces a French full-text query needs, the same way for every domain
 * (guide, third places, communes), so "Lectoure", "lectoure" and "LECTOURE" or "boulangeries" and "boulangerie"
 * behave alike everywhere. The SQL side is `to_tsvector('french', immutable_unaccent(...))` (foundation migration);
 * this side removes accents and punctuation so the query can never carry tsquery syntax.
 */

export interface SearchQuery {
  /** Accent-free lowercase words, at most eight. */
  terms: string[];
  /** For `to_tsquery('french', …)`: every word required, the last one as a prefix (typing "boulang" finds "boulangerie"). */
  tsquery: string;
  /** The words joined by spaces, for trigram similarity on names ("ile jourdain" ≈ "l'isle-jourdain"). */
  text: string;
}

export const MAX_SEARCH_LENGTH = 120;

export function normaliseForSearch(input: string): string {
  return input
    .slice(0, MAX_SEARCH_LENGTH)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** null when nothing searchable is left (empty, punctuation only, a single letter). */
export function parseSearchQuery(input: string | undefined | null): SearchQuery | null {
  const text = normaliseForSearch(input ?? '');
  const terms = text.split(' ').filter(Boolean).slice(0, 8);
  if (!terms.length || terms.join('').length < 2) return null;
  const tsquery = terms.map((t, i) => (i === terms.length - 1 ? `${t}:*` : t)).join(' & ');
  return { terms, tsquery, text: terms.join(' ') };
}

/** Minimum pg_trgm word similarity for a name to count as a match on its own (typos, "ile" for "isle"). */
export const NAME_SIMILARITY = 0.5;
