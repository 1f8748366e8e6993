/**
 * What the cases room lets the other rooms add without the core knowing them (the core never imports a room):
 * sections of the team's case page and of the household's own page, parts of the household's data export, and
 * reactions to a stage change. The rooms' contributions are listed in the newcomers manifest (../index.ts) and
 * read here through `ctx.extensions`.
 */
import type { VNode } from 'preact';
import type { Actor, AppContext, Executor } from '../../../context.js';
import type { CaseStage } from '../../../db/schema.js';
import { extensionPoint } from '../../../shared/extensions.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';
import type { CaseRow, listAdults, listChildren } from './cases.repo.js';
import type { TransitionName } from './stages.js';

/** A form's state when its post failed: the person's values and a message per field. */
export interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}

/** The forms of a page, by the name of the form that failed (each section reads its own). */
export type PageForms = Partial<Record<string, FormState>>;

/** Whoever opens the page, already checked by the core: a member of the team, or the household itself. */
type SignedIn = Actor & { userId: string };

/** What the core has read about a case before the sections load theirs (after the staff or owner check). */
export interface CaseFacts {
  case: CaseRow;
  adults: Awaited<ReturnType<typeof listAdults>>;
  children: Awaited<ReturnType<typeof listChildren>>;
  targetCodes: string[];
  /** Today in Paris (YYYY-MM-DD). */
  today: string;
}

/** A section of a case's page: it loads its own data and renders it (pure), placed by `order` among the others. */
export interface PageSection<D> {
  /** Place on the page; the core's own sections use the orders in staff.views.tsx / household.views.tsx. */
  order: number;
  load(ctx: AppContext, actor: SignedIn, facts: CaseFacts): Promise<D>;
  render(data: D, forms: PageForms): VNode;
  /**
   * For a section whose render follows the clock within a day (a deadline passing at an instant): the next instant
   * after `now` at which its render would change with the same data, or null. The team's case page is rendered once
   * per version of its data and day (decision 0032) and kept until the earliest of these instants at most; a section
   * that only compares days needs none.
   */
  changesAt?(data: D, now: Date): Date | null;
}

/** Sections of the team's case page (/admin/accueil/:id). */
export const caseSectionsPoint = extensionPoint<PageSection<unknown>>('newcomers.caseSections');

/** Sections of the household's own page (/mon-projet). */
export const householdSectionsPoint = extensionPoint<PageSection<unknown>>('newcomers.householdSections');

/** A part of the household's JSON export (right of access): keys added to its `case` object, in `order`. */
export interface CaseExportPart {
  order: number;
  load(ctx: AppContext, actor: SignedIn, facts: CaseFacts): Promise<Record<string, unknown>>;
}
export const caseExportPoint = extensionPoint<CaseExportPart>('newcomers.caseExport');

/** A stage change, as listeners receive it. */
export interface CaseTransition {
  territoryId: number;
  caseId: string;
  name: TransitionName;
  from: CaseStage;
  to: CaseStage;
  /** Set when the case is settled: the date it was (YYYY-MM-DD). */
  settledOn?: string;
  at: Date;
}

/**
 * Called inside the transaction of every stage change, after the case row changed, so what a room does in
 * reaction (scheduling follow-up check-ins when a case is settled) commits or fails with the change.
 */
export type CaseTransitionListener = (trx: Executor, ctx: AppContext, event: CaseTransition) => Promise<void>;
export const caseTransitionPoint = extensionPoint<CaseTransitionListener>('newcomers.caseTransition');

/**
 * Called inside the transaction that anonymises a case, once its rows are blanked: a domain that links one of its
 * records to the case (a membership naming the household's case) drops the link, so the case's skeleton can no
 * longer be tied to a person.
 */
export type CaseAnonymisedListener = (trx: Executor, ctx: AppContext, event: { territoryId: number; caseId: string }) => Promise<void>;
export const caseAnonymisedPoint = extensionPoint<CaseAnonymisedListener>('newcomers.caseAnonymised');

/** Loads every contributed section of a point, in order, for a page of the case. */
export async function loadSections(ctx: AppContext, point: typeof caseSectionsPoint, actor: SignedIn, facts: CaseFacts) {
  const sections = [...ctx.extensions.all(point)].sort((a, b) => a.order - b.order);
  return Promise.all(sections.map(async (section) => ({ section, data: await section.load(ctx, actor, facts) })));
}
export type LoadedSections = Awaited<ReturnType<typeof loadSections>>;
