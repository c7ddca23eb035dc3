import { useState } from 'react';
import type { SenderInfo } from '../../../shared/card-types.ts';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

/** Logs the open email to the card as an email contact: subject, sender, recipients — as text only. */
export function LogEmailButton({ cardId, sender }: { cardId: string; sender: SenderInfo }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const [state, setState] = useState<{ done?: boolean; error?: string }>({});
  const log = async () => {
    const lines = [`${t('log.from')}: ${sender.name ? `${sender.name} <${sender.email}>` : sender.email}`];
    if (sender.recipients.length > 0) lines.push(`${t('log.to')}: ${sender.recipients.join(', ')}`);
    const result = await store.mutate({
      type: 'note-add',
      cardId,
      kind: 'email',
      // The open message is the customer's: they wrote to us.
      direction: 'in',
      text: lines.join('\n'),
      ...(sender.subject ? { subject: sender.subject.slice(0, 1000) } : {}),
      ...(/^https?:\/\//i.test(sender.url) ? { sourceUrl: sender.url, sourceTitle: sender.subject.slice(0, 1000) } : {}),
    });
    setState(result.ok ? { done: true } : { error: errorMessage(language, result) });
  };
  return (
    <div className="log-email">
      <button type="button" onClick={() => void log()} disabled={state.done} data-testid="log-email">
        {state.done ? t('log.logged') : t('log.email')}
      </button>
      {state.error ? <span className="error" role="alert">{state.error}</span> : null}
    </div>
  );
}
