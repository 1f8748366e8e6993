/**
 * The home page's key figures, as data. Two kinds, shown the same way:
 * - computed ones, contributed by other domains at `homeHighlightsPoint` (the territory's communes within an hour
 *   of Toulouse, a house's median price in the largest town against the cities'; members can add the count of
 *   active members), each carrying the sources it was computed from;
 * - staff ones, written in the back office with their figure, source and date (table `home_highlight`).
 * A figure without a source is never shown: the page drops a computed highlight that names none, and the database
 * refuses a staff highlight without its source and date.
 */
import type { AppContext } from '../../context.js';
import { extensionPoint } from '../../shared/extensions.js';
import type { PublicSection } from '../../web/page-sections.js';

/** Where a figure comes from: a dataset (title, publisher, edition, licence) or a source staff typed in. */
export interface HighlightSource {
  title: string;
  publisher?: string | null;
  edition?: string | null;
  licence?: string | null;
  url?: string | null;
  /** YYYY-MM-DD, for a source typed in by staff. */
  date?: string | null;
}

/** A translated text: an i18n key and its parameters (numbers are formatted in the page's language). */
export interface HighlightText {
  key: string;
  params?: Record<string, string | number>;
}

/** A text staff wrote, in French and (optionally) in English; French is shown when English is missing. */
export interface StaffText {
  text: string;
  en?: string | null;
}

/** The value in large: a number with its unit, formatted by the page, or a text staff typed (`1er`, `400`). */
export type HighlightValue = { kind: 'count'; amount: number } | { kind: 'eur_m2'; amount: number } | { kind: 'text'; text: string };

export interface HomeHighlight {
  /** Stable id (`territory.toulouse-hour`, `staff.12`). */
  key: string;
  /** Place on the page: lower first (staff highlights come after the computed ones unless placed before). */
  order: number;
  /** The label, translated (computed highlights) or as staff wrote it. */
  label: HighlightText | StaffText;
  value: HighlightValue;
  /** Lines under the value (comparisons, what the figure counts). */
  notes?: (HighlightText | StaffText)[];
  sources: HighlightSource[];
}

/** What another domain contributes: its computed figures for the home page, each with its sources. */
export type HomeHighlightsProvider = (ctx: AppContext) => Promise<HomeHighlight[]>;

export const homeHighlightsPoint = extensionPoint<HomeHighlightsProvider>('site.homeHighlights');

/** Keeps only highlights that cite at least one source with a title; the rest are not figures we may show. */
export const sourcedOnly = (list: readonly HomeHighlight[]) => list.filter((h) => h.sources.length > 0 && h.sources.every((s) => s.title.trim().length > 0));

/** Sections other domains add to the home page, below the figures (the events domain: the next public events). */
export const homeSectionsPoint = extensionPoint<PublicSection<null, never>>('site.homeSections');
