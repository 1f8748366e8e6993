/**
 * One schema per use case. Messages are i18n keys shown next to the field.
 *
 * The application form is flat (adult1_project, child2_age ...) because it must work without JavaScript: the page
 * always shows four adult blocks and six child blocks, and blocks left empty are ignored. It is parsed in one pass
 * so that every mistake is reported at once (a missing consent, an adult without a project and a child aged 40 all
 * show together), which Zod's per-field refinements would not do once one field fails.
 */
import { z } from 'zod';
import { STAGES, TRANSITION_NAMES } from './stages.js';
import { INSEE, UUID_PATTERN, blankToUndefined, fieldReader, frenchDateToIso, isIsoDate } from '../../../shared/input.js';

export const MAX_ADULTS = 4;
export const MAX_CHILDREN = 6;
export const MAX_TARGET_COMMUNES = 20;

export const PROJECTS = ['telework', 'freelance', 'creation', 'takeover', 'job_search', 'other'] as const;
export type Project = (typeof PROJECTS)[number];
export const SCHOOLING = ['none', 'childcare', 'maternelle', 'elementaire', 'college', 'lycee', 'higher'] as const;
export const TIMINGS = ['within_6_months', 'months_6_12', 'over_12_months', 'undecided'] as const;
export const NEEDS = ['housing_rent', 'housing_buy', 'temporary_housing', 'schooling', 'partner_job', 'coworking', 'childcare'] as const;
export type Need = (typeof NEEDS)[number];
export const HEARD_FROM = ['search', 'social', 'press', 'word_of_mouth', 'event', 'institution', 'other'] as const;

const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.too_long').optional());
const requiredText = (max: number) =>
  z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long'));
const email = z
  .string({ error: 'errors.required' })
  .trim()
  .toLowerCase()
  .min(1, 'errors.required')
  .max(254, 'errors.too_long')
  .pipe(z.email({ error: 'errors.email' }));
const phone = z.preprocess(
  blankToUndefined,
  z.string().trim().regex(/^\+?[0-9 ().-]{4,30}$/, 'newcomers.apply.phoneInvalid').optional(),
);
const checked = z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean());
const list = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));

export interface AdultInput {
  position: number;
  firstName?: string;
  project: Project;
  profession?: string;
  sector?: string;
}
export interface ChildInput {
  position: number;
  age: number;
  schooling: (typeof SCHOOLING)[number];
  needs?: string;
}

export interface ApplicationInput {
  contactName: string;
  email: string;
  phone?: string;
  currentPlace: string;
  adults: AdultInput[];
  children: ChildInput[];
  targetCodes: string[];
  targetText?: string;
  timing: (typeof TIMINGS)[number];
  needs: Need[];
  heardFrom?: (typeof HEARD_FROM)[number];
  project?: string;
  consentContact: true;
  consentShare: boolean;
}

/** Splits "32013, 32208 32107" into codes; Corsican codes are upper-cased. */
export const splitCodes = (raw: string) => [...new Set(raw.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];

export const ApplicationForm = z.record(z.string(), z.unknown()).transform((raw, ctx): ApplicationInput => {
  const { take, fail, anyError } = fieldReader(raw, ctx);

  const contactName = take('contactName', requiredText(120));
  const mail = take('email', email);
  const tel = take('phone', phone);
  const currentPlace = take('currentPlace', requiredText(200));

  const adults: AdultInput[] = [];
  for (let n = 1; n <= MAX_ADULTS; n++) {
    const firstName = take(`adult${n}_firstName`, optionalText(80));
    const project = take(`adult${n}_project`, z.preprocess(blankToUndefined, z.enum(PROJECTS, { error: 'errors.invalid_field' }).optional()));
    const profession = take(`adult${n}_profession`, optionalText(120));
    const sector = take(`adult${n}_sector`, optionalText(120));
    const filled = [firstName, project, profession, sector].some((v) => v !== undefined);
    // The first block is the household's first adult: it cannot be left empty.
    if (!filled && n > 1) continue;
    if (!project) {
      fail(`adult${n}_project`, 'newcomers.apply.adult.projectRequired');
      continue;
    }
    adults.push({ position: adults.length + 1, firstName, project, profession, sector });
  }

  const children: ChildInput[] = [];
  for (let n = 1; n <= MAX_CHILDREN; n++) {
    const ageRaw = take(`child${n}_age`, optionalText(10));
    const schooling = take(`child${n}_schooling`, z.preprocess(blankToUndefined, z.enum(SCHOOLING, { error: 'errors.invalid_field' }).optional()));
    const needs = take(`child${n}_needs`, optionalText(300));
    if ([ageRaw, schooling, needs].every((v) => v === undefined)) continue;
    if (ageRaw === undefined) {
      fail(`child${n}_age`, 'newcomers.apply.child.ageRequired');
      continue;
    }
    const age = /^\d{1,3}$/.test(ageRaw) ? Number(ageRaw) : NaN;
    if (!(age >= 0 && age <= 25)) {
      fail(`child${n}_age`, 'newcomers.apply.child.ageRange');
      continue;
    }
    children.push({ position: children.length + 1, age, schooling: schooling ?? 'none', needs });
  }

  // Ticked villages arrive as one code each; a list typed by hand ("32013, 32208") still counts.
  const codesRaw = take('targetCodes', list.pipe(z.array(z.string().max(400, 'errors.too_long')))) ?? [];
  const targetCodes = [...new Set(codesRaw.flatMap(splitCodes))];
  if (targetCodes.some((c) => !INSEE.test(c))) fail('targetCodes', 'newcomers.apply.targetCodesFormat');
  else if (targetCodes.length > MAX_TARGET_COMMUNES) fail('targetCodes', 'newcomers.apply.targetTooMany');
  const targetText = take('targetText', optionalText(500));
  const timing = take('timing', z.preprocess(blankToUndefined, z.enum(TIMINGS, { error: 'newcomers.apply.timingRequired' })));
  const needs = take('needs', list.pipe(z.array(z.enum(NEEDS, { error: 'errors.invalid_field' }))));
  const heardFrom = take('heardFrom', z.preprocess(blankToUndefined, z.enum(HEARD_FROM, { error: 'errors.invalid_field' }).optional()));
  const project = take('project', optionalText(4000));
  const consentContact = take('consentContact', checked);
  if (consentContact === false) fail('consentContact', 'newcomers.apply.consentRequired');
  const consentShare = take('consentShare', checked);

  if (anyError()) return z.NEVER;
  return {
    contactName: contactName!,
    email: mail!,
    phone: tel,
    currentPlace: currentPlace!,
    adults,
    children,
    targetCodes,
    targetText,
    timing: timing!,
    needs: [...new Set(needs ?? [])],
    heardFrom,
    project,
    consentContact: true,
    consentShare: consentShare ?? false,
  };
});

/** The form values an application was made with, to fill the form again when the household updates it. */
export function applicationToFormValues(a: ApplicationInput): Record<string, string | string[]> {
  const v: Record<string, string | string[]> = {
    contactName: a.contactName,
    email: a.email,
    phone: a.phone ?? '',
    currentPlace: a.currentPlace,
    targetCodes: a.targetCodes,
    targetText: a.targetText ?? '',
    timing: a.timing,
    needs: a.needs,
    heardFrom: a.heardFrom ?? '',
    project: a.project ?? '',
    consentShare: a.consentShare ? '1' : '',
  };
  for (const ad of a.adults) {
    v[`adult${ad.position}_firstName`] = ad.firstName ?? '';
    v[`adult${ad.position}_project`] = ad.project;
    v[`adult${ad.position}_profession`] = ad.profession ?? '';
    v[`adult${ad.position}_sector`] = ad.sector ?? '';
  }
  for (const c of a.children) {
    v[`child${c.position}_age`] = String(c.age);
    v[`child${c.position}_schooling`] = c.schooling;
    v[`child${c.position}_needs`] = c.needs ?? '';
  }
  return v;
}

// ------------------------------------------------------------------------------------------------ staff

const comment = optionalText(1000);

export const TransitionForm = z
  .object({
    transition: z.enum(TRANSITION_NAMES as [string, ...string[]], { error: 'newcomers.transition.unknown' }),
    expected: z.preprocess(blankToUndefined, z.enum(STAGES as [string, ...string[]]).optional()),
    comment,
    settledInsee: optionalText(5),
    settledOn: z.preprocess(frenchDateToIso, optionalText(10)),
    reasonId: optionalText(12),
  })
  .superRefine((v, ctx) => {
    if (v.transition === 'settle') {
      if (!v.settledInsee) ctx.addIssue({ code: 'custom', path: ['settledInsee'], message: 'newcomers.settle.communeRequired' });
      else if (!INSEE.test(v.settledInsee.toUpperCase())) ctx.addIssue({ code: 'custom', path: ['settledInsee'], message: 'newcomers.settle.communeUnknown' });
      if (!v.settledOn) ctx.addIssue({ code: 'custom', path: ['settledOn'], message: 'newcomers.settle.dateRequired' });
      else if (!isIsoDate(v.settledOn)) ctx.addIssue({ code: 'custom', path: ['settledOn'], message: 'newcomers.date.invalid' });
    }
    if (v.transition === 'drop' && !(v.reasonId && /^\d+$/.test(v.reasonId))) {
      ctx.addIssue({ code: 'custom', path: ['reasonId'], message: 'newcomers.drop.reasonRequired' });
    }
  })
  .transform((v) => ({
    transition: v.transition as import('./stages.js').TransitionName,
    expected: v.expected as import('../../../db/schema.js').CaseStage | undefined,
    comment: v.comment,
    settledInsee: v.settledInsee?.toUpperCase(),
    settledOn: v.settledOn,
    reasonId: v.reasonId ? Number(v.reasonId) : undefined,
  }));
export type TransitionInput = z.output<typeof TransitionForm>;

const uuid = z.string().regex(UUID_PATTERN, 'errors.invalid_field');

/** Empty means "nobody"; "moi" is the person clicking "take it". */
export const AssignForm = z.object({ adviserId: z.preprocess(blankToUndefined, z.union([z.literal('moi'), uuid]).optional()) });

/** Renames a reason, or archives / restores it (the two small forms of the reasons page). */
export const DropReasonChangeForm = z
  .object({ label: optionalText(120), archived: z.preprocess(blankToUndefined, z.enum(['0', '1']).optional()) })
  .refine((v) => v.label !== undefined || v.archived !== undefined, { path: ['label'], message: 'errors.required' })
  .transform((v) => ({ label: v.label, archived: v.archived === undefined ? undefined : v.archived === '1' }));

export const ChecklistToggleForm = z.object({ done: z.enum(['0', '1']).transform((v) => v === '1') });

export const NoteForm = z.object({ body: requiredText(4000) });

export const TaskForm = z.object({
  title: requiredText(200),
  dueOn: z.preprocess(frenchDateToIso, requiredText(10).refine(isIsoDate, 'newcomers.date.invalid')),
  assigneeId: z.preprocess(blankToUndefined, uuid.optional()),
  funderTagId: z.preprocess(blankToUndefined, z.coerce.number({ error: 'newcomers.tags.unknown' }).int('newcomers.tags.unknown').optional()),
});
export type TaskInput = z.output<typeof TaskForm>;

export const ChecklistItemForm = z.object({ label: requiredText(200) });

export const MessageForm = z.object({ body: requiredText(4000) });

export const DropReasonForm = z.object({ label: requiredText(120) });

const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const loose = <T extends z.ZodType>(schema: T) => z.preprocess((v) => blankToUndefined(firstOf(v)), schema.optional().catch(undefined));

/** The staff list's query string; anything unexpected is ignored rather than refused. */
export const CaseListQuery = z.object({
  q: loose(z.string().trim().max(100)),
  etape: loose(z.enum(STAGES as [string, ...string[]])),
  conseiller: loose(z.union([z.literal('moi'), z.literal('aucun'), uuid])),
  commune: loose(z.string().trim().toUpperCase().regex(INSEE)),
  projet: loose(z.enum(PROJECTS)),
  retard: loose(z.literal('1')),
  epci: loose(z.string().trim().regex(/^\d{9}$/)),
  financeur: loose(z.coerce.number().int().min(1).max(2_147_483_647)),
  page: z.preprocess(firstOf, z.coerce.number().int().min(1).max(10_000).catch(1)).default(1),
});
export type CaseListQuery = z.output<typeof CaseListQuery>;

/** Forms that are only a button (the CSRF token is checked before). */
export const EmptyForm = z.object({});
