/**
 * On a card merged into another (shared/merge/card-merge.ts): into which card, when and by whom,
 * a link to the card kept, and the merge's undo for its keeper (its own rep, its team's manager; not a borrower).
 */
import { useState } from 'react';
import type { CardView } from '../../../shared/card-types.ts';
import { errorMessage, formatDate } from '../../i18n/index.ts';
import { useAccessOf } from '../common/card-access.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { undoMerge } from '../register/merge-cards.ts';

export function MergedNotice({ card }: { card: CardView }) {
  const { language, t } = useLanguage();
  const store = useStore();
  const { access } = useAccessOf();
  const [message, setMessage] = useState<string>();
  const into = card.fields.mergedInto;
  if (typeof into !== 'string' || !into) return null;
  const record = [...card.history].reverse().find((r) => r.mutation === 'card-merge-retire' && r.merge?.into === into);
  const facts = record?.merge;
  const undo = async () => {
    if (!facts) return;
    const result = await undoMerge(store, facts);
    setMessage(result.ok ? t('merge.undone', { from: facts.fromName, into: facts.intoName }) : errorMessage(language, result));
  };
  return (
    <div className="notice merged-notice" role="note" data-testid="merged-notice">
      <p>{t('merge.retiredNotice', { name: facts?.intoName ?? '', date: record ? formatDate(language, record.at) : '', by: record?.by ?? '' })}</p>
      <p>
        <a className="button" href={`/card.html?id=${encodeURIComponent(into)}`} data-testid="open-kept">
          {t('merge.openKept')}
        </a>{' '}
        {facts && access.keeper ? (
          <button type="button" onClick={() => void undo()} data-testid="merged-notice-undo">
            {t('merge.undo')}
          </button>
        ) : null}
        {message ? <span role="status"> {message}</span> : null}
      </p>
    </div>
  );
}
