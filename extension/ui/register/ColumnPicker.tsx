/** Which register columns are shown and in which order. */
import { useState } from 'react';
import { useLanguage } from '../common/use-language.tsx';
import { columnLabelKey } from './cells.ts';
import { COLUMNS, type ColumnKey } from './register-view.ts';

export function ColumnPicker({ columns, onChange }: { columns: ColumnKey[]; onChange: (columns: ColumnKey[]) => void }) {
  const { t } = useLanguage();
  const [open, setOpen] = useState(false);
  const ordered = [...columns, ...COLUMNS.filter((c) => !columns.includes(c))];
  const toggle = (key: ColumnKey) => {
    if (key === 'name') return; // the customer's name is always shown
    onChange(columns.includes(key) ? columns.filter((c) => c !== key) : [...columns, key]);
  };
  const move = (key: ColumnKey, by: number) => {
    const at = columns.indexOf(key);
    const to = at + by;
    if (at < 0 || to < 0 || to >= columns.length) return;
    const next = [...columns];
    next.splice(at, 1);
    next.splice(to, 0, key);
    onChange(next);
  };
  return (
    <details className="filter-choice" data-testid="column-picker" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('register.columns')}</summary>
      {open ? <div className="filter-menu column-menu">
        {ordered.map((key) => (
          <div key={key} className="column-line">
            <label>
              <input type="checkbox" data-testid={`column-${key}`} checked={columns.includes(key)} disabled={key === 'name'} onChange={() => toggle(key)} /> {t(columnLabelKey(key))}
            </label>
            {columns.includes(key) ? (
              <span>
                <button type="button" className="mini" title={t('register.moveUp')} aria-label={t('register.moveUp')} onClick={() => move(key, -1)}>
                  ↑
                </button>
                <button type="button" className="mini" title={t('register.moveDown')} aria-label={t('register.moveDown')} onClick={() => move(key, 1)}>
                  ↓
                </button>
              </span>
            ) : null}
          </div>
        ))}
      </div> : null}
    </details>
  );
}
