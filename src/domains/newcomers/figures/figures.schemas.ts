/** The funnel page's and the exports' query strings: anything unexpected is ignored rather than refused. */
import { z } from 'zod';

/** What the funnel counts per month and year: cases created, qualified, starting a stay, settled, dropped. */
export const FLOW_KINDS = ['entered', 'qualifie', 'sejour_decouverte', 'installe', 'abandon'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** `annee`: a year, or `toutes` for every year; missing means the current year. `financeur`: a tag's id. */
export const FunnelQuery = z.object({
  annee: z.preprocess((v) => blank(firstOf(v)), z.union([z.literal('toutes'), z.coerce.number().int().min(2000).max(2100)]).optional().catch(undefined)),
  financeur: z.preprocess((v) => blank(firstOf(v)), z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined)),
});
export type FunnelQuery = z.output<typeof FunnelQuery>;
