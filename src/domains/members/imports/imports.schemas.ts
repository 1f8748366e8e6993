/** The import's forms: the columns chosen per field, and the apply with its choice about rejected lines. */
import { z } from 'zod';
import type { PaymentMethod } from '../../../db/schema.js';
import { PAYMENT_METHODS } from '../members.common.js';
import { checked } from '../members.schemas.js';
import { TARGET_FIELDS, type Mapping } from './imports.formats.js';

/** A payment method as a form sends it; anything else reads as a transfer, the usual way dues are paid. */
export const readDefaultMethod = (v: unknown): PaymentMethod => ((PAYMENT_METHODS as readonly unknown[]).includes(v) ? (v as PaymentMethod) : 'transfer');

export interface MappingInput {
  mapping: Mapping;
  defaultMethod: PaymentMethod;
}

/** One select per field: a column number, or empty for "none". */
export const MappingForm = z.record(z.string(), z.unknown()).transform((raw, ctx): MappingInput => {
  const mapping: Mapping = {};
  for (const field of TARGET_FIELDS) {
    const v = raw[field];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string' || !/^\d{1,3}$/.test(v)) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'members.import.columnUnknown' });
      continue;
    }
    mapping[field] = Number(v);
  }
  return { mapping, defaultMethod: readDefaultMethod(raw.defaultMethod) };
});

export const ApplyForm = z.object({ excludeRejected: checked });
