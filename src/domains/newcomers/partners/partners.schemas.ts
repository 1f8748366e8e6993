/** The partners' forms: a partner's profile (staff), sharing a case (staff), a partner's note. */
import { z } from 'zod';
import { splitCodes } from '../cases/index.js';
import { blankToUndefined, INSEE, UUID_PATTERN } from '../../../shared/input.js';

export const PARTNER_KINDS = ['welcome_committee', 'chamber', 'cae', 'other'] as const;
export const PARTNER_THEMES = ['business', 'jobs', 'housing', 'schooling', 'other'] as const;
/** A chamber covers the whole territory, a committee a few villages: a hundred is far beyond either. */
export const MAX_PARTNER_COMMUNES = 100;

const requiredText = (max: number) =>
  z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long'));

export const PartnerProfileForm = z
  .object({
    organisation: requiredText(160),
    kind: z.preprocess(blankToUndefined, z.enum(PARTNER_KINDS, { error: 'newcomers.partners.profile.kindRequired' })),
    theme: z.preprocess(blankToUndefined, z.enum(PARTNER_THEMES, { error: 'errors.invalid_field' }).optional()),
    communes: z.preprocess(blankToUndefined, z.string().trim().max(1000, 'errors.too_long').optional()),
  })
  .transform((v, ctx) => {
    const communes = splitCodes(v.communes ?? '');
    if (communes.some((c) => !INSEE.test(c))) ctx.addIssue({ code: 'custom', path: ['communes'], message: 'newcomers.apply.targetCodesFormat' });
    else if (communes.length > MAX_PARTNER_COMMUNES) ctx.addIssue({ code: 'custom', path: ['communes'], message: 'newcomers.partners.profile.tooManyCommunes' });
    else if (!communes.length && !v.theme) ctx.addIssue({ code: 'custom', path: ['communes'], message: 'newcomers.partners.profile.communesOrTheme' });
    return { organisation: v.organisation, kind: v.kind, theme: v.theme ?? null, communes };
  });
export type PartnerProfileInput = z.output<typeof PartnerProfileForm>;

export const ShareForm = z.object({
  partnerId: z.preprocess(blankToUndefined, z.string({ error: 'newcomers.partners.share.partnerRequired' }).regex(UUID_PATTERN, 'newcomers.partners.share.partnerRequired')),
});

export const PartnerNoteForm = z.object({ body: requiredText(4000) });
