import { useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

export function QuickNote({ cardId }: { cardId: string }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const [text, setText] = useState('');
  const [notContact, setNotContact] = useState(false);
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  const save = async () => {
    if (!text.trim() || status.kind === 'saving') return;
    setStatus({ kind: 'saving' });
    // A quick note is a contact with the customer (it restarts the cadence) unless marked otherwise.
    const result = await store.mutate({ type: 'note-add', cardId, text, ...(notContact ? {} : { contact: true }) });
    if (result.ok) {
      setText('');
      setNotContact(false);
      setStatus({ kind: 'saved' });
    } else {
      setStatus({ kind: 'error', message: errorMessage(language, result) });
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <form
      className="quick-note"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        id="quick-note"
        data-testid="quick-note"
        value={text}
        rows={3}
        maxLength={20_000}
        placeholder={t('note.placeholder')}
        onChange={(event) => {
          setText(event.target.value);
          if (status.kind !== 'idle') setStatus({ kind: 'idle' });
        }}
        onKeyDown={onKeyDown}
      />
      <div className="quick-note-actions">
        <label className="not-contact" title={t('note.notContactHint')}>
          <input type="checkbox" checked={notContact} onChange={(e) => setNotContact(e.target.checked)} data-testid="note-not-contact" /> {t('note.notContact')}
        </label>
        {status.kind === 'error' ? <span className="error" role="alert">{status.message}</span> : null}
        {status.kind === 'saved' ? <span className="saved" role="status">{t('note.saved')}</span> : null}
        <button type="submit" className="primary" disabled={!text.trim() || status.kind === 'saving'} data-testid="save-note">
          {t('note.save')}
        </button>
      </div>
    </form>
  );
}
