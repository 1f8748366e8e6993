/**
 * Reading a member list: the file's bytes into a table of text cells (CSV or XLSX), which tool exported it, which
 * column holds which field, and each cell read as an e-mail, a day, an amount. Pure, except reading the XLSX.
 */
import { readSheet } from 'read-excel-file/node';
import type { ImportSource, PaymentMethod } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { parseCsv } from '../../../shared/csv.js';
import { isIsoDate } from '../../../shared/input.js';
import { centsOf } from '../members.common.js';

/** The fields a line may give, in the order the mapping screen lists them. */
export const TARGET_FIELDS = ['email', 'firstName', 'lastName', 'fullName', 'commune', 'postcode', 'plan', 'paidOn', 'amount', 'method', 'phone', 'activity'] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];
/** Column index (from 0) of each field the file gives. */
export type Mapping = Partial<Record<TargetField, number>>;

/** The most lines one import reads: a list ten times the programme's size, read in well under the page's time. */
export const MAX_LINES = 20_000;
const MAX_CELL = 500;

/** Lower case, no accents, every run of other characters one space: `Nom & prénom` reads `nom prenom`. */
export const normalised = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Column names, normalised, in order of preference (an adherent's own e-mail before the payer's). They cover the
 * exports of HelloAsso (membership campaign: "Prénom adhérent", "Email payeur", "Tarif", "Montant tarif", "Date de
 * la commande", "Moyen de paiement"), Paheko (its member fields' labels: "Nom & prénom", "Adresse E-Mail", "Ville",
 * "Code postal", "Téléphone", "Date d'inscription") and Galette (its field names: `nom_adh`, `prenom_adh`,
 * `email_adh`, `ville_adh`, `cp_adh`, `tel_adh`, `gsm_adh`, `prof_adh`, `date_crea_adh`; contributions:
 * `montant_cotis`, `date_debut_cotis`, `libelle_type_cotis`), and the plain French names anyone would type.
 */
const ALIASES: Record<TargetField, string[]> = {
  email: ['email', 'e mail', 'courriel', 'adresse email', 'adresse e mail', 'adresse mail', 'email adherent', 'email adh', 'mail', 'email payeur'],
  firstName: ['prenom', 'prenom adherent', 'prenom adh', 'prenom payeur', 'first name', 'firstname'],
  lastName: ['nom', 'nom de famille', 'nom adherent', 'nom adh', 'nom payeur', 'last name', 'lastname'],
  fullName: ['nom prenom', 'nom et prenom', 'prenom nom', 'nom complet', 'identite'],
  commune: ['commune', 'code insee', 'insee', 'ville', 'ville adherent', 'ville adh', 'localite', 'ville payeur'],
  postcode: ['code postal', 'cp', 'cp adh', 'code postal adherent', 'code postal payeur'],
  plan: ['formule', 'formule d adhesion', 'tarif', 'nom du tarif', 'type d adhesion', 'libelle type cotis', 'type cotis'],
  paidOn: ['date de paiement', 'date du paiement', 'date de la commande', 'date d adhesion', 'date debut cotis', 'date enreg', 'date d inscription', 'date crea adh', 'date'],
  amount: ['montant', 'montant tarif', 'montant paye', 'montant cotis', 'montant de la cotisation', 'cotisation', 'montant total'],
  method: ['moyen de paiement', 'mode de paiement', 'type de paiement', 'type paiement cotis'],
  phone: ['telephone', 'tel', 'tel adh', 'portable', 'mobile', 'gsm adh', 'numero de telephone', 'telephone adherent'],
  activity: ['activite', 'activite professionnelle', 'profession', 'metier', 'prof adh'],
};

/** Column names only one tool writes (normalised): two of them name the tool. */
const SIGNATURES: Record<Exclude<ImportSource, 'other'>, (names: Set<string>) => boolean> = {
  helloasso: (n) => ['email payeur', 'prenom adherent', 'nom adherent', 'date de la commande', 'statut de la commande', 'reference commande', 'montant tarif', 'moyen de paiement'].filter((h) => n.has(h)).length >= 2,
  paheko: (n) => ['nom prenom', 'numero de membre', 'adresse e mail', 'date d inscription', 'categorie'].filter((h) => n.has(h)).length >= 2,
  galette: (n) => [...n].filter((h) => / adh$/.test(h) || h.endsWith(' cotis')).length >= 2,
};

export function detectSource(headers: string[]): ImportSource {
  const names = new Set(headers.map(normalised));
  for (const source of ['helloasso', 'paheko', 'galette'] as const) if (SIGNATURES[source](names)) return source;
  return 'other';
}

/** The column of each field whose name the file uses; a column serves one field only. */
export function guessMapping(headers: string[]): Mapping {
  const names = headers.map(normalised);
  const mapping: Mapping = {};
  const taken = new Set<number>();
  for (const field of TARGET_FIELDS) {
    for (const alias of ALIASES[field]) {
      const index = names.findIndex((n, i) => n === alias && !taken.has(i));
      if (index >= 0) {
        mapping[field] = index;
        taken.add(index);
        break;
      }
    }
  }
  return mapping;
}

/** A mapping is enough to read lines when it finds the e-mail and the name (first and last, or both in one column). */
export const isUsableMapping = (m: Mapping) => m.email !== undefined && ((m.firstName !== undefined && m.lastName !== undefined) || m.fullName !== undefined);

const fileError = (key: string) => new AppError('invalid', 'errors.invalid', { file: key });

export type FileKind = 'csv' | 'xlsx';

/** What the file is, from its first bytes and its name: an XLSX is a zip; a CSV is text without NUL. */
export function kindOf(name: string, bytes: Buffer): FileKind {
  const lower = name.toLowerCase();
  const zip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (lower.endsWith('.xlsx')) {
    if (!zip) throw fileError('members.import.brokenXlsx');
    return 'xlsx';
  }
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    if (zip) throw fileError('members.import.badType');
    if (bytes.includes(0)) throw fileError('members.import.nulByte');
    return 'csv';
  }
  throw fileError('members.import.badType');
}

/** UTF-8 (with or without its mark); a file that is not valid UTF-8 is read as Windows-1252, as French Excel saves it. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '';
  return String(value).replace(/\u0000/g, '').trim().slice(0, MAX_CELL);
}

/** The file as a header row and data rows of text cells (as long as the header); blank rows are kept (line numbers). */
export async function readTable(kind: FileKind, bytes: Buffer): Promise<{ headers: string[]; rows: string[][] }> {
  let grid: unknown[][];
  if (kind === 'xlsx') {
    try {
      grid = (await readSheet(bytes)) as unknown[][];
    } catch {
      throw fileError('members.import.brokenXlsx');
    }
  } else {
    const text = decodeText(bytes);
    if (text.includes('\u0000')) throw fileError('members.import.nulByte');
    grid = parseCsv(text);
  }
  const [head, ...body] = grid;
  const headers = (head ?? []).map(cellText);
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  if (!headers.length) throw fileError('members.import.noHeader');
  if (body.length > MAX_LINES) throw fileError('members.import.tooManyLines');
  const rows = body.map((r) => headers.map((_, i) => cellText(r[i])));
  while (rows.length && rows[rows.length - 1].every((c) => c === '')) rows.pop();
  if (!rows.length) throw fileError('members.import.noLines');
  return { headers, rows };
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * A day as French files write it: `JJ/MM/AAAA` (or with `-` or `.`, a time after it allowed), ISO `AAAA-MM-JJ` (a
 * time after it allowed), and XLSX date cells (read as ISO). `impossible` is a real-looking date that does not
 * exist (31/02/2025); `invalid` is not a date at all.
 */
export function readDay(text: string): { day: string } | { problem: 'invalid' | 'impossible' } {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(?:à\s+)?\d{1,2}[:h]\d{2}(?::\d{2})?)?$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (fr) [y, m, d] = [Number(fr[3]), Number(fr[2]), Number(fr[1])];
  else return { problem: 'invalid' };
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return { problem: 'impossible' };
  const day = `${y}-${pad(m)}-${pad(d)}`;
  return isIsoDate(day) ? { day } : { problem: 'impossible' };
}

/** An amount in euros as files write it (`30`, `30,00`, `30.5`, `30,00 €`); null when it is not one. */
export const readAmount = (text: string) => centsOf(text);

/** A payment method named in a file, in French or English; null when the cell names none we know. */
export function readMethod(text: string): PaymentMethod | null {
  const n = normalised(text);
  if (!n) return null;
  if (/\bcheque|\bcheck/.test(n)) return 'cheque';
  if (/virement|transfer|prelevement/.test(n)) return 'transfer';
  if (/espece|liquide|cash/.test(n)) return 'cash';
  if (/en ligne|online|helloasso|paypal/.test(n)) return 'online';
  if (/carte|\bcb\b|card/.test(n)) return 'card';
  return null;
}

export const EMAIL_PATTERN = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]{2,}$/;

/**
 * A name written in one column: words in capitals are the last name (`DUPONT Marie`, `Marie DUPONT`); otherwise
 * the first word is the last name, as the column's usual title says (`Nom & prénom`).
 */
export function splitFullName(text: string): { firstName: string; lastName: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { firstName: '', lastName: words[0] ?? '' };
  const caps = words.filter((w) => /\p{Lu}/u.test(w) && w === w.toUpperCase());
  if (caps.length && caps.length < words.length) return { lastName: caps.join(' '), firstName: words.filter((w) => !caps.includes(w)).join(' ') };
  return { lastName: words[0], firstName: words.slice(1).join(' ') };
}
