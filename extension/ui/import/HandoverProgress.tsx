/** How an import's hand-over to the chosen owner stands: waiting on this device (and why, if the server said no), or done. */
import { useLanguage } from '../common/use-language.tsx';
import { useCustodyQueue } from '../common/use-custody-queue.ts';
import { waitingHandover } from './import-owner.ts';

export function HandoverProgress({ to, cardIds }: { to: string; cardIds: string[] }) {
  const { t } = useLanguage();
  const queue = useCustodyQueue();
  if (!queue) return null;
  const waiting = waitingHandover(queue, to, cardIds);
  if (!waiting) return <p className="saved" data-testid="import-handover" data-state="done">{t('importOwner.handed', { count: cardIds.length, owner: to })}</p>;
  return (
    <p className="muted" data-testid="import-handover" data-state="waiting">
      {t('importOwner.waiting', { count: cardIds.length, owner: to })}
      {waiting.error ? <span className="error"> {t('importOwner.refusedNow', { owner: to, message: waiting.error })}</span> : null}
    </p>
  );
}
