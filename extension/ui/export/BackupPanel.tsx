/**
 * The backup screen: download every card's whole state with the settings and snoozes as one
 * file; restore one (a merge), told how many cards were new, merged and unchanged.
 */
import { useState } from 'react';
import { decodeBackup, encodeBackup } from '../../../shared/backup/backup-format.ts';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { importErrorText } from '../import/import-messages.ts';
import { workerBuiltRows } from '../import/worker-builds.ts';
import { downloadFile, today } from './download.ts';
import { askReadable, askToTakeOut, takeOutRefusal } from './take-out.ts';
import { useCustodyApi } from '../common/use-custody.ts';

export function BackupPanel() {
  const store = useStore();
  const { language, t } = useLanguage();
  const [working, setWorking] = useState('');
  const [message, setMessage] = useState('');
  const api = useCustodyApi();

  async function backup(): Promise<void> {
    setMessage('');
    setWorking(t('backup.working', { done: 0, total: '…' }));
    try {
      // The backup gets the CPU: moving an import's rows and such wait until it is written.
      await store.holdUpkeep(async () => {
        const data = await store.createBackup((done, total) => setWorking(t('backup.working', { done, total })));
        // Only the cards the server lets leave (never borrowed ones), the backup audited first.
        const answer = await askToTakeOut(store, api, 'backup', 'json', data.cards.map((card) => card.id));
        if (!answer.ok) {
          setMessage(takeOutRefusal(t, answer));
          return;
        }
        const allowed = new Set(answer.allowed);
        const cards = data.cards.filter((card) => allowed.has(card.id));
        downloadFile(encodeBackup({ ...data, cards }), `customer-cards-backup-${today()}.json`, 'application/json');
        setMessage([t('backup.written', { count: cards.length }), answer.leftOut > 0 ? t('backup.leftOut', { count: answer.leftOut }) : ''].filter(Boolean).join(' '));
      });
    } finally {
      setWorking('');
    }
  }

  async function restore(file: File): Promise<void> {
    setMessage('');
    setWorking(t('backup.working', { done: 0, total: '…' }));
    try {
      const decoded = decodeBackup(await file.text());
      if (!decoded.ok) {
        setMessage(importErrorText(t, decoded));
        return;
      }
      // Only cards the user may read now come back (a loan that ended, a card handed over: left out).
      const answer = await askReadable(store, api, decoded.value.cards.map((card) => card.id));
      if (!answer.ok) {
        setMessage(takeOutRefusal(t, answer, true));
        return;
      }
      const readable = new Set(answer.allowed);
      const backup = { ...decoded.value, cards: decoded.value.cards.filter((card) => readable.has(card.id)) };
      const result = await store.restoreBackup(backup, (done, total) => setWorking(t('backup.working', { done, total })), { prebuilt: workerBuiltRows() });
      const leftOut = answer.leftOut > 0 ? ` ${t('restore.leftOut', { count: answer.leftOut })}` : '';
      setMessage(result.ok ? t('backup.restored', { new: result.value.new, merged: result.value.merged, unchanged: result.value.unchanged, settings: result.value.settings }) + leftOut : errorMessage(language, result));
    } finally {
      setWorking('');
    }
  }

  return (
    <div className="backup-panel" data-testid="backup-panel">
      <section>
        <h3>{t('backup.title')}</h3>
        <p className="muted">{t('backup.hint')}</p>
        <button type="button" data-testid="backup-download" disabled={!!working} onClick={() => void backup()}>
          {t('backup.download')}
        </button>
      </section>
      <section>
        <h3>{t('backup.restore')}</h3>
        <p className="muted">{t('backup.restoreHint')}</p>
        <input type="file" accept=".json" data-testid="backup-restore" disabled={!!working} onChange={(event) => event.target.files?.[0] && void restore(event.target.files[0])} />
      </section>
      {working ? <p className="muted">{working}</p> : null}
      {message ? <p data-testid="backup-message">{message}</p> : null}
    </div>
  );
}
