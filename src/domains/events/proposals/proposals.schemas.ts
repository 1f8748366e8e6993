/**
 * The member's proposal form: the staff's event form without what the team decides (audience, seats per
 * registration, prices, registration window, organiser), so the same rules and French messages apply.
 */
import { z } from 'zod';
import { blankToUndefined } from '../../../shared/input.js';
import { EventForm } from '../events.schemas.js';

const TEAM_ONLY = ['public', 'placesMax', 'delaiReponse', 'prixMembre', 'prixPublic', 'organisateur', 'ouverture', 'cloture'];

export const ProposalForm = z.preprocess((raw) => {
  const fields: Record<string, unknown> = { ...(raw && typeof raw === 'object' ? raw : {}) };
  for (const key of TEAM_ONLY) delete fields[key];
  return { ...fields, public: 'public', placesMax: '1', delaiReponse: '48' };
}, EventForm);

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const DeclineForm = z
  .object({
    message: z.preprocess(
      blankToUndefined,
      z.string({ error: 'events.proposals.messageRequired' }).trim().min(1, 'events.proposals.messageRequired').max(2000, 'errors.too_long').refine((s) => !CONTROL.test(s), 'events.form.control'),
    ),
  })
  .transform((v) => ({ message: v.message }));
export type DeclineInput = z.output<typeof DeclineForm>;
