/**
 * A refused change in the user's words: what it did (from its change records: a field's label
 * and value, never an internal key), why the server refused it and what the user can do. The
 * controlled fields are the shared rules' (shared/rights/rights.ts CONTROLLED_KEYS).
 */
import type { FieldValue } from '../../../shared/card-types.ts';
import { contactFieldByKey } from '../../../shared/contact-fields.ts';
import { fieldByKey } from '../../../shared/fields.ts';
import { CONTROLLED_KEYS } from '../../../shared/rights/rights.ts';
import { labelOf, translate, type Language, type MessageKey } from '../../i18n/index.ts';
import type { RefusedChange, RefusedStep } from '../../store/db.ts';
import { formatValue } from '../card/format-value.ts';
import { fieldName } from '../common/field-name.ts';

const REASONS = new Set([
  'controlled-field',
  'owner-field',
  'wrong-author',
  'not-found',
  'access-ended',
  'not-allowed',
  'record-sealed',
  'invalid-value',
  'not-in-structure',
  'wrong-type',
  'bad-update',
  'missing-dependencies',
  'card-too-large',
  'update-too-slow',
  'bad-card-id',
  'server-error',
  'credit-approval',
]);

export type RefusedTodo = 'propose' | 'access' | 'retry' | 'discard';

function valueText(language: Language, key: string, value: FieldValue): string {
  const def = fieldByKey(key) ?? contactFieldByKey(key);
  const yesNo: [string, string] = language === 'zh-CN' ? ['是', '否'] : ['yes', 'no'];
  if (def) return formatValue(language, def, value, yesNo);
  return value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value);
}

export function stepInWords(language: Language, step: RefusedStep): string {
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => translate(language, key, params);
  switch (step.mutation) {
    case 'card-create':
      return t('refused.step.create', { value: valueText(language, 'name', step.to) });
    case 'card-set-field':
    case 'field-restore': {
      const person = /^contact:[^.]+\.(.+)$/.exec(step.target);
      if (person) {
        const def = contactFieldByKey(person[1]!);
        return t('refused.step.contactField', { field: def ? labelOf(language, def.label) : t('refused.step.other'), value: valueText(language, person[1]!, step.to) });
      }
      const def = fieldByKey(step.target);
      if (!def) return t('refused.step.other');
      const value = valueText(language, step.target, step.to);
      return value === '' ? t('refused.step.clear', { field: fieldName(language, def) }) : t('refused.step.set', { field: fieldName(language, def), value });
    }
    case 'contact-set-field': {
      const key = step.target.split('.').pop() ?? '';
      const def = contactFieldByKey(key);
      return t('refused.step.contactField', { field: def ? labelOf(language, def.label) : t('refused.step.other'), value: valueText(language, key, step.to) });
    }
    case 'contact-add':
      return t('refused.step.contact', { value: valueText(language, '', step.to) });
    case 'note-add':
      return t('refused.step.note');
    case 'ledger-add':
      return t('refused.step.ledger', { value: typeof step.to === 'number' ? valueText(language, 'yearlyAmount', step.to) : '' });
    default:
      return t('refused.step.other');
  }
}

/** At most this many lines per change: a new card's whole state carries every field it was made with. */
const MAX_LINES = 4;

/**
 * The change's steps in words: the card's creation and the steps the refusal is about (the
 * controlled fields it set) first, then others up to MAX_LINES; the last line counts the rest.
 * A change without records is one line.
 */
export function changeInWords(language: Language, change: RefusedChange): string[] {
  const steps = change.steps ?? [];
  if (steps.length === 0) return [translate(language, 'refused.step.whole')];
  const key = new Set(controlledSteps(change));
  const first = steps.filter((step) => step.mutation === 'card-create' || key.has(step));
  const chosen = [...first, ...steps.filter((step) => !first.includes(step))].slice(0, Math.max(MAX_LINES, first.length));
  const lines = chosen.map((step) => stepInWords(language, step));
  const more = (change.stepCount ?? steps.length) - lines.length;
  return more > 0 ? [...lines, translate(language, 'refused.more', { count: more })] : lines;
}

/** The controlled fields the change set, as the catalogue names them. */
export function controlledSteps(change: RefusedChange): RefusedStep[] {
  return (change.steps ?? []).filter((step) => (step.mutation === 'card-set-field' || step.mutation === 'field-restore') && CONTROLLED_KEYS.includes(step.target));
}

export function reasonInWords(language: Language, change: RefusedChange): string {
  const code = REASONS.has(change.code) ? change.code : 'other';
  if (code !== 'controlled-field') return translate(language, `refused.reason.${code}` as MessageKey);
  const fields = [...new Set(controlledSteps(change).map((step) => step.target))].map((key) => fieldName(language, fieldByKey(key)!));
  return translate(language, 'refused.reason.controlled-field', { fields: fields.join(language === 'zh-CN' ? '、' : ', ') });
}

/** What the user can do about it: propose (a controlled field on a card the server has), ask for access, retry, or discard. */
export function todoOf(change: RefusedChange): RefusedTodo {
  if (change.code === 'controlled-field') return controlledSteps(change).length > 0 && !(change.steps ?? []).some((step) => step.mutation === 'card-create') ? 'propose' : 'discard';
  if (change.code === 'not-found' || change.code === 'access-ended') return 'access';
  if (['missing-dependencies', 'update-too-slow', 'server-error'].includes(change.code)) return 'retry';
  return 'discard';
}
