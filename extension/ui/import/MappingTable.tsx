/** The mapping step: each column of the file, its first values, and the field it goes to. */
import { useMemo } from 'react';
import { contactFieldByKey } from '../../../shared/contact-fields.ts';
import { fieldByKey } from '../../../shared/fields.ts';
import { allTargets, MULTI_TARGETS, NAME_PART_TARGETS, NOTE_TARGET } from '../../../shared/import/headers.ts';
import type { Mapping } from '../../../shared/import/types.ts';
import { labelOf, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

interface Props {
  headers: string[];
  sample: string[][];
  mapping: Mapping;
  onChange: (mapping: Mapping) => void;
}

export function MappingTable({ headers, sample, mapping, onChange }: Props) {
  const { language, t } = useLanguage();
  const options = useMemo(() => {
    const card: [string, string][] = [];
    const person: [string, string][] = [];
    for (const target of allTargets()) {
      if (target === NOTE_TARGET) continue;
      if ((NAME_PART_TARGETS as readonly string[]).includes(target)) person.push([target, t(`import.target.${target.slice('contact.'.length)}` as MessageKey)]);
      else if (target.startsWith('contact.')) {
        const key = target.slice('contact.'.length);
        const def = contactFieldByKey(key);
        const label = def ? labelOf(language, def.label) : key === 'role' ? (language === 'zh-CN' ? '角色' : 'Role') : key;
        // Shown alone once chosen, so it says whose: "Person: Name", not "Name".
        person.push([target, `${t('import.groupPerson')}: ${label}`]);
      } else {
        const def = fieldByKey(target);
        if (def) card.push([target, labelOf(language, def.label)]);
      }
    }
    return { card, person };
  }, [language, t]);
  return (
    <table className="table import-mapping" data-testid="import-mapping">
      <thead>
        <tr>
          <th>{t('import.column')}</th>
          <th>{t('import.samples')}</th>
          <th>{t('import.target')}</th>
        </tr>
      </thead>
      <tbody>
        {headers.map((header, i) => (
          <tr key={`${i}-${header}`}>
            <td>{header || `#${i + 1}`}</td>
            <td className="muted import-sample">{sample.map((row) => row[i] ?? '').filter(Boolean).slice(0, 3).join(' · ')}</td>
            <td>
              <select
                data-testid={`map-${i}`}
                value={mapping[i] ?? ''}
                onChange={(event) => {
                  const next = headers.map((_, c) => mapping[c] ?? '');
                  // A target goes to one column: choosing it here frees it elsewhere (except
                  // those several columns share: emails, phones, address and name parts, notes).
                  const target = event.target.value;
                  for (let c = 0; c < next.length; c++) if (target && next[c] === target && !MULTI_TARGETS.has(target)) next[c] = '';
                  next[i] = target;
                  onChange(next);
                }}
              >
                <option value="">{t('import.ignore')}</option>
                <optgroup label={t('import.groupCard')}>
                  {options.card.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t('import.groupPerson')}>
                  {options.person.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </optgroup>
                <option value={NOTE_TARGET}>{t('import.noteTarget')}</option>
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
