/** What this device still owes the server (hand-overs, proposals): listed while it waits, with the server's answer when it said no. */
import { fieldByKey } from '../../../shared/fields.ts';
import { labelOf } from '../../i18n/index.ts';
import { formatValue } from '../card/format-value.ts';
import { useCustodyQueue } from '../common/use-custody-queue.ts';
import { useLanguage } from '../common/use-language.tsx';

export function CustodyQueueList() {
  const { language, t } = useLanguage();
  const queue = useCustodyQueue();
  if (!queue || queue.length === 0) return null;
  return (
    <section className="settings-section" data-testid="custody-queue">
      <h2>{t('custodyQueue.title', { count: queue.length })}</h2>
      <ul>
        {queue.map((item) => {
          const def = item.kind === 'propose' ? fieldByKey(item.field) : undefined;
          const text =
            item.kind === 'handover'
              ? t('custodyQueue.handover', { count: item.cardIds.length, from: item.from, to: item.to })
              : t('custodyQueue.propose', { field: def ? labelOf(language, def.label) : item.field, value: def ? formatValue(language, def, item.value, [t('cardPage.yes'), t('cardPage.no')]) : String(item.value) });
          return (
            <li key={item.id} data-testid="custody-queue-item" data-kind={item.kind}>
              {text}
              {item.error ? <span className="error"> — {item.error}</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
