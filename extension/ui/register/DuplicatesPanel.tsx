/**
 * The register's duplicates view: pairs of cards that look like one customer (shared/import/
 * duplicate-pairs.ts, with pinyin loaded here), why, and a merge for the user who may write both
 * cards (shared/rights: a rep their own, a manager the team's), with an undo right after.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CardIndexRow, MergeFacts } from '../../../shared/card-types.ts';
import { findDuplicatePairs, type DuplicatePair } from '../../../shared/import/duplicate-pairs.ts';
import type { PinyinConverter } from '../../../shared/pinyin.ts';
import { errorMessage, personName, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { mergeCards, undoMerge } from './merge-cards.ts';

interface Props {
  rows: readonly CardIndexRow[];
  /** Whether the user may write (so merge) this card. */
  mayMerge: (row: CardIndexRow) => boolean;
  onOpen: (cardId: string) => void;
  onClose: () => void;
}

export function DuplicatesPanel({ rows, mayMerge, onOpen, onClose }: Props) {
  const { language, t } = useLanguage();
  const store = useStore();
  const [convert, setConvert] = useState<PinyinConverter | null>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ facts: MergeFacts; undone: boolean }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    import('../../../shared/pinyin-convert.ts').then(
      (mod) => live && setConvert(() => mod.toSyllables),
      () => live && setConvert(null),
    );
    return () => {
      live = false;
    };
  }, []);
  const byId = useMemo(() => new Map(rows.map((row) => [row.id, row])), [rows]);
  const pairs = useMemo(() => (convert === undefined ? undefined : findDuplicatePairs(rows, convert ?? undefined)), [rows, convert]);

  const merge = async (keep: string, retire: string) => {
    setBusy(true);
    setError(undefined);
    const result = await mergeCards(store, keep, retire);
    setBusy(false);
    if (result.ok) setDone({ facts: result.value, undone: false });
    else setError(errorMessage(language, result));
  };
  const undo = async (facts: MergeFacts) => {
    setBusy(true);
    const result = await undoMerge(store, facts);
    setBusy(false);
    if (result.ok) setDone({ facts, undone: true });
    else setError(errorMessage(language, result));
  };

  const side = (row: CardIndexRow) => (
    <span className="duplicate-card">
      <button type="button" className="link" onClick={() => onOpen(row.id)}>
        {row.name}
      </button>
      <span className="muted">
        {' '}
        {[row.city, row.owner ? personName(language, row.owner) : '', row.primaryContact].filter(Boolean).join(' · ')}
      </span>
    </span>
  );
  const line = (pair: DuplicatePair) => {
    const a = byId.get(pair.a);
    const b = byId.get(pair.b);
    if (!a || !b) return null;
    const allowed = mayMerge(a) && mayMerge(b);
    return (
      <li key={`${pair.a}-${pair.b}`} data-testid="duplicate-pair">
        <div className="duplicate-sides">
          {side(a)}
          <span aria-hidden="true"> ⇄ </span>
          {side(b)}
        </div>
        <div className="duplicate-why muted">{pair.reasons.map((r) => t(`merge.reason.${r}` as MessageKey)).join(' · ')}</div>
        {allowed ? (
          <div className="duplicate-actions">
            <button type="button" disabled={busy} data-testid="merge-keep-a" onClick={() => void merge(a.id, b.id)}>
              {t('merge.into', { name: a.name })}
            </button>
            <button type="button" disabled={busy} data-testid="merge-keep-b" onClick={() => void merge(b.id, a.id)}>
              {t('merge.into', { name: b.name })}
            </button>
          </div>
        ) : (
          <p className="muted">{t('merge.notYours')}</p>
        )}
      </li>
    );
  };

  return (
    <section className="duplicates" data-testid="duplicates">
      <div className="duplicates-head">
        <h2>{t('merge.title')}</h2>
        <button type="button" onClick={onClose}>
          {t('merge.close')}
        </button>
      </div>
      <p className="muted">{t('merge.hint')}</p>
      {done ? (
        <p role="status" data-testid="merge-status">
          {t(done.undone ? 'merge.undone' : 'merge.done', { from: done.facts.fromName, into: done.facts.intoName })}{' '}
          {done.undone ? null : (
            <button type="button" disabled={busy} data-testid="merge-undo" onClick={() => void undo(done.facts)}>
              {t('merge.undo')}
            </button>
          )}
        </p>
      ) : null}
      {busy ? <p className="muted">{t('merge.working')}</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      {pairs === undefined ? <p className="muted">{t('merge.finding')}</p> : pairs.length === 0 ? <p data-testid="no-duplicates">{t('merge.none')}</p> : <ul className="duplicate-list">{pairs.map(line)}</ul>}
    </section>
  );
}
