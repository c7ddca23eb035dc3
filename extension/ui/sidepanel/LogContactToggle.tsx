/** "Log a contact" on a card (side panel, card page): a button that opens the one-step form, and says when it is logged. */
import { useState } from 'react';
import type { ContactView } from '../../../shared/card-types.ts';
import { LogContact } from '../common/LogContact.tsx';
import { useLanguage } from '../common/use-language.tsx';

export function LogContactToggle({ cardId, people }: { cardId: string; people: readonly ContactView[] }) {
  const { t } = useLanguage();
  const [open, setOpen] = useState(false);
  const [logged, setLogged] = useState(false);
  if (!open) {
    return (
      <p className="log-contact-open">
        <button type="button" onClick={() => (setOpen(true), setLogged(false))} data-testid="log-contact-open">
          {t('log.open')}
        </button>
        {logged ? <span className="saved" role="status" data-testid="log-saved">{t('log.saved')}</span> : null}
      </p>
    );
  }
  return <LogContact cardId={cardId} people={people} onLogged={() => (setOpen(false), setLogged(true))} onCancel={() => setOpen(false)} />;
}
