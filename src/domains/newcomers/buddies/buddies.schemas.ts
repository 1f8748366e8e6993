/** Forms of buddies (parrainage): a member's offer, staff marking a member, staff pairing a case. Messages are i18n keys. */
import { z } from 'zod';
import { PROJECTS } from '../cases/index.js';
import { blankToUndefined, INSEE, UUID_PATTERN } from '../../../shared/input.js';

export const MAX_HOUSEHOLDS = 5;

const list = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));

const offer = {
  homeInsee: z.preprocess(
    blankToUndefined,
    z.string({ error: 'newcomers.buddies.communeRequired' }).trim().toUpperCase().regex(INSEE, 'newcomers.buddies.communeUnknown'),
  ),
  projects: list.pipe(z.array(z.enum(PROJECTS, { error: 'errors.invalid_field' })).min(1, 'newcomers.buddies.projectsRequired')),
  presentation: z.preprocess(blankToUndefined, z.string().trim().max(600, 'errors.too_long').optional()),
  maxHouseholds: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'newcomers.buddies.maxInvalid' }).int('newcomers.buddies.maxInvalid').min(1, 'newcomers.buddies.maxInvalid').max(MAX_HOUSEHOLDS, 'newcomers.buddies.maxInvalid'),
  ),
};

/** A member offers (or updates the offer) to accompany households. */
export const BuddyOfferForm = z.object(offer);
export type BuddyOfferInput = z.output<typeof BuddyOfferForm>;

/** Staff mark a member account as buddy, named by its address. */
export const MarkBuddyForm = z.object({
  email: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' }))),
  ...offer,
});
export type MarkBuddyInput = z.output<typeof MarkBuddyForm>;

const uuid = z.string().regex(UUID_PATTERN, 'newcomers.buddies.pickBuddy');

export const PairingForm = z.object({ buddyId: z.preprocess(blankToUndefined, z.string({ error: 'newcomers.buddies.pickBuddy' }).pipe(uuid)) });
