/**
 * A refusal of the company rules (POST /api/policy) told in the user's language: the server sends
 * the rule (`key`) and why (`refusal`, shared/policy/policy.ts PolicyRefusal) beside its English
 * sentence; here each kind is a sentence naming the rules by their labels (`policy.key.*`), never
 * by their keys. Anything the device does not recognise (an older server, a changed shape) is a
 * general sentence in the user's language, naming the rule only when its label is known.
 */
import { POLICY_KEYS } from '../../../shared/policy/policy.ts';
import { en } from '../../i18n/en.ts';
import { translate, type Language, type MessageKey } from '../../i18n/index.ts';
import { CustodyApiError } from '../../sync/custody-api.ts';
import { custodyFailureText } from '../common/custody-failure.ts';

const KNOWN_KEYS: ReadonlySet<string> = new Set(POLICY_KEYS.map((entry) => entry.key));
const KINDS = ['whole', 'share', 'amount', 'one-of', 'yes-no', 'no-such-field', 'no-such-key', 'too-long', 'at-least', 'below', 'more-than', 'after-warning'] as const;
type Kind = (typeof KINDS)[number];

/** A rule's label in the user's language; undefined for anything that is not a rule. */
export function ruleLabel(language: Language, key: unknown): string | undefined {
  return typeof key === 'string' && KNOWN_KEYS.has(key) ? translate(language, `policy.key.${key}` as MessageKey) : undefined;
}

/** A choice as the page shows it (policy.value.*), or the choice itself (a rating), or "—" for none. */
function choiceText(language: Language, value: unknown): string {
  if (value === '') return '—';
  if (typeof value !== 'string') return '';
  const key = `policy.value.${value}`;
  return key in en ? translate(language, key as MessageKey) : value.slice(0, 40);
}

const asNumber = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

export function policyRefusalText(language: Language, failure: unknown): string {
  if (!(failure instanceof CustodyApiError)) return translate(language, 'policy.refused.other');
  if (failure.code === 'forbidden') return translate(language, 'policy.refused.forbidden');
  if (failure.code === 'busy') return translate(language, 'policy.refused.busy');
  if (failure.code === 'offline' || failure.code === 'signed-out') return custodyFailureText(language, failure);
  if (failure.code !== 'invalid-policy') return translate(language, 'policy.refused.other');
  const rule = ruleLabel(language, failure.detail.key);
  const refusal = failure.detail.refusal as Record<string, unknown> | null | undefined;
  const kind = refusal && typeof refusal === 'object' && KINDS.includes(refusal.kind as Kind) ? (refusal.kind as Kind) : undefined;
  if (kind === 'no-such-key') return translate(language, 'policy.refused.no-such-key');
  if (!rule || !kind || !refusal) return rule ? translate(language, 'policy.refused.rule', { rule }) : translate(language, 'policy.refused.other');
  const separator = language === 'en' ? ', ' : '、';
  const other = ruleLabel(language, refusal.other) ?? '';
  const params: Record<string, string> = {
    rule,
    other,
    min: asNumber(refusal.min),
    max: asNumber(refusal.max),
    days: asNumber(refusal.days),
    values: Array.isArray(refusal.values) ? refusal.values.map((value) => choiceText(language, value)).join(separator) : '',
    fields: Array.isArray(refusal.fields) ? refusal.fields.filter((field): field is string => typeof field === 'string').join(separator) : '',
  };
  // A sentence that would name another rule it cannot label says only what it can.
  if ((kind === 'at-least' || kind === 'below' || kind === 'more-than' || kind === 'after-warning') && !other) return translate(language, 'policy.refused.rule', { rule });
  return translate(language, `policy.refused.${kind}` as MessageKey, params);
}
