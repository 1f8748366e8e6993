/**
 * The membership application (/adherer) and the team's decisions. The commune is one select: a commune of the
 * territory, or `hors` for a household not yet in the territory.
 */
import { z } from 'zod';
import { INSEE, blankToUndefined, fieldReader } from '../../../shared/input.js';
import { checked, email, optionalText, phone, requiredText, rowId } from '../members.schemas.js';

export const OUTSIDE = 'hors';

export interface ApplicationInput {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  activity: string;
  /** Null: not yet in the territory. */
  insee: string | null;
  planId: number;
}

export const ApplicationForm = z.record(z.string(), z.unknown()).transform((raw, ctx): ApplicationInput => {
  const { take, need, fail } = fieldReader(raw, ctx);
  const firstName = take('firstName', requiredText(80));
  const lastName = take('lastName', requiredText(80));
  const mail = take('email', email);
  const tel = take('phone', phone);
  const activity = take('activity', requiredText(200));
  const commune = take(
    'insee',
    z.preprocess(blankToUndefined, z.string({ error: 'members.join.communeRequired' }).trim().toUpperCase().refine((v) => v === OUTSIDE.toUpperCase() || INSEE.test(v), 'members.join.communeUnknown')),
  );
  const planId = take('planId', rowId('members.join.planRequired'));
  if (!checked.parse(raw.acceptStatutes)) fail('acceptStatutes', 'members.join.statutesRequired');
  if (!checked.parse(raw.acceptPrivacy)) fail('acceptPrivacy', 'members.join.privacyRequired');
  need('firstName', firstName);
  need('lastName', lastName);
  need('email', mail);
  need('activity', activity);
  need('insee', commune, 'members.join.communeRequired');
  need('planId', planId, 'members.join.planRequired');
  return {
    firstName: firstName!,
    lastName: lastName!,
    email: mail!,
    phone: tel,
    activity: activity!,
    insee: commune === OUTSIDE.toUpperCase() ? null : (commune ?? null),
    planId: planId!,
  };
});

export const DecisionForm = z.object({ message: optionalText(2000) });
export const DeclineForm = z.object({ message: requiredText(2000) });
export const StrikeOffForm = z.object({ reason: requiredText(2000) });
