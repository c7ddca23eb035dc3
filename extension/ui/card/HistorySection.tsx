import { useState } from 'react';
import type { CardView, ChangeRecord, FieldValue } from '../../../shared/card-types.ts';
import { contactFieldByKey } from '../../../shared/contact-fields.ts';
import { fieldByKey } from '../../../shared/fields.ts';
import { personName, errorMessage, labelOf, type Language, type MessageKey } from '../../i18n/index.ts';
import { fieldAccess, type FieldAccess } from '../../../shared/rights/field-access.ts';
import { useAccessOf } from '../common/card-access.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { formatValue } from './format-value.ts';
import { useMutate } from './use-mutate.ts';
import { useStore } from '../common/use-store.ts';
import { undoMerge } from '../register/merge-cards.ts';
import { undoneMerges } from '../../../shared/merge/card-merge.ts';

/** A change record's target in words: a field's label, a person and their field, an entry. */
function describeTarget(language: Language, card: CardView, record: ChangeRecord, t: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  const field = fieldByKey(record.target);
  if (field) return labelOf(language, field.label);
  const person = /^contact:([^.]+)(?:\.(.+))?$/.exec(record.target);
  if (person) {
    // A record copied in by a merge names the person by their id on the retired card.
    const name = card.contacts.find((c) => c.id === person[1])?.name ?? '';
    const def = person[2] ? contactFieldByKey(person[2]) : undefined;
    if (def) return name ? `${name} · ${labelOf(language, def.label)}` : labelOf(language, def.label);
    return name ? `${t('cardPage.people')} · ${name}` : t('cardPage.people');
  }
  if (record.target.startsWith('merge:') && record.merge) return t(record.mutation === 'card-merge-undo' ? 'merge.recordUndone' : 'merge.record', { name: record.merge.fromName });
  if (record.target.startsWith('timeline:')) return t('cardPage.timeline');
  if (record.target.startsWith('ledger:')) return t('cardPage.ledger');
  return record.target;
}

function isRestorable(record: ChangeRecord): boolean {
  return !record.copiedIn && (record.mutation === 'card-set-field' || record.mutation === 'contact-set-field' || record.mutation === 'field-restore') && record.target !== 'name';
}

/** What the user may do with a record's target now: a card field by the shared rules; a person's field with the card. */
function targetAccess(access: ReturnType<typeof useAccessOf>['access'], target: string): FieldAccess {
  if (fieldByKey(target)) return fieldAccess(access, target);
  return access.write ? 'edit' : 'read';
}

export function HistorySection({ card }: { card: CardView }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const store = useStore();
  const { access } = useAccessOf();
  const undone = undoneMerges(card.history);
  const api = useCustodyApi();
  const [field, setField] = useState('');
  const [person, setPerson] = useState('');
  const [message, setMessage] = useState<string>();
  const fields = [...new Set(card.history.map((r) => r.target))];
  const people = [...new Set(card.history.map((r) => r.by))];
  const records = card.history.filter((r) => (!field || r.target === field) && (!person || r.by === person)).reverse();

  const show = (record: ChangeRecord, value: FieldValue) => {
    const key = record.target.includes('.') ? record.target.split('.').pop()! : record.target;
    const def = fieldByKey(key) ?? contactFieldByKey(key);
    return def ? formatValue(language, def, value, [t('cardPage.yes'), t('cardPage.no')]) : value === null ? '' : String(value);
  };

  const restore = async (record: ChangeRecord) => {
    // A field the user may only propose (a rep on a controlled field): the earlier value goes to the manager.
    if (targetAccess(access, record.target) === 'propose') {
      if (!api) return;
      try {
        await api.propose(card.id, record.target, record.from, `${t('cardPage.restore')}: ${new Date(record.at).toISOString().slice(0, 10)}`);
        setMessage(t('access.restoreProposed', { value: show(record, record.from) }));
      } catch (error) {
        setMessage(error instanceof Error ? error.message : String(error));
      }
      return;
    }
    const failure = await mutate({ type: 'field-restore', cardId: card.id, target: record.target, value: record.from, reason: `${t('cardPage.restore')}: ${new Date(record.at).toISOString().slice(0, 10)}` });
    setMessage(failure ? errorMessage(language, failure) : t('cardPage.restored'));
  };

  const undoMergeOf = async (record: ChangeRecord) => {
    if (!record.merge) return;
    const result = await undoMerge(store, record.merge);
    setMessage(result.ok ? t('merge.undone', { from: record.merge.fromName, into: record.merge.intoName }) : errorMessage(language, result));
  };
  const isMergeRecord = (record: ChangeRecord) => record.mutation === 'card-merge' && record.target.startsWith('merge:') && record.merge !== undefined && !record.copiedIn;
  // Offered as the field itself is: restored, proposed (signed in, a controlled field), or not at all.
  const restoreOffer = (record: ChangeRecord): FieldAccess => {
    const offer = targetAccess(access, record.target);
    return offer === 'propose' && !api ? 'read' : offer;
  };

  return (
    <section className="card-page-section no-print" data-testid="section-history">
      <h2>{t('cardPage.history')}</h2>
      <div className="inline-form">
        <label>
          {t('cardPage.historyField')}{' '}
          <select value={field} onChange={(e) => setField(e.target.value)} data-testid="history-field">
            <option value="">{t('cardPage.historyAll')}</option>
            {fields.map((target) => (
              <option key={target} value={target}>
                {describeTarget(language, card, { target } as ChangeRecord, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cardPage.historyPerson')}{' '}
          <select value={person} onChange={(e) => setPerson(e.target.value)} data-testid="history-person">
            <option value="">{t('cardPage.historyAll')}</option>
            {people.map((by) => (
              <option key={by} value={by}>
                {by}
              </option>
            ))}
          </select>
        </label>
        {message ? <span role="status" data-testid="history-message">{message}</span> : null}
      </div>
      <table className="table history" data-testid="history">
        <thead>
          <tr>
            <th>{t('cardPage.when')}</th>
            <th>{t('cardPage.who')}</th>
            <th>{t('cardPage.what')}</th>
            <th>{t('cardPage.from')}</th>
            <th>{t('cardPage.to')}</th>
            <th>{t('cardPage.why')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {records.map((record, index) => (
            <tr key={`${record.at}-${index}`} data-testid="history-row">
              <td>{new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(record.at)}</td>
              <td>
                {personName(language, record.by)}
                {record.copiedIn ? <span className="muted"> · {t('merge.copiedFrom', { name: record.copiedIn.fromName })}</span> : null}
              </td>
              <td>{describeTarget(language, card, record, t)}</td>
              <td>{show(record, record.from)}</td>
              <td>{show(record, record.to)}</td>
              <td>{record.reason ?? ''}</td>
              <td>
                {isRestorable(record) && record.from !== null && restoreOffer(record) !== 'read' ? (
                  <button type="button" className="link" onClick={() => void restore(record)} data-testid="history-restore">
                    {restoreOffer(record) === 'propose' ? t('access.restorePropose') : t('cardPage.restore')}
                  </button>
                ) : null}
                {isMergeRecord(record) && access.keeper && !undone.has(record.merge!.id) ? (
                  <button type="button" className="link" data-testid="history-undo-merge" onClick={() => void undoMergeOf(record)}>
                    {t('merge.undo')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
