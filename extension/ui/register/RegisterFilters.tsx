/** The register's filters: choices per attribute (any of them), yes/no flags, "not updated in N days". */
import { useMemo, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { valueLabel } from './cells.ts';
import { choicesOf, FLAG_FILTERS, LIST_FILTERS, type FlagFilter, type ListFilter, type RegisterView } from './register-view.ts';

const STALE_CHOICES = [0, 7, 30, 60, 90, 180, 365];
/** Most choices listed in one filter (the rest are reachable through the URL). */
const MAX_CHOICES = 60;

function ListChoice({ rows, filter, view, teams, onChange }: { rows: readonly CardIndexRow[]; filter: ListFilter; view: RegisterView; teams?: ReadonlyMap<string, string>; onChange: (v: RegisterView) => void }) {
  const { language, t } = useLanguage();
  // The choices are counted and drawn only while the menu is open (eight menus of up to 60
  // choices each cost a filter click tens of milliseconds at 10,000 cards otherwise).
  const [open, setOpen] = useState(false);
  const choices = useMemo(() => (open ? choicesOf(rows, filter, teams).slice(0, MAX_CHOICES) : []), [rows, filter, open, teams]);
  const chosen = view.lists[filter] ?? [];
  const toggle = (value: string) => {
    const next = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
    onChange({ ...view, lists: { ...view.lists, [filter]: next } });
  };
  return (
    <details className={`filter-choice${chosen.length > 0 ? ' active' : ''}`} data-testid={`filter-${filter}`} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {t(`register.filter.${filter}` as MessageKey)}
        {chosen.length > 0 ? `: ${chosen.map((v) => valueLabel(language, filter, v)).join(', ')}` : ''}
      </summary>
      {open ? <div className="filter-menu">
        {choices.length === 0 ? <p className="muted">{t('desk.none')}</p> : null}
        {choices.map((choice) => (
          <label key={choice.value}>
            <input type="checkbox" checked={chosen.includes(choice.value)} onChange={() => toggle(choice.value)} /> {valueLabel(language, filter, choice.value)} <span className="muted">{choice.count}</span>
          </label>
        ))}
      </div> : null}
    </details>
  );
}

export function RegisterFilters({ rows, view, teams, onChange }: { rows: readonly CardIndexRow[]; view: RegisterView; teams?: ReadonlyMap<string, string>; onChange: (v: RegisterView) => void }) {
  const { t } = useLanguage();
  const toggleFlag = (flag: FlagFilter) => onChange({ ...view, flags: view.flags.includes(flag) ? view.flags.filter((f) => f !== flag) : [...view.flags, flag] });
  const any = view.flags.length > 0 || view.staleDays > 0 || Object.values(view.lists).some((v) => v && v.length > 0);
  return (
    <div className="register-filters" data-testid="register-filters">
      {LIST_FILTERS.filter((filter) => filter !== 'team' || (teams && teams.size > 0)).map((filter) => (
        <ListChoice key={filter} rows={rows} filter={filter} view={view} teams={teams} onChange={onChange} />
      ))}
      {FLAG_FILTERS.map((flag) => (
        <label key={flag} className={`filter-flag${view.flags.includes(flag) ? ' active' : ''}`}>
          <input type="checkbox" data-testid={`flag-${flag}`} checked={view.flags.includes(flag)} onChange={() => toggleFlag(flag)} /> {t(`register.flag.${flag}` as MessageKey)}
        </label>
      ))}
      <label className={`filter-flag${view.staleDays > 0 ? ' active' : ''}`}>
        {t('register.stale')}{' '}
        <select data-testid="filter-stale" value={view.staleDays} onChange={(e) => onChange({ ...view, staleDays: Number(e.target.value) })}>
          {STALE_CHOICES.map((days) => (
            <option key={days} value={days}>
              {days === 0 ? t('register.staleOff') : t('register.staleDays', { days })}
            </option>
          ))}
        </select>
      </label>
      {any ? (
        <button type="button" className="link" onClick={() => onChange({ ...view, lists: {}, flags: [], staleDays: 0 })}>
          {t('register.clearFilters')}
        </button>
      ) : null}
    </div>
  );
}
