/**
 * How long a household's personal data is kept, in one place (documented in the domain README and in
 * docs/privacy.md). Past its date a case is anonymised by the daily maintenance job; a household may ask sooner.
 */
import type { CaseStage } from '../../../db/schema.js';

/** Months of retention, counted from the date below. */
export const RETENTION_MONTHS = {
  /** A dropped case: two years after the drop. */
  dropped: 24,
  /** A settled case or one in follow-up: three years after the last follow-up, settling or other activity. */
  settled: 36,
  /** Every other stage (new to moving, on hold): three years after the last activity. */
  other: 36,
} as const;

/** The legal deadline to answer a deletion request (GDPR art. 12.3): one month. */
export const DELETION_DEADLINE_MONTHS = 1;

export type RetentionRule = keyof typeof RETENTION_MONTHS;

export const retentionRuleOf = (stage: CaseStage): RetentionRule =>
  stage === 'abandon' ? 'dropped' : stage === 'installe' || stage === 'suivi' ? 'settled' : 'other';

/** What an anonymised case shows where the contact's name was. */
export const ANONYMISED_NAME = 'Dossier anonymisé';
