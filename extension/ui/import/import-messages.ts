/** How the import screens word the shared import module's codes, in the UI language. */
import type { ImportError } from '../../../shared/import/errors.ts';
import type { ImportNote } from '../../../shared/import/types.ts';
import type { MessageKey } from '../../i18n/index.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function importErrorText(t: T, error: Pick<ImportError, 'code' | 'params' | 'message'>): string {
  const key = `importErrors.${error.code}` as MessageKey;
  const text = t(key, error.params ?? {});
  return text === key ? error.message : text;
}

export function noteText(t: T, note: ImportNote): string {
  if (note.code === 'export-format') return t('import.note.export-format', { format: t(`import.format.${String(note.params?.format)}` as MessageKey) });
  return t(`import.note.${note.code}` as MessageKey, note.params ?? {});
}
