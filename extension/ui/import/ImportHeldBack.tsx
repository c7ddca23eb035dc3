/** The preview's list of columns the import will not write, each with what happens to it and why (import-rules.ts). */
import { fieldByKey } from '../../../shared/fields.ts';
import { fieldName } from '../common/field-name.ts';
import { useLanguage } from '../common/use-language.tsx';
import type { HeldBackColumn } from './import-rules.ts';

export function ImportHeldBack({ held }: { held: readonly HeldBackColumn[] }) {
  const { language, t } = useLanguage();
  if (held.length === 0) return null;
  return (
    <section className="import-held-back" data-testid="import-held-back">
      <h3>{t('importRules.title', { count: held.length })}</h3>
      <ul>
        {held.map((column) => {
          const def = fieldByKey(column.field);
          const params = { column: column.column, field: def ? fieldName(language, def) : column.field };
          return (
            <li key={`${column.column}-${column.field}`} data-testid="import-held-back-column" data-outcome={column.outcome}>
              {column.outcome === 'propose' ? t('importRules.propose', params) : t('importRules.leftOut', params)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
