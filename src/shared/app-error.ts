/**
 * The one error type of the application. Services throw it; the HTTP layer maps the code to a status
 * (see web/errors.ts). `fields` carries per-field messages (i18n keys) for form re-rendering.
 */
export type ErrorCode = 'not_found' | 'forbidden' | 'unauthenticated' | 'invalid' | 'conflict' | 'rate_limited' | 'unavailable';

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    /** An i18n key (or plain text for logs) describing the problem. */
    message: string,
    public readonly fields: Record<string, string> = {},
    public readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  invalid: 422,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
