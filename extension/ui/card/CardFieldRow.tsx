/**
 * A base-data field of the catalogue, edited through the card-set-field mutation, as the shared
 * rules allow (card-access.tsx): edited, proposed (a rep on a controlled field: value and reason
 * go to the team's manager) or only read (the owner, which moves by handover; a read-only loan).
 * An open proposal on the field is shown under it, from the server, so it stays after a reload.
 * A field whose change needs a reason (controlled, or listed by the company's policy) asks for it.
 */
import { useState } from 'react';
import type { CardView, FieldValue } from '../../../shared/card-types.ts';
import type { FieldDef } from '../../../shared/fields.ts';
import { formatValue } from './format-value.ts';
import { useAccessOf, useFieldAccess } from '../common/card-access.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { custodyFailureText } from '../common/custody-failure.ts';
import { FieldRow } from './FieldRow.tsx';
import { useMutate } from './use-mutate.ts';
import { needsReason } from '../../../shared/rights/card-structure.ts';
import { useReasonFields } from '../common/use-company-policy.ts';

export function CardFieldRow({ card, def }: { card: CardView; def: FieldDef }) {
  const mutate = useMutate();
  const { language, t } = useLanguage();
  const api = useCustodyApi();
  const access = useFieldAccess(def.key);
  const reasonNeeded = needsReason(def.key, useReasonFields());
  const open = useAccessOf().proposals.filter((proposal) => proposal.field === def.key).at(-1);
  const [proposed, setProposed] = useState<string>();
  const isOwner = def.key === 'owner';
  const proposing = access === 'propose' && api !== undefined;
  const shownValue = (value: FieldValue) => formatValue(language, def, value, [t('cardPage.yes'), t('cardPage.no')]) || '—';
  const openHint = open ? t('access.proposedBy', { by: open.by, value: shownValue(parseProposed(open.value)) }) : undefined;
  return (
    <FieldRow
      fieldKey={def.key}
      label={def.label}
      type={def.type}
      value={card.fields[def.key]}
      {...(def.options ? { options: def.options } : {})}
      {...(reasonNeeded ? { controlled: true } : {})}
      {...(def.sensitive ? { sensitive: true } : {})}
      {...(access === 'read' || (access === 'propose' && !api) ? { readOnly: true } : {})}
      {...(isOwner && api ? { readOnly: true, hint: t('custody.ownerByHandover') } : {})}
      {...(proposing ? { saveLabel: t('custody.propose') } : {})}
      {...(openHint ?? proposed ? { hint: openHint ?? proposed } : {})}
      onSave={async (value, reason) => {
        if (!proposing) return mutate({ type: 'card-set-field', cardId: card.id, field: def.key, value, ...(reason ? { reason } : {}) });
        try {
          await api.propose(card.id, def.key, value, reason);
          setProposed(t('custody.proposed', { value: shownValue(value) }));
          return undefined;
        } catch (error) {
          return custodyFailureText(language, error);
        }
      }}
    />
  );
}

/** A proposal's value as the server keeps it (JSON text of the proposed value, or plain text). */
function parseProposed(value: string): FieldValue {
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean' || parsed === null || Array.isArray(parsed) ? (parsed as FieldValue) : value;
  } catch {
    return value;
  }
}
