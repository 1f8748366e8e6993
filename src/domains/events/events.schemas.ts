/**
 * Events: the staff form, the registration forms and the agenda's query string. French field and query names at
 * the edge, typed English input inside. Times are typed as Paris wall-clock readings and turned into instants here
 * (daylight saving included); an all-day event takes whole days, its end being the start of the day after.
 */
import { z } from 'zod';
import type { EventAudience, EventPlaceKind, RegistrationMode } from '../../db/schema.js';
import { INSEE, blankToUndefined, fieldReader, isIsoDate, isRowId } from '../../shared/input.js';
import { addDays, parisTime } from '../../shared/time.js';
import { SERIES_PRESETS, checkRule, presetRule, type SeriesPreset } from './events.rrule.js';

export const AUDIENCES = ['public', 'members', 'candidates'] as const satisfies readonly EventAudience[];
export const REGISTRATION_MODES = ['first_come', 'selection'] as const satisfies readonly RegistrationMode[];
/** What the team decides on an application (selection mode). */
export const DECISIONS = ['selected', 'waiting', 'declined'] as const;
export type Decision = (typeof DECISIONS)[number];
export const PLACE_KINDS = ['third_place', 'commune', 'address', 'online'] as const satisfies readonly EventPlaceKind[];
/** The default list of types, loaded at first start; staff add, rename and hide types afterwards. */
export const DEFAULT_TYPES = [
  ['breakfast', 'Petit-déjeuner', 'Breakfast'],
  ['workshop', 'Atelier', 'Workshop'],
  ['apero', 'Apéro', 'Apéro'],
  ['club', 'Club', 'Club'],
  ['training', 'Formation', 'Training'],
  ['discovery_stay', 'Séjour découverte', 'Discovery stay'],
  ['open_day', 'Portes ouvertes', 'Open day'],
  ['other', 'Autre', 'Other'],
] as const;

/** Text typed by people: a NUL byte or another control character (tabs and line ends aside) is refused. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const clean = (s: string) => !CONTROL.test(s);
const requiredText = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long').refine(clean, 'events.form.control'),
  );
const optionalText = (max: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.too_long').refine(clean, 'events.form.control').optional());
const wholeNumber = (min: number, max: number, key: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.replace(/\s/g, '')) : v),
    z
      .string({ error: 'errors.required' })
      .regex(/^\d{1,6}$/, key)
      .transform(Number)
      .refine((n) => n >= min && n <= max, key),
  );
/** "12", "12,50", "12.5 €" are prices in euros; stored in cents. */
const euros = z.preprocess(
  (v) => (typeof v === 'string' ? blankToUndefined(v.replace(/[\s\u00a0\u202f€]/g, '')) : v),
  z
    .string()
    .regex(/^\d{1,6}([.,]\d{1,2})?$/, 'events.form.price')
    .transform((s) => Math.round(Number(s.replace(',', '.')) * 100))
    .optional(),
);

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?$/;
/** A Paris wall-clock reading typed in a date-time field (or a date alone for all-day events). */
function readLocal(value: unknown): { day: string; hour: number; minute: number; hasTime: boolean } | 'invalid' | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const m = DATE_TIME.exec(value.trim());
  if (!m || !isIsoDate(m[1])) return 'invalid';
  const hour = m[2] === undefined ? 0 : Number(m[2]);
  const minute = m[3] === undefined ? 0 : Number(m[3]);
  if (hour > 23 || minute > 59) return 'invalid';
  return { day: m[1], hour, minute, hasTime: m[2] !== undefined };
}

export interface EventInput {
  title: string;
  description: string;
  typeKey: string;
  placeKind: EventPlaceKind;
  thirdPlaceId?: number;
  insee?: string;
  address?: string;
  onlineUrl?: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  audience: EventAudience;
  capacity: number;
  maxSeats: number;
  opensAt?: Date;
  closesAt?: Date;
  priceMemberCents?: number;
  pricePublicCents?: number;
  organiser?: string;
  claimWindowHours: number;
  /** A recurring series (only when creating): the rule and the first occurrence's Paris wall-clock start. */
  series?: { rule: string; firstLocal: string };
  registrationMode: RegistrationMode;
}

export const EventForm = z.record(z.string(), z.unknown()).transform((raw, ctx): EventInput => {
  const { take, fail, need, hasError, anyError } = fieldReader(raw, ctx);
  const title = take('titre', requiredText(160));
  const description = take('description', optionalText(20000)) ?? '';
  const typeKey = take('type', z.preprocess(blankToUndefined, z.string({ error: 'events.form.typeRequired' }).regex(/^[a-z0-9_]{1,40}$/, 'events.form.typeRequired')));
  const placeKind = take('lieu', z.preprocess(blankToUndefined, z.enum(PLACE_KINDS, { error: 'events.form.placeRequired' })));
  const audience = take('public', z.preprocess((v) => blankToUndefined(v) ?? 'public', z.enum(AUDIENCES, { error: 'errors.invalid_field' })));
  const registrationMode = take('modeInscription', z.preprocess((v) => blankToUndefined(v) ?? 'first_come', z.enum(REGISTRATION_MODES, { error: 'errors.invalid_field' })));
  const allDay = raw.journee === '1' || raw.journee === 'on';
  const capacity = take('places', wholeNumber(1, 10000, 'events.form.capacity'));
  const maxSeats = take('placesMax', z.preprocess((v) => blankToUndefined(v) ?? '1', wholeNumber(1, 20, 'events.form.maxSeats')));
  const claimWindowHours = take('delaiReponse', z.preprocess((v) => blankToUndefined(v) ?? '48', wholeNumber(1, 336, 'events.form.claimWindow')));
  const priceMemberCents = take('prixMembre', euros);
  const pricePublicCents = take('prixPublic', euros);
  const organiser = take('organisateur', optionalText(160));

  let thirdPlaceId: number | undefined;
  let insee: string | undefined;
  let address: string | undefined;
  let onlineUrl: string | undefined;
  if (placeKind === 'third_place') {
    thirdPlaceId = take('tiersLieu', z.preprocess(blankToUndefined, z.coerce.number({ error: 'events.form.thirdPlaceRequired' }).refine(isRowId, 'events.form.thirdPlaceRequired')));
  } else if (placeKind === 'commune' || placeKind === 'address') {
    insee = take('commune', z.preprocess(blankToUndefined, z.string({ error: 'events.form.communeRequired' }).trim().toUpperCase().regex(INSEE, 'events.form.communeRequired')));
    if (placeKind === 'address') {
      address = take('adresse', optionalText(300));
      need('adresse', address);
    }
  } else if (placeKind === 'online') {
    onlineUrl = take(
      'lien',
      z.preprocess(blankToUndefined, z.string({ error: 'events.form.linkRequired' }).trim().max(500, 'errors.too_long').regex(/^https?:\/\/[^\s/\\]+[^\s]*$/i, 'events.form.linkInvalid')),
    );
  }

  const start = readLocal(raw.debut);
  const end = readLocal(raw.fin);
  if (start === 'invalid') fail('debut', 'events.form.dateInvalid');
  else need('debut', start);
  if (end === 'invalid') fail('fin', 'events.form.dateInvalid');
  else need('fin', end);
  let startsAt: Date | undefined;
  let endsAt: Date | undefined;
  if (start && start !== 'invalid' && end && end !== 'invalid') {
    if (allDay) {
      startsAt = parisTime(start.day, 0);
      endsAt = parisTime(addDays(end.day, 1), 0);
    } else {
      if (!start.hasTime) fail('debut', 'events.form.timeRequired');
      if (!end.hasTime) fail('fin', 'events.form.timeRequired');
      startsAt = parisTime(start.day, start.hour, start.minute);
      endsAt = parisTime(end.day, end.hour, end.minute);
    }
    if (!hasError('debut') && !hasError('fin') && endsAt <= startsAt) fail('fin', 'events.form.endBeforeStart');
  }
  const opens = readLocal(raw.ouverture);
  const closes = readLocal(raw.cloture);
  if (opens === 'invalid') fail('ouverture', 'events.form.dateInvalid');
  if (closes === 'invalid') fail('cloture', 'events.form.dateInvalid');
  const opensAt = opens && opens !== 'invalid' ? parisTime(opens.day, opens.hour, opens.minute) : undefined;
  const closesAt = closes && closes !== 'invalid' ? parisTime(closes.day, closes.hour, closes.minute) : undefined;
  if (opensAt && closesAt && opensAt >= closesAt) fail('cloture', 'events.form.deadlineBeforeOpening');
  if (closesAt && endsAt && closesAt > endsAt) fail('cloture', 'events.form.deadlineAfterEnd');
  if (maxSeats !== undefined && capacity !== undefined && maxSeats > capacity) fail('placesMax', 'events.form.maxSeatsAboveCapacity');
  const series = readSeries(raw, start && start !== 'invalid' ? start : undefined, fail);

  if (anyError()) return z.NEVER;
  return {
    title: title!,
    description,
    typeKey: typeKey!,
    placeKind: placeKind!,
    thirdPlaceId,
    insee,
    address,
    onlineUrl,
    startsAt: startsAt!,
    endsAt: endsAt!,
    allDay,
    audience: audience!,
    capacity: capacity!,
    maxSeats: maxSeats!,
    opensAt,
    closesAt,
    priceMemberCents,
    pricePublicCents,
    organiser,
    claimWindowHours: claimWindowHours!,
    series,
    registrationMode: registrationMode!,
  };
});

/**
 * The form's repetition: none, a plain-French preset (weekly, every other week, the same weekday of each month…)
 * with an optional last day, or a rule typed by hand. Read against the start typed above.
 */
function readSeries(raw: Record<string, unknown>, start: { day: string; hour: number; minute: number } | undefined, fail: (name: string, key: string) => void) {
  const preset = typeof raw.repetition === 'string' ? raw.repetition.trim() : '';
  if (!preset) return undefined;
  if (!(SERIES_PRESETS as readonly string[]).includes(preset)) {
    fail('repetition', 'errors.invalid_field');
    return undefined;
  }
  const untilRaw = typeof raw.repetitionFin === 'string' ? raw.repetitionFin.trim() : '';
  let until: string | undefined;
  if (untilRaw) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(untilRaw) || !isIsoDate(untilRaw)) fail('repetitionFin', 'events.form.dateInvalid');
    else until = untilRaw;
  }
  if (!start) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const firstLocal = `${start.day}T${pad(start.hour)}:${pad(start.minute)}`;
  if (until && until < start.day) {
    fail('repetitionFin', 'events.series.untilBeforeStart');
    return undefined;
  }
  let text: string;
  if (preset === 'custom') {
    text = typeof raw.rrule === 'string' ? raw.rrule : '';
    if (CONTROL.test(text)) {
      fail('rrule', 'events.form.control');
      return undefined;
    }
    if (!text.trim()) {
      fail('rrule', 'events.series.ruleRequired');
      return undefined;
    }
  } else text = presetRule(preset as Exclude<SeriesPreset, 'custom'>, start.day, until);
  const checked = checkRule(text, firstLocal);
  if ('error' in checked) {
    fail(preset === 'custom' ? 'rrule' : 'repetition', checked.error);
    return undefined;
  }
  return { rule: checked.rule, firstLocal };
}

/** Editing a series from a day onward: the day, then the event's own fields. */
export const SeriesEditForm = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const from = typeof raw.aPartirDu === 'string' ? raw.aPartirDu.trim() : '';
  const okFrom = /^\d{4}-\d{2}-\d{2}$/.test(from) && isIsoDate(from);
  if (!okFrom) ctx.addIssue({ code: 'custom', path: ['aPartirDu'], message: from ? 'events.form.dateInvalid' : 'errors.required' });
  const { repetition: _r, repetitionFin: _f, rrule: _rr, ...rest } = raw;
  const parsed = EventForm.safeParse(rest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
    return z.NEVER;
  }
  if (!okFrom) return z.NEVER;
  return { fromDay: from, event: parsed.data };
});
export type SeriesEditInput = z.output<typeof SeriesEditForm>;

/** Seats asked for by one registration (a family may take several, up to the event's maximum). */
export const seatsField = z.preprocess((v) => blankToUndefined(v) ?? '1', wholeNumber(1, 20, 'events.register.seatsInvalid'));

export const SignedInRegistrationForm = z.object({ places: seatsField });
export type SignedInRegistrationInput = { seats: number };

export const VisitorRegistrationForm = z
  .object({
    nom: requiredText(120),
    email: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' }))),
    places: seatsField,
  })
  .transform((v) => ({ name: v.nom, email: v.email, seats: v.places }));
export type VisitorRegistrationInput = z.output<typeof VisitorRegistrationForm>;

/** The team's decision on an application. */
export const DecisionForm = z.object({ decision: z.enum(DECISIONS, { error: 'errors.invalid_field' }) });

export const MessageForm = z.object({ sujet: requiredText(160), message: requiredText(5000) }).transform((v) => ({ subject: v.sujet, body: v.message }));
export type MessageInput = z.output<typeof MessageForm>;

export const TypeForm = z
  .object({
    cle: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().toLowerCase().regex(/^[a-z0-9_]{1,40}$/, 'events.types.keyInvalid')),
    libelle: requiredText(80),
    libelleEn: requiredText(80),
  })
  .transform((v) => ({ key: v.cle, labelFr: v.libelle, labelEn: v.libelleEn }));
export type TypeInput = z.output<typeof TypeForm>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const filter = (re: RegExp) => z.preprocess(blankToUndefined, z.string().regex(re).optional().catch(undefined));

/** The agenda's query string: view, month shown, and filters. A wrong value is ignored, never an error. */
export const AgendaQuery = z.object({
  vue: z.enum(['liste', 'mois']).catch('liste').default('liste'),
  mois: filter(MONTH),
  type: filter(/^[a-z0-9_]{1,40}$/),
  lieu: filter(/^[a-z0-9-]{1,120}$/),
  commune: filter(INSEE),
  public: z.preprocess(blankToUndefined, z.enum(AUDIENCES).optional().catch(undefined)),
});
export type AgendaQuery = z.output<typeof AgendaQuery>;

/** The API's query: the same filters, English names. */
export const ApiAgendaQuery = z.object({
  type: filter(/^[a-z0-9_]{1,40}$/),
  place: filter(/^[a-z0-9-]{1,120}$/),
  commune: filter(INSEE),
  audience: z.preprocess(blankToUndefined, z.enum(AUDIENCES).optional().catch(undefined)),
  past: z.preprocess((v) => v === 'true' || v === '1', z.boolean()).optional(),
});

export const ApiRegistrationBody = z.object({ seats: z.number().int().min(1).max(20).default(1) });
