/**
 * Parses a form once at the edge (house rule 4). On failure it returns per-field i18n keys and the values the
 * user typed, so the form re-renders with 422 and nothing is lost.
 */
import type { z } from 'zod';
import { AppError, httpStatusOf } from '../shared/app-error.js';
import type { FieldErrors, FormValues } from './components/forms.js';
import { catalogue } from './i18n/index.js';

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k === '_csrf' || /password/i.test(k)) continue; // never echo secrets back
      if (typeof v === 'string') values[k] = v;
      else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
    }
  }
  return values;
}

/** True when a string anywhere in the value (keys included) holds a NUL character, which PostgreSQL refuses in text. */
export function holdsNulByte(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsNulByte(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNulByte(v, depth + 1));
}

/** A form post as browsers send it: urlencoded, every key clean, every value a string or a list of strings. */
function isPlainFormBody(request: { body?: unknown; headers?: Record<string, unknown> }): request is { body: Record<string, string | string[]> } {
  if (!String(request.headers?.['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  return Object.entries(body).every(([k, v]) => !k.includes('\u0000') && (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))));
}

/**
 * The one check for NUL bytes in what a request carries (form or JSON body, query string, path): no form, page or
 * API route ever wants one, and PostgreSQL would answer the insert with an error. Refused with 422 before any
 * handler reads the input, except in the values of a plain form post: those reach `parseForm`, which re-renders the
 * form with the person's values (the NUL removed) and a message on each field that held one. Handlers that read a
 * form field without `parseForm` call `assertNoNulField`. A multipart upload's fields are read in its handler, which
 * makes the same check.
 */
export function assertNoNulBytes(request: { body?: unknown; query?: unknown; params?: unknown; headers?: Record<string, unknown> }) {
  if (holdsNulByte(request.params) || holdsNulByte(request.query) || (!isPlainFormBody(request) && holdsNulByte(request.body))) {
    throw new AppError('invalid', 'errors.nul_byte');
  }
}

/** For the few handlers that read a form field themselves (a token, a flag): a NUL byte there is a 422. */
export function assertNoNulField(body: unknown) {
  if (holdsNulByte(body)) throw new AppError('invalid', 'errors.nul_byte');
}

/** The fields of a form body that hold a NUL byte, and the body with those bytes removed. */
function withoutNulBytes(body: unknown): { fields: string[]; clean: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { fields: [], clean: body };
  const fields: string[] = [];
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (!holdsNulByte(v)) {
      clean[k] = v;
      continue;
    }
    fields.push(k);
    clean[k] = typeof v === 'string' ? v.replaceAll('\u0000', '') : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.replaceAll('\u0000', '') : x)) : v;
  }
  return { fields, clean };
}

/** Maps a Zod issue to a catalogue key: schemas may give their own key as message. */
export function issueKey(issue: z.core.$ZodIssue): string {
  if (issue.message && catalogue.fr[issue.message]) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return 'errors.required';
    case 'too_small':
      return (issue as { minimum?: number | bigint }).minimum === 1 ? 'errors.required' : 'errors.invalid_field';
    case 'too_big':
      return 'errors.too_long';
    case 'invalid_format':
      return (issue as { format?: string }).format === 'email' ? 'errors.email' : 'errors.invalid_field';
    default:
      return 'errors.invalid_field';
  }
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const { fields: nulFields, clean } = withoutNulBytes(body);
  const result = schema.safeParse(clean ?? {});
  if (result.success && !nulFields.length) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  // A NUL byte (pasted from another program, never typed) is named on its own field, whatever else the schema says.
  for (const field of nulFields) if (field !== '_csrf') errors[field] = 'errors.nul_field';
  if (nulFields.includes('_csrf')) errors._form = 'errors.nul_byte';
  for (const issue of result.success ? [] : result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : '_form';
    errors[field] ??= issueKey(issue);
  }
  return { ok: false, errors, values: formValues(clean) };
}

/**
 * Local paths only, so a `retour` parameter can never send someone to another site. Characters outside printable
 * ASCII are percent-encoded (a `Location` header cannot carry them); control characters refuse the path.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])[^\s]*$/.test(value) || /[\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    return value.replace(/[^\u0021-\u007e]+/g, (run) => encodeURIComponent(run));
  } catch {
    return fallback; // a lone surrogate cannot be encoded
  }
}

/**
 * For a form post: turns an AppError carrying field messages into errors to show on the form again;
 * anything else goes on to the error handler.
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (error instanceof AppError && Object.keys(error.fields).length) return error.fields;
  if (error instanceof AppError && (error.code === 'invalid' || error.code === 'conflict')) return { _form: error.message };
  throw error;
}

/** Status for a form re-rendered with errors. */
export const statusOf = (error: unknown) => (error instanceof AppError ? httpStatusOf[error.code] : 422);
