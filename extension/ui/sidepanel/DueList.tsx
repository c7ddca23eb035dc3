/** The due list: overdue, today and this week, each with its context and actions. */
import { useEffect, useState } from 'react';
import type { Bucket, DueItem } from '../../../shared/reminders/due.ts';
import { doneMutation } from '../../../shared/reminders/due.ts';
import { describeDue, describeWhen } from '../../reminders/describe.ts';
import { loadDueItems, snoozeItem } from '../../reminders/due-list.ts';
import { useReadOnlyLoans } from '../common/card-access.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';

const DAY = 86_400_000;
const BUCKETS: Bucket[] = ['overdue', 'today', 'this-week'];

export function useDueItems(): DueItem[] | undefined {
  const store = useStore();
  const version = useStoreVersion();
  const [items, setItems] = useState<DueItem[]>();
  useEffect(() => {
    let live = true;
    void loadDueItems(store, Date.now()).then((found) => live && setItems(found.items));
    return () => {
      live = false;
    };
  }, [store, version]);
  return items;
}

/** `readOnly`: the card is on a read-only loan: "done" (a note on the card) is not offered, the server would refuse it. */
function Item({ item, readOnly, onOpen, onActed }: { item: DueItem; readOnly: boolean; onOpen: (cardId: string) => void; onActed: () => void }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const [pick, setPick] = useState('');
  const context = item.context;
  return (
    <li className={`due-item due-${item.bucket}`} data-testid="due-item" data-kind={item.kind}>
      <div className="due-head">
        <strong>{context.cardName}</strong>
        <span className={item.bucket === 'overdue' ? 'error' : 'muted'}>{describeWhen(language, item)}</span>
      </div>
      <div>{describeDue(language, item)}</div>
      {context.lastNotes.length > 0 ? <div className="due-context">{t('due.lastNotes')}: {context.lastNotes.join(' · ')}</div> : null}
      {context.familyNames.length > 0 ? <div className="due-context">{t('due.family')}: {context.familyNames.join(', ')}</div> : null}
      {context.caresAbout.length > 0 ? <div className="due-context">{t('due.caresAbout')}: {context.caresAbout.join(' · ')}</div> : null}
      <div className="due-actions">
        {readOnly ? null : <button type="button" className="primary" data-testid="due-done" onClick={() => void store.mutate(doneMutation(item, Date.now(), t('due.doneNote', { what: describeDue(language, item) }))).then((result) => result.ok && onActed())}>
          {t('due.done')}
        </button>}
        <button type="button" data-testid="due-snooze-day" onClick={() => void snoozeItem(store, item.id, Date.now() + DAY).then(onActed)}>
          {t('due.snoozeDay')}
        </button>
        <button type="button" onClick={() => void snoozeItem(store, item.id, Date.now() + 7 * DAY).then(onActed)}>
          {t('due.snoozeWeek')}
        </button>
        <label className="due-pick">
          {t('due.snoozePick')}
          <input
            type="date"
            value={pick}
            onChange={(e) => {
              setPick(e.target.value);
              const [y, m, d] = e.target.value.split('-').map(Number) as [number, number, number];
              if (y) void snoozeItem(store, item.id, new Date(y, m - 1, d).getTime()).then(onActed);
            }}
          />
        </label>
        <button type="button" className="link" onClick={() => onOpen(item.cardId)}>
          {t('due.open')}
        </button>
      </div>
    </li>
  );
}

/** `total`: how many items there are in all when `items` holds only the first of them. */
export function DueList({ items, total, onOpen, onMore }: { items: DueItem[]; total?: number; onOpen: (cardId: string) => void; onMore?: () => void }) {
  const { t } = useLanguage();
  const [acted, setActed] = useState<ReadonlySet<string>>(new Set());
  const readOnly = useReadOnlyLoans();
  // An item acted on (done, snoozed) leaves the list at once; the next check confirms it.
  useEffect(() => setActed(new Set()), [items]);
  const shown = items.filter((item) => !acted.has(item.id));
  if (shown.length === 0) return <p className="muted" data-testid="due-none">{t('due.none')}</p>;
  const more = (total ?? items.length) - items.length;
  return (
    <section className="due-list" data-testid="due-list">
      {BUCKETS.map((bucket) => {
        const inBucket = shown.filter((item) => item.bucket === bucket);
        if (inBucket.length === 0) return null;
        return (
          <div key={bucket}>
            <h2 className="section-title">{t(`due.${bucket}`)}</h2>
            <ul className="due-items">
              {inBucket.map((item) => (
                <Item key={item.id} item={item} readOnly={readOnly.has(item.cardId)} onOpen={onOpen} onActed={() => setActed(new Set([...acted, item.id]))} />
              ))}
            </ul>
          </div>
        );
      })}
      {more > 0 ? (
        <p className="muted due-more" data-testid="due-more">
          {t('due.more', { count: more })}{' '}
          {onMore ? (
            <button type="button" className="link" onClick={onMore}>
              {t('dashboard.open')}
            </button>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
