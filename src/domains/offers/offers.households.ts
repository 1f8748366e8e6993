/**
 * What offers need to know about households. A household's case belongs to the newcomers domain, which contributes
 * this at `householdsPoint`; offers never read its tables. Without a contribution nobody has a case, so nobody can
 * say an offer interests them.
 */
import type { Executor } from '../../context.js';
import type { CaseStage } from '../../db/schema.js';
import { extensionPoint } from '../../shared/extensions.js';

export interface HouseholdCase {
  id: string;
  number: number;
  adviser_id: string | null;
}

export interface Households {
  /** The case whose contact is this account, if it applied: the interest is recorded on it and its adviser told. */
  caseOfContact(db: Executor, territoryId: number, userId: string): Promise<HouseholdCase | undefined>;
  /** These cases as the team sees them on an offer's page (number, contact, stage). */
  describe(db: Executor, territoryId: number, caseIds: readonly string[]): Promise<{ id: string; number: number; contact_name: string; stage: CaseStage }[]>;
}

export const householdsPoint = extensionPoint<Households>('offers.households');
