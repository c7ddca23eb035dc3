/**
 * Why a whole file cannot be imported: expected failures a user can cause, as values with a
 * kebab-case code the UI translates and an English message for the CLI and logs.
 */
export type ImportErrorCode =
  | 'file-too-large'
  | 'too-many-rows'
  | 'empty-file'
  | 'not-text'
  | 'not-xlsx'
  | 'no-header'
  | 'no-name-column'
  | 'unknown-format'
  | 'old-xls'
  | 'no-vcards'
  | 'bad-mapping'
  | 'bad-backup'
  | 'cancelled';

export interface ImportError {
  ok: false;
  code: ImportErrorCode;
  message: string;
  params?: Record<string, string | number>;
}

export type ImportResult<T> = { ok: true; value: T } | ImportError;

export function importError(code: ImportErrorCode, message: string, params?: Record<string, string | number>): ImportError {
  return params ? { ok: false, code, message, params } : { ok: false, code, message };
}

/** Limits an import holds to: past them the file is refused whole, with a clear message. */
export const IMPORT_LIMITS = {
  /** Bytes of one file. */
  maxBytes: 20 * 1024 * 1024,
  /** Data rows (after the header) of one sheet. */
  maxRows: 50_000,
  /** Columns of one sheet. */
  maxColumns: 200,
} as const;
