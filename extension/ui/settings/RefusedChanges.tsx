/**
 * The local changes the server refused, kept on this device until the user resolves them: each
 * with its card, the change in words, the reason in the user's language and what to do about it
 * (refused-words.ts). Retry (back into the outbox), propose a controlled change to the manager
 * instead, export as a file, or discard after a confirmation (the card comes back from the server).
 */
import { useEffect, useState } from 'react';
import type { RefusedChange } from '../../store/db.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { SYNC_AGAIN } from '../../sync/settings.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { custodyFailureText } from '../common/custody-failure.ts';
import { useDeviceSync, useStoreVersion } from '../common/use-store.ts';
import { useSyncStatus } from '../common/use-sync-status.ts';
import { changeInWords, controlledSteps, reasonInWords, todoOf } from './refused-words.ts';

interface Row extends RefusedChange {
  name: string;
}

function exportRefused(rows: Row[]): void {
  const body = rows.map((row) => ({
    card: row.name || row.cardId,
    cardId: row.cardId,
    refusedAt: new Date(row.at).toISOString(),
    code: row.code,
    reason: row.message,
    steps: row.steps ?? [],
    update: btoa(Array.from(row.update, (byte) => String.fromCharCode(byte)).join('')),
  }));
  const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `refused-changes-${new Date().toISOString().slice(0, 10)}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A refused new card (its creation among its steps): the server never had it, so a discard removes it from this device. */
const isNewCard = (row: RefusedChange) => (row.steps ?? []).some((step) => step.mutation === 'card-create');

const syncAgain = () => chrome.runtime.sendMessage({ type: SYNC_AGAIN }).catch(() => undefined);

/** One card's refused changes given up: asked first, in words. */
function DiscardButton({ label, question, onConfirm, testId }: { label: string; question: string; onConfirm: () => Promise<void>; testId: string }) {
  const { t } = useLanguage();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} data-testid={testId}>
        {label}
      </button>
    );
  return (
    <span className="refused-confirm" role="alertdialog" data-testid={`${testId}-confirm`}>
      <span>{question}</span>{' '}
      <button type="button" className="danger" onClick={() => void onConfirm().finally(() => setAsking(false))} data-testid={`${testId}-yes`}>
        {label}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        {t('cardPage.cancel')}
      </button>
    </span>
  );
}

function ProposeInstead({ row, onDone }: { row: Row; onDone: (message: string) => void }) {
  const { language, t } = useLanguage();
  const api = useCustodyApi();
  const store = useDeviceSync();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="refused-propose">
        {t('refused.proposeInstead')}
      </button>
    );
  if (!api) return <span className="muted">{t('refused.signInToPropose')}</span>;
  const send = async () => {
    try {
      for (const step of controlledSteps(row)) await api.propose(row.cardId, step.target, step.to, reason.trim());
      await store.discardRefused([row.cardId]);
      await syncAgain();
      onDone(t('refused.proposed'));
    } catch (failure) {
      setError(custodyFailureText(language, failure));
    }
  };
  return (
    <form
      className="refused-propose"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label>
        {t('refused.proposeReason')} <input value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="refused-propose-reason" />
      </label>{' '}
      <button type="submit" className="primary" data-testid="refused-propose-send">
        {t('refused.proposeSend')}
      </button>
      {error ? (
        <span className="error" lang={language}>
          {' '}
          {error}
        </span>
      ) : null}
    </form>
  );
}

export function RefusedChanges() {
  const store = useDeviceSync();
  const version = useStoreVersion();
  // A refusal changes no card here: the sync status's count tells the list to read again.
  const refusedCount = useSyncStatus().refused ?? 0;
  const { language, t } = useLanguage();
  const [rows, setRows] = useState<Row[]>([]);
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    let live = true;
    void store.refusedChanges().then(async (changes) => {
      const names = await Promise.all(changes.map((change) => store.getIndexRow(change.cardId).then((row) => row?.name ?? '')));
      if (live) setRows(changes.map((change, i) => ({ ...change, name: names[i]! })));
    });
    return () => {
      live = false;
    };
  }, [store, version, refusedCount]);

  const discard = async (cardIds: string[]) => {
    const result = await store.discardRefused([...new Set(cardIds)]);
    if (result.resync) await syncAgain();
    setNotice(t('refused.discarded'));
  };

  if (rows.length === 0) return notice ? <p className="muted" data-testid="refused-notice">{notice}</p> : null;
  const retry = (ids?: number[]) => void store.retryRefused(ids);
  return (
    <section className="settings-section refused-changes" id="refused" data-testid="refused-changes">
      <h2>{t('refused.list.title', { count: rows.length })}</h2>
      <p className="muted">{t('refused.list.explain')}</p>
      {notice ? (
        <p className="muted" data-testid="refused-notice">
          {notice}
        </p>
      ) : null}
      <div className="settings-actions">
        <button type="button" className="primary" onClick={() => retry()} data-testid="refused-retry-all">
          {t('refused.retryAll')}
        </button>
        <button type="button" onClick={() => exportRefused(rows)} data-testid="refused-export">
          {t('refused.export')}
        </button>
        <DiscardButton label={t('refused.discardAll')} question={t('refused.discardAllConfirm', { count: rows.length })} onConfirm={() => discard(rows.map((row) => row.cardId))} testId="refused-discard-all" />
      </div>
      <table className="refused-table">
        <thead>
          <tr>
            <th>{t('refused.card')}</th>
            <th>{t('refused.change')}</th>
            <th>{t('refused.why')}</th>
            <th>{t('refused.todo')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const todo = todoOf(row);
            return (
              <tr key={row.id} data-testid="refused-row" data-code={row.code}>
                <td>
                  <div>{row.name || t('refused.unnamed')}</div>
                  <div className="muted">{formatDate(language, row.at)}</div>
                </td>
                <td data-testid="refused-change">
                  {changeInWords(language, row).map((line, i) => (
                    <div key={i}>{line}</div>
                  ))}
                </td>
                <td data-testid="refused-reason">{reasonInWords(language, row)}</td>
                <td data-testid="refused-todo">{t(`refused.todo.${todo}` as MessageKey)}</td>
                <td className="refused-actions">
                  {todo === 'propose' ? <ProposeInstead row={row} onDone={setNotice} /> : null}
                  {todo === 'retry' || todo === 'access' ? (
                    <button type="button" onClick={() => retry([row.id!])} data-testid="refused-retry-one">
                      {t('refused.retry')}
                    </button>
                  ) : null}
                  <DiscardButton
                    label={t('refused.discard')}
                    question={t(isNewCard(row) ? 'refused.discardNewConfirm' : 'refused.discardConfirm', { card: row.name || t('refused.unnamed') })}
                    onConfirm={() => discard([row.cardId])}
                    testId="refused-discard"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
