/**
 * The reason for a change made to many cards at once (a tag, a planned visit), asked once when
 * the company's rules need one for that field (`needsReason`, the rule the server enforces): the
 * change is then offered only with its reason, never saved without one for the server to refuse.
 */
import { useState, type ReactElement } from 'react';
import { needsReason } from '../../../shared/rights/card-structure.ts';
import { useReasonFields } from './use-company-policy.ts';
import { useLanguage } from './use-language.tsx';

export interface BulkReason {
  /** Whether a change of `field` needs a reason that is not given yet. */
  missing(field: string): boolean;
  /** The reason to pass with a mutation (only when one was given). */
  reason: string | undefined;
  /** The input, shown only when one of the fields needs a reason. */
  input: ReactElement | null;
}

export function useBulkReason(fields: readonly string[], testId: string): BulkReason {
  const { t } = useLanguage();
  const reasonFields = useReasonFields();
  const [text, setText] = useState('');
  const needed = fields.filter((field) => needsReason(field, reasonFields));
  const given = text.trim().slice(0, 500);
  return {
    missing: (field) => needed.includes(field) && given === '',
    reason: given || undefined,
    input:
      needed.length > 0 ? (
        <input className="bulk-reason" data-testid={testId} placeholder={t('bulk.reason')} title={t('bulk.reasonWhy')} value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
      ) : null,
  };
}
