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

/**
 * The one check for NUL bytes in what a request carries (form or JSON body, query string, path): no form, page or
 * API route ever wants one, and PostgreSQL would answer the insert with an error. Refused with 400 before any
 * handler reads the input. A multipart upload's fields are read in its handler, which makes the same check.
 */
export function assertNoNulBytes(request: { body?: unknown; query?: unknown; params?: unknown }) {
  if (holdsNulByte(request.params) || holdsNulByte(request.query) || holdsNulByte(request.body)) {
    throw new AppError('invalid', 'errors.nul_byte');
  }
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
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : '_form';
    errors[field] ??= issueKey(issue);
  }
  return { ok: false, errors, values: formValues(body) };
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
