/**
 * Expected failures are values, not exceptions: every mutation and every operation a user can
 * cause returns a Result. `code` is a stable kebab-case reason the UI translates; `message` is a
 * readable English sentence for logs and tests; `field` names the input at fault.
 */
export const ERROR_CODES = [
  'invalid-email',
  'empty-name',
  'unknown-card',
  'unknown-contact',
  'unknown-entry',
  'unknown-field',
  'invalid-value',
  'too-long',
  'reason-required',
  'invalid-domain',
  'invalid-date',
  'invalid-amount',
  'storage-full',
  'storage-failed',
  'not-allowed',
  'card-full',
  'already-corrected',
  'already-merged',
  'merged-card',
  'merge-undone',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  ok: false;
  code: ErrorCode;
  message: string;
  field?: string;
  params?: Record<string, string | number>;
}

export type Result<T> = { ok: true; value: T } | AppError;

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, field?: string, params?: Record<string, string | number>): AppError {
  const error: AppError = { ok: false, code, message };
  if (field !== undefined) error.field = field;
  if (params !== undefined) error.params = params;
  return error;
}
