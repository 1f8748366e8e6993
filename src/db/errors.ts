/**
 * The one place that reads driver errors (house rule 5): the database says no, this turns it into an AppError.
 * PGlite and pg both expose the SQLSTATE as `code` and the constraint name as `constraint`.
 */
import { AppError } from '../shared/app-error.js';

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  notNullViolation: '23502',
  serializationFailure: '40001',
} as const;

interface DriverError {
  code?: string;
  constraint?: string;
}

export function sqlState(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as DriverError).code : undefined;
}

export function constraintOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as DriverError).constraint : undefined;
}

export const isUniqueViolation = (e: unknown, constraint?: string) =>
  sqlState(e) === SQLSTATE.uniqueViolation && (!constraint || constraintOf(e) === constraint);

export const isForeignKeyViolation = (e: unknown) => sqlState(e) === SQLSTATE.foreignKeyViolation;

export const isExclusionViolation = (e: unknown) => sqlState(e) === SQLSTATE.exclusionViolation;

/**
 * Maps a constraint failure to a conflict/invalid AppError with the given message key; anything else is rethrown.
 */
export function translateDbError(e: unknown, messages: Partial<Record<string, string>> = {}): never {
  const state = sqlState(e);
  const constraint = constraintOf(e);
  const key = (constraint && messages[constraint]) || undefined;
  if (state === SQLSTATE.uniqueViolation || state === SQLSTATE.exclusionViolation) {
    throw new AppError('conflict', key ?? 'errors.conflict');
  }
  if (state === SQLSTATE.checkViolation || state === SQLSTATE.foreignKeyViolation || state === SQLSTATE.notNullViolation) {
    throw new AppError('invalid', key ?? 'errors.invalid');
  }
  throw e;
}
