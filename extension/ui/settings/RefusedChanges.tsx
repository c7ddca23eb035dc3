/**
 * The local changes the server refused (kept on this device, never lost): which card, when,
 * why; retry one or all (they go back into the outbox), or export them as a file.
 */
import { useEffect, useState } from 'react';
import type { RefusedChange } from '../../store/db.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useDeviceSync, useStoreVersion } from '../common/use-store.ts';

/** Refusal codes the UI explains in the user's language; others show the server's words. */
const KNOWN_CODES = new Set(['not-found', 'bad-update', 'missing-dependencies', 'card-too-large', 'update-too-slow', 'bad-card-id', 'server-error']);

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
    update: btoa(String.fromCharCode(...row.update)),
  }));
  const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `refused-changes-${new Date().toISOString().slice(0, 10)}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function RefusedChanges() {
  const store = useDeviceSync();
  const version = useStoreVersion();
  const { language, t } = useLanguage();
  const [rows, setRows] = useState<Row[]>([]);

  useEffect(() => {
    let live = true;
    void store.refusedChanges().then(async (changes) => {
      const names = await Promise.all(changes.map((change) => store.getIndexRow(change.cardId).then((row) => row?.name ?? '')));
      if (live) setRows(changes.map((change, i) => ({ ...change, name: names[i]! })));
    });
    return () => {
      live = false;
    };
  }, [store, version]);

  if (rows.length === 0) return null;
  const retry = (indexes?: number[]) => void store.retryRefused(indexes);
  return (
    <section className="settings-section" data-testid="refused-changes">
      <h2>{t('refused.title', { count: rows.length })}</h2>
      <p className="muted">{t('refused.explain')}</p>
      <table className="refused-table">
        <thead>
          <tr>
            <th>{t('refused.card')}</th>
            <th>{t('refused.when')}</th>
            <th>{t('refused.why')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${row.cardId}-${row.at}-${i}`} data-testid="refused-row">
              <td>{row.name || t('refused.unnamed')}</td>
              <td>{formatDate(language, row.at)}</td>
              <td>{KNOWN_CODES.has(row.code) ? t(`refused.code.${row.code}` as MessageKey) : row.message}</td>
              <td>
                <button type="button" onClick={() => retry([i])} data-testid="refused-retry-one">
                  {t('refused.retry')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="settings-actions">
        <button type="button" className="primary" onClick={() => retry()} data-testid="refused-retry-all">
          {t('refused.retryAll')}
        </button>
        <button type="button" onClick={() => exportRefused(rows)} data-testid="refused-export">
          {t('refused.export')}
        </button>
      </div>
    </section>
  );
}
