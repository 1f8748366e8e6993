import { z } from 'zod';
import { MAIL_STATES } from './mail.policy.js';

/** The outbox list's query string; anything odd falls back to the first page of every state. */
export const OutboxQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  etat: z.enum(MAIL_STATES).optional().catch(undefined),
});

export const MailIdParam = z.object({ id: z.uuid() });
