/** What to do with the selected customers: a visit pack, a tag, a CSV of them; managers: hand over. */
import { useState } from 'react';
import { useBulkReason } from '../common/BulkReason.tsx';
import { todayInput } from '../common/form-dates.ts';
import { planVisits } from '../common/plan-visits.ts';
import { useReadOnlyLoans } from '../common/card-access.tsx';
import { useCustodyApi, useRole } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { RegisterHandover } from './RegisterHandover.tsx';
import { VISIT_PACK_MAX } from './VisitPack.tsx';

interface Props {
  selected: readonly string[];
  /** The owner of a selected card (for a handover). */
  ownerOf: (id: string) => string;
  onClear: () => void;
  onVisitPack: () => void;
  onExport: () => void;
}

export function SelectionActions({ selected, ownerOf, onClear, onVisitPack, onExport }: Props) {
  const { t } = useLanguage();
  const store = useStore();
  const api = useCustodyApi();
  const role = useRole();
  const [handingOver, setHandingOver] = useState(false);
  const [tag, setTag] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [visitDay, setVisitDay] = useState(todayInput(Date.now() + 86_400_000));
  const readOnly = useReadOnlyLoans();
  const bulkReason = useBulkReason(['plannedVisit', 'tags'], 'selection-reason');
  if (selected.length === 0) return null;
  const planVisit = async () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(visitDay)) return;
    setBusy(true);
    // A card on a read-only loan is not changed: the server would refuse the visit date.
    const writable = selected.filter((id) => !readOnly.has(id));
    const leftOut = selected.length - writable.length;
    const planned = await planVisits(store, writable, visitDay, bulkReason.reason);
    setBusy(false);
    setMessage(leftOut > 0 ? `${t('visit.planned', { count: planned })} ${t('access.visitLeftOut', { count: leftOut })}` : t('visit.planned', { count: planned }));
  };
  const addTag = async () => {
    const name = tag.trim().slice(0, 60);
    if (!name) return;
    setBusy(true);
    let tagged = 0;
    let leftOut = 0;
    for (const id of selected) {
      // A card on a read-only loan is not changed: the server would refuse the tag.
      if (readOnly.has(id)) {
        leftOut++;
        continue;
      }
      const card = await store.getCard(id);
      if (!card) continue;
      const tags = Array.isArray(card.fields.tags) ? card.fields.tags : [];
      if (tags.includes(name)) continue;
      const result = await store.mutate({ type: 'card-set-field', cardId: id, field: 'tags', value: [...tags, name], ...(bulkReason.reason ? { reason: bulkReason.reason } : {}) });
      if (result.ok) tagged++;
    }
    setBusy(false);
    setTag('');
    setMessage(leftOut > 0 ? `${t('register.tagged', { count: tagged })} ${t('access.tagLeftOut', { count: leftOut })}` : t('register.tagged', { count: tagged }));
  };
  return (
    <div className="selection-actions" data-testid="selection-actions">
      <strong>{t('register.selected', { count: selected.length })}</strong>
      <button type="button" className="primary" data-testid="visit-pack-open" disabled={selected.length > VISIT_PACK_MAX} title={selected.length > VISIT_PACK_MAX ? t('register.visitPackTooMany', { max: VISIT_PACK_MAX }) : undefined} onClick={onVisitPack}>
        {t('register.visitPack')}
      </button>
      <label className="plan-visit">
        {t('visit.plan')} <input type="date" value={visitDay} onChange={(e) => setVisitDay(e.target.value)} data-testid="visit-plan-date" />
      </label>
      <button type="button" data-testid="visit-plan" disabled={busy || !visitDay || bulkReason.missing('plannedVisit')} title={bulkReason.missing('plannedVisit') ? t('bulk.reasonWhy') : undefined} onClick={() => void planVisit()}>
        {t('visit.planSave')}
      </button>
      <input data-testid="tag-input" placeholder={t('register.tagName')} value={tag} onChange={(e) => setTag(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !bulkReason.missing('tags') && void addTag()} />
      <button type="button" data-testid="tag-add" disabled={busy || !tag.trim() || bulkReason.missing('tags')} title={bulkReason.missing('tags') ? t('bulk.reasonWhy') : undefined} onClick={() => void addTag()}>
        {t('register.addTag')}
      </button>
      {bulkReason.input}
      <button type="button" onClick={onExport}>
        {t('register.exportSelection')}
      </button>
      {api && role !== 'rep' ? (
        <button type="button" data-testid="register-handover-open" aria-expanded={handingOver} onClick={() => setHandingOver(!handingOver)}>
          {t('team.handOver')}…
        </button>
      ) : null}
      <button type="button" className="link" onClick={onClear}>
        {t('register.selectNone')}
      </button>
      {message ? <span className="saved" data-testid="tag-message">{message}</span> : null}
      {handingOver && api && role !== 'rep' ? <RegisterHandover api={api} cards={selected.map((id) => ({ id, owner: ownerOf(id) }))} onDone={() => undefined} /> : null}
    </div>
  );
}
