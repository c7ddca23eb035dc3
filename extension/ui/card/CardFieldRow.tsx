/**
 * A base-data field of the catalogue, edited through the card-set-field mutation. Custody: the
 * owner changes only by handover (read-only here); a rep signed in to a server proposes changes
 * to controlled fields (value and reason) for the team's manager to approve, instead of editing.
 */
import { useState } from 'react';
import type { CardView } from '../../../shared/card-types.ts';
import type { FieldDef } from '../../../shared/fields.ts';
import { formatValue } from './format-value.ts';
import { useCustodyApi, useRole } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { FieldRow } from './FieldRow.tsx';
import { useMutate } from './use-mutate.ts';

export function CardFieldRow({ card, def }: { card: CardView; def: FieldDef }) {
  const mutate = useMutate();
  const { language, t } = useLanguage();
  const role = useRole();
  const api = useCustodyApi();
  const [proposed, setProposed] = useState<string>();
  const isOwner = def.key === 'owner';
  const proposing = !!def.controlled && !isOwner && role === 'rep' && api !== undefined;
  return (
    <FieldRow
      fieldKey={def.key}
      label={def.label}
      type={def.type}
      value={card.fields[def.key]}
      {...(def.options ? { options: def.options } : {})}
      {...(def.controlled ? { controlled: true } : {})}
      {...(def.sensitive ? { sensitive: true } : {})}
      {...(isOwner && api ? { readOnly: true, hint: t('custody.ownerByHandover') } : {})}
      {...(proposing ? { saveLabel: t('custody.propose') } : {})}
      {...(proposed ? { hint: proposed } : {})}
      onSave={async (value, reason) => {
        if (!proposing) return mutate({ type: 'card-set-field', cardId: card.id, field: def.key, value, ...(reason ? { reason } : {}) });
        try {
          await api.propose(card.id, def.key, value, reason);
          setProposed(t('custody.proposed', { value: formatValue(language, def, value, [t('cardPage.yes'), t('cardPage.no')]) || '—' }));
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      }}
    />
  );
}
