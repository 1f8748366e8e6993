/** Recording a payment (the team): method, amount, date, reference; an online payment names its provider. */
import { z } from 'zod';
import type { PaymentMethod } from '../../../db/schema.js';
import { blankToUndefined, fieldReader } from '../../../shared/input.js';
import { centsOf, PAYMENT_METHODS } from '../members.common.js';
import { day, optionalText } from '../members.schemas.js';

export { PAYMENT_METHODS };

export interface PaymentInput {
  method: PaymentMethod;
  amountCents: number;
  paidOn: string;
  reference?: string;
  provider?: string;
  providerReference?: string;
}

export const PaymentForm = z.record(z.string(), z.unknown()).transform((raw, ctx): PaymentInput => {
  const { take, need } = fieldReader(raw, ctx);
  const method = take('method', z.enum(PAYMENT_METHODS, { error: 'members.dues.methodRequired' }));
  const amountCents = take(
    'amount',
    z.preprocess(blankToUndefined, z.string({ error: 'members.dues.amountRequired' }).transform((s, c) => {
      const cents = centsOf(s);
      if (cents === null || cents > 10_000_000) {
        c.addIssue({ code: 'custom', message: 'members.dues.amountInvalid' });
        return z.NEVER;
      }
      return cents;
    })),
  );
  const paidOn = take('paidOn', day);
  const reference = take('reference', optionalText(120));
  const provider = take('provider', optionalText(60));
  const providerReference = take('providerReference', optionalText(200));
  need('method', method, 'members.dues.methodRequired');
  need('amount', amountCents, 'members.dues.amountRequired');
  need('paidOn', paidOn);
  if (method === 'online') need('provider', provider, 'members.dues.providerRequired');
  return {
    method: method!,
    amountCents: amountCents!,
    paidOn: paidOn!,
    reference,
    provider: method === 'online' ? provider : undefined,
    providerReference: method === 'online' ? providerReference : undefined,
  };
});
