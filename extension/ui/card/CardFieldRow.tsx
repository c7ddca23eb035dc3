import type { CardView } from '../../../shared/card-types.ts';
import type { FieldDef } from '../../../shared/fields.ts';
import { FieldRow } from './FieldRow.tsx';
import { useMutate } from './use-mutate.ts';

/** A base-data field of the catalogue, edited through the card-set-field mutation. */
export function CardFieldRow({ card, def }: { card: CardView; def: FieldDef }) {
  const mutate = useMutate();
  return (
    <FieldRow
      fieldKey={def.key}
      label={def.label}
      type={def.type}
      value={card.fields[def.key]}
      {...(def.options ? { options: def.options } : {})}
      {...(def.controlled ? { controlled: true } : {})}
      {...(def.sensitive ? { sensitive: true } : {})}
      onSave={(value, reason) => mutate({ type: 'card-set-field', cardId: card.id, field: def.key, value, ...(reason ? { reason } : {}) })}
    />
  );
}
