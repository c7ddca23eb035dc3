import type { TimelineEntry } from '../../../shared/card-types.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

export function Timeline({ entries, limit }: { entries: TimelineEntry[]; limit: number }) {
  const { language, t } = useLanguage();
  if (entries.length === 0) return <p className="muted" data-testid="timeline-empty">{t('card.timelineEmpty')}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.slice(0, limit).map((entry) => (
        <li key={entry.id} className={`timeline-entry kind-${entry.kind}`}>
          <div className="timeline-meta">
            <span className="timeline-dot" aria-hidden="true" />
            <span className="timeline-kind-label">{t(`kind.${entry.kind}` as MessageKey)}</span>
            <span className="timeline-date">{formatDate(language, entry.at)}</span>
            {entry.by ? <span className="timeline-by">· {entry.by}</span> : null}
          </div>
          {entry.subject ? <div className="timeline-subject">{entry.subject}</div> : null}
          <div className="timeline-text">{entry.text}</div>
          {entry.handling ? <div className="timeline-extra">{t('cardPage.handling')}: {entry.handling}</div> : null}
          {entry.outcome ? <div className="timeline-extra">{t('cardPage.outcome')}: {entry.outcome}</div> : null}
          {entry.followUp ? <div className="timeline-extra">{t('cardPage.followUp')}: {formatDate(language, entry.followUp)}</div> : null}
          {entry.sourceUrl && /^https?:\/\//i.test(entry.sourceUrl) ? (
            <a className="timeline-source" href={entry.sourceUrl} target="_blank" rel="noreferrer noopener">
              {entry.sourceTitle || entry.sourceUrl}
            </a>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
