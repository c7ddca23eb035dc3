/**
 * Finding customers from the register: by name, pinyin (huaxin, hxmy, 华xin), email, domain,
 * phone digits or 统一编号; or "who knows about X" over people's profiles and timeline notes,
 * each result saying where it matched (never a sensitive field).
 */
import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { formatDate, labelOf, type MessageKey } from '../../i18n/index.ts';
import type { WhoKnowsHit } from '../../store/api.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

type Mode = 'find' | 'who';

export function FindBox({ onOpen }: { onOpen: (id: string) => void }) {
  const { language, t } = useLanguage();
  const store = useStore();
  const [mode, setMode] = useState<Mode>('find');
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CardIndexRow[]>();
  const [known, setKnown] = useState<WhoKnowsHit[]>();
  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setFound(undefined);
      setKnown(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      if (mode === 'find') void store.search(text, 12).then((rows) => live && (setFound(rows), setKnown(undefined)));
      else void store.whoKnows(text, 12).then((hits) => live && (setKnown(hits), setFound(undefined)));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [store, query, mode]);
  const empty = (found && found.length === 0) || (known && known.length === 0);
  return (
    <div className="find-box" data-testid="find-box">
      <div className="find-inputs">
        <select aria-label={t('find.whoKnows')} data-testid="find-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
          <option value="find">{t('find.mode')}</option>
          <option value="who">{t('find.whoKnows')}</option>
        </select>
        <input
          type="search"
          data-testid="find-input"
          placeholder={mode === 'find' ? t('find.placeholder') : t('find.whoKnowsPlaceholder')}
          value={query}
          onFocus={() => store.prepareSearch()}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {empty ? <p className="muted">{t('find.noResults', { query: query.trim() })}</p> : null}
      {found && found.length > 0 ? (
        <ul className="find-results" data-testid="find-results">
          {found.map((row) => (
            <li key={row.id}>
              <button type="button" className="link" onClick={() => onOpen(row.id)}>{row.name}</button> <span className="muted">{[row.city, row.primaryContact].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {known && known.length > 0 ? (
        <ul className="find-results" data-testid="who-knows-results">
          {known.map((hit) => (
            <li key={hit.row.id}>
              <button type="button" className="link" onClick={() => onOpen(hit.row.id)}>{hit.row.name}</button>
              {hit.matches.map((match, i) => (
                <div key={i} className="where-matched">
                  {match.kind === 'profile'
                    ? `${match.person} · ${labelOf(language, match.label)}: ${match.excerpt}`
                    : `${t('find.inTimeline', { kind: t(`kind.${match.entryKind}` as MessageKey), date: formatDate(language, match.at) })}: ${match.excerpt}`}
                </div>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
