/**
 * The profile form (/compte/profil), the directory's query (/annuaire?q=&competence=&commune=&epci=&langue=&parrain=1)
 * and the contact form. Texts refuse NUL; the website must be http or https; skills are a comma-separated list.
 */
import { z } from 'zod';
import { INSEE, blankToUndefined, fieldReader } from '../../../shared/input.js';
import { normaliseForSearch } from '../../../shared/french-search.js';
import { checked, optionalText, phone, requiredText } from '../members.schemas.js';
import { AUDIENCES, NEVER_PUBLIC, PROFILE_FIELDS, type ProfileField } from './profiles.visibility.js';
import type { ProfileAudience } from '../../../db/schema.js';

export const MAX_SKILLS = 20;
export const LANGUAGES = ['fr', 'en', 'es', 'it', 'de', 'pt', 'oc', 'ca', 'nl', 'ar', 'pl', 'ro'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A skill's key: accents, case and punctuation removed (`Développement web` and `developpement-web` are one). */
export const skillKey = (label: string) => normaliseForSearch(label).slice(0, 60).trim();

export interface ProfileInput {
  displayName: string;
  activity: string;
  sector?: string;
  skills: string[];
  bio?: string;
  insee: string;
  website?: string;
  languages: Language[];
  phone?: string;
  openToBusiness: boolean;
  buddyOpen: boolean;
  contactOpen: boolean;
  publicShowcase: boolean;
  visibility: Record<ProfileField, ProfileAudience>;
}

const website = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(300, 'errors.too_long')
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !/[\s\u0000]/.test(v);
      } catch {
        return false;
      }
    }, 'members.profile.websiteInvalid')
    .optional(),
);

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export const ProfileForm = z.record(z.string(), z.unknown()).transform((raw, ctx): ProfileInput => {
  const { take, need, fail } = fieldReader(raw, ctx);
  const displayName = take('displayName', requiredText(80));
  const activity = take('activity', requiredText(200));
  const sector = take('sector', optionalText(120));
  const bio = take('bio', optionalText(1500));
  const site = take('website', website);
  const tel = take('phone', phone);
  const insee = take('insee', z.preprocess(blankToUndefined, z.string({ error: 'members.join.communeRequired' }).trim().regex(INSEE, 'members.join.communeUnknown')));
  const skillsText = take('skills', optionalText(1200)) ?? '';
  const skills: string[] = [];
  const seen = new Set<string>();
  for (const part of skillsText.split(/[,;\n]/)) {
    const label = part.trim().replace(/\s+/g, ' ');
    if (!label) continue;
    const key = skillKey(label);
    if (!key || label.length > 60) {
      fail('skills', 'members.profile.skillInvalid');
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    skills.push(label);
  }
  if (skills.length > MAX_SKILLS) fail('skills', 'members.profile.tooManySkills');
  const languages = list(raw.languages).filter((l): l is Language => (LANGUAGES as readonly string[]).includes(l));
  if (list(raw.languages).length !== languages.length) fail('languages', 'members.profile.languageUnknown');
  const visibility = {} as Record<ProfileField, ProfileAudience>;
  for (const f of PROFILE_FIELDS) {
    const v = raw[`vis_${f}`];
    if (!(AUDIENCES as readonly string[]).includes(String(v)) || (NEVER_PUBLIC.has(f) && v === 'public')) {
      fail(`vis_${f}`, 'members.profile.visibilityInvalid');
      continue;
    }
    visibility[f] = v as ProfileAudience;
  }
  need('displayName', displayName);
  need('activity', activity);
  need('insee', insee, 'members.join.communeRequired');
  return {
    displayName: displayName!,
    activity: activity!,
    sector,
    skills: skills.slice(0, MAX_SKILLS),
    bio,
    insee: insee!,
    website: site,
    languages,
    phone: tel,
    openToBusiness: checked.parse(raw.openToBusiness),
    buddyOpen: checked.parse(raw.buddyOpen),
    contactOpen: checked.parse(raw.contactOpen),
    publicShowcase: checked.parse(raw.publicShowcase),
    visibility,
  };
});

const queryText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).refine((s) => !s.includes('\u0000')).optional()).catch(undefined);

/** The directory's query; anything unreadable reads as "no filter". */
export const DirectoryQuery = z.object({
  q: queryText(120),
  competence: queryText(60),
  commune: z.preprocess(blankToUndefined, z.string().regex(INSEE).optional()).catch(undefined),
  epci: z.preprocess(blankToUndefined, z.string().regex(/^[0-9]{9}$/).optional()).catch(undefined),
  langue: z.preprocess(blankToUndefined, z.enum(LANGUAGES).optional()).catch(undefined),
  parrain: z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean()).catch(false),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type DirectoryQuery = z.infer<typeof DirectoryQuery>;

export const ContactForm = z.object({
  subject: requiredText(120),
  message: requiredText(3000),
});
export type ContactInput = z.infer<typeof ContactForm>;
