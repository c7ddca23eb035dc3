import type { ReactNode } from 'react';
import type { SupersededEntry, TimelineEntry } from '../../../shared/card-types.ts';
import { personName, formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

/**
 * A card's contacts and notes, newest first. Given `superseded` (the card page), entries a
 * correction replaced are shown in place, struck through, with who corrected them, when and why;
 * `action` adds a control to each entry in force (the card page's "Correct").
 */
export function Timeline({ entries, limit, superseded, action }: { entries: TimelineEntry[]; limit: number; superseded?: SupersededEntry<TimelineEntry>[]; action?: (entry: TimelineEntry) => ReactNode }) {
  const { language, t } = useLanguage();
  if (entries.length === 0 && !superseded?.length) return <p className="muted" data-testid="timeline-empty">{t('card.timelineEmpty')}</p>;
  const replacedBy = new Map((superseded ?? []).map((s) => [s.entry.id, s]));
  const all = superseded?.length ? [...entries, ...superseded.map((s) => s.entry)].sort((a, b) => b.at - a.at || (replacedBy.has(a.id) ? 1 : 0) - (replacedBy.has(b.id) ? 1 : 0) || b.id.localeCompare(a.id)) : entries;
  return (
    <ol className="timeline" data-testid="timeline">
      {all.slice(0, limit).map((entry) => {
        const replaced = replacedBy.get(entry.id);
        return (
          <li key={entry.id} className={`timeline-entry kind-${entry.kind}${replaced ? ' superseded' : ''}`} data-testid={replaced ? 'timeline-superseded' : 'timeline-entry'} data-entry-id={entry.id}>
            <div className="timeline-meta">
              <span className="timeline-dot" aria-hidden="true" />
              <span className="timeline-kind-label">{t(`kind.${entry.kind}` as MessageKey)}</span>
              {entry.direction === 'in' ? <span className="timeline-inbound" data-testid="timeline-inbound">{t('log.direction.in')}</span> : null}
              <span className="timeline-date">{formatDate(language, entry.at)}</span>
              {entry.by ? <span className="timeline-by">· {personName(language, entry.by)}</span> : null}
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
            {replaced ? (
              <div className="timeline-correction" data-testid="timeline-corrected-by">{t('correct.correctedBy', { by: replaced.by, date: formatDate(language, replaced.at), reason: replaced.reason })}</div>
            ) : entry.corrects && superseded ? (
              <div className="timeline-correction">{t('correct.correction', { by: personName(language, entry.by), date: formatDate(language, entry.correctedAt ?? entry.at), reason: entry.reason ?? '' })}</div>
            ) : null}
            {!replaced && action ? action(entry) : null}
          </li>
        );
      })}
    </ol>
  );
}
