/**
 * The company's policy (DOMAIN.md §3–§6): the rules a company sets once for everyone — how
 * customers are classed (ABC by Pareto share or by amount), when a customer is dormant or lost,
 * how often each class and stage is contacted, the credit-rating floor, which fields need a reason,
 * who approves loans and for how long, who may export what, and the customer pool (公海). Declared
 * here once: the server stores, serves and applies it (sync-server/custody/policy-service.ts);
 * devices read it and show company-set values read-only. Every key below has a default equal to
 * what the product did before the company could set it, a parser for the admin's text, and a
 * check; `checkPolicy` adds the checks across keys. A policy as stored carries its version.
 */
import { DEFAULT_CREDIT_FLOOR } from '../credit-floor.ts';
import type { AbcThresholds } from '../derive/abc.ts';
import type { StageSettings } from '../derive/stage.ts';
import { FIELDS } from '../fields.ts';
import type { Role } from '../rights/rights.ts';

export type PolicyClass = 'A' | 'B' | 'C';
export const POLICY_CLASSES: readonly PolicyClass[] = ['A', 'B', 'C'];
/** Stages with a cadence of their own (others follow the class: shared/reminders/cadence.ts). */
export const CADENCE_STAGES = ['prospect', 'first-deal', 'won-back'] as const;
export type CadenceStage = (typeof CADENCE_STAGES)[number];
/** Who approves a loan: the manager of the card's team, the general manager (an admin), or either. */
export const LOAN_APPROVERS = ['team-manager', 'general-manager', 'either'] as const;
export type LoanApprover = (typeof LOAN_APPROVERS)[number];
/** What a role may export: nothing, the cards it owns, its team's cards, every card it may read. */
export const EXPORT_SCOPES = ['none', 'own', 'team', 'all'] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];
export const CLASS_BASES = ['share', 'amount'] as const;
export type ClassBasis = (typeof CLASS_BASES)[number];
export const RATINGS = ['A', 'B', 'C', 'D'] as const;

/** The pool's rule for one class: back to the pool after this many days (0: never by this rule). */
export interface PoolClassRule {
  /** No logged contact for N days. */
  noContactDays: number;
  /** No deal (order) for M days since the owner took the customer. */
  noDealDays: number;
}

export interface Policy {
  classes: {
    /** Pareto share of the 12-month amount (as before), or fixed amounts. */
    basis: ClassBasis;
    aShare: number;
    bShare: number;
    aAmount: number;
    bAmount: number;
  };
  stage: StageSettings;
  cadence: Record<PolicyClass, number> & Record<CadenceStage, number>;
  /** A customer rated below this is warned about ('': no floor). */
  creditFloor: '' | (typeof RATINGS)[number];
  /** Fields whose change needs a reason (the controlled fields always do). */
  reasonFields: string[];
  loans: { approver: LoanApprover; maxDays: number };
  export: Record<Role, ExportScope>;
  pool: {
    enabled: boolean;
    rules: Record<PolicyClass, PoolClassRule>;
    /** The owner is warned this many days before the customer returns. */
    warnDays: number;
    /** Customers with a deal (an order) never return. */
    exemptWon: boolean;
    /** Claims per rep per day. */
    dailyClaims: number;
    /** The most customers a rep may hold and still claim. */
    maxHeld: number;
    /** The previous owner waits this many days before claiming the customer back. */
    reclaimDays: number;
  };
}

/** A policy as stored and served: its version (0: never set) and when and by whom it was last set. */
export interface VersionedPolicy {
  version: number;
  at: number;
  by: string;
  policy: Policy;
}

/** The fields that always need a reason (the catalogue's controlled fields). */
export const ALWAYS_REASON: readonly string[] = FIELDS.filter((field) => field.controlled).map((field) => field.key);

export const DEFAULT_POLICY: Policy = {
  classes: { basis: 'share', aShare: 0.7, bShare: 0.9, aAmount: 100_000, bAmount: 10_000 },
  stage: { dormantDays: 180, lostDays: 365 },
  cadence: { A: 14, B: 30, C: 90, prospect: 7, 'first-deal': 7, 'won-back': 14 },
  creditFloor: DEFAULT_CREDIT_FLOOR,
  reasonFields: [...ALWAYS_REASON],
  loans: { approver: 'either', maxDays: 366 },
  export: { rep: 'own', manager: 'team', admin: 'all' },
  pool: {
    enabled: false,
    rules: { A: { noContactDays: 0, noDealDays: 0 }, B: { noContactDays: 60, noDealDays: 0 }, C: { noContactDays: 30, noDealDays: 90 } },
    warnDays: 7,
    exemptWon: true,
    dailyClaims: 5,
    maxHeld: 200,
    reclaimDays: 30,
  },
};

/**
 * Why a value or a whole policy was refused, as data: the device tells it in the user's language,
 * naming the rules by their labels (extension/ui/team/policy-refusal.ts); `message` is the English.
 */
export type PolicyRefusal =
  | { kind: 'whole'; min: number; max: number }
  | { kind: 'share' }
  | { kind: 'amount' }
  | { kind: 'one-of'; values: string[] }
  | { kind: 'yes-no' }
  | { kind: 'no-such-field'; fields: string[] }
  | { kind: 'no-such-key' }
  | { kind: 'too-long' }
  /** Across keys: the key must be at least / below / more than `other`. */
  | { kind: 'at-least' | 'below' | 'more-than'; other: string }
  /** A pool rule's days must be more than the warning's (`other`: pool.warnDays, `days` its value). */
  | { kind: 'after-warning'; other: string; days: number };

export class PolicyError extends Error {
  constructor(
    /** The rule to change (a key of POLICY_KEYS, or the unknown key sent). */
    readonly key: string,
    message: string,
    readonly refusal: PolicyRefusal,
  ) {
    super(message);
  }
}

type Parse = (text: string, key: string) => unknown;

const whole = (min: number, max: number): Parse => (text, key) => {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) throw new PolicyError(key, `${key} is a whole number from ${min} to ${max}`, { kind: 'whole', min, max });
  return value;
};
const share: Parse = (text, key) => {
  const trimmed = text.trim();
  const value = trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value) || value < 0.05 || value > 1) throw new PolicyError(key, `${key} is a share from 5% to 100% (0.05–1)`, { kind: 'share' });
  return value;
};
const amount: Parse = (text, key) => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1e13) throw new PolicyError(key, `${key} is an amount above 0`, { kind: 'amount' });
  return value;
};
const oneOf = (values: readonly string[]): Parse => (text, key) => {
  if (!values.includes(text)) throw new PolicyError(key, `${key} is one of: ${values.map((v) => (v === '' ? '"" (none)' : v)).join(', ')}`, { kind: 'one-of', values: [...values] });
  return text;
};
const yesNo: Parse = (text, key) => {
  if (text === 'true' || text === 'yes' || text === 'on') return true;
  if (text === 'false' || text === 'no' || text === 'off') return false;
  throw new PolicyError(key, `${key} is true or false`, { kind: 'yes-no' });
};
const fieldList: Parse = (text, key) => {
  const keys = [...new Set(text.split(',').map((item) => item.trim()).filter(Boolean))];
  const known = new Set(FIELDS.map((field) => field.key));
  const unknown = keys.filter((item) => !known.has(item));
  if (unknown.length > 0) throw new PolicyError(key, `${key}: no such field ${unknown.join(', ')}`, { kind: 'no-such-field', fields: unknown.map((field) => field.slice(0, 60)).slice(0, 10) });
  return keys;
};

/** One key the company may set: its dotted path in Policy, how its text is read, what it means. */
export interface PolicyKey {
  key: string;
  parse: Parse;
  about: string;
}

const DAYS = whole(1, 3650);
const DAYS_OR_OFF = whole(0, 3650);

export const POLICY_KEYS: readonly PolicyKey[] = [
  { key: 'classes.basis', parse: oneOf(CLASS_BASES), about: 'ABC classes by Pareto share of the 12-month amount (share) or by fixed amounts (amount)' },
  { key: 'classes.aShare', parse: share, about: 'share basis: A while the customers ranked above hold less than this share' },
  { key: 'classes.bShare', parse: share, about: 'share basis: B while less than this share' },
  { key: 'classes.aAmount', parse: amount, about: 'amount basis: A from this 12-month amount' },
  { key: 'classes.bAmount', parse: amount, about: 'amount basis: B from this 12-month amount' },
  { key: 'stage.dormantDays', parse: DAYS, about: 'dormant after this many days without an order' },
  { key: 'stage.lostDays', parse: DAYS, about: 'lost after this many days without an order' },
  ...POLICY_CLASSES.map((cls) => ({ key: `cadence.${cls}`, parse: DAYS, about: `contact class ${cls} every N days` })),
  ...CADENCE_STAGES.map((stage) => ({ key: `cadence.${stage}`, parse: DAYS, about: `contact a ${stage} customer every N days (the shorter of class and stage applies)` })),
  { key: 'creditFloor', parse: oneOf(['', ...RATINGS]), about: 'orders for customers rated below this wait for a manager\'s approval (A best, D worst; "" none)' },
  { key: 'reasonFields', parse: fieldList, about: 'fields whose change needs a reason, comma-separated (controlled fields always do)' },
  { key: 'loans.approver', parse: oneOf(LOAN_APPROVERS), about: 'who approves loans: the team manager, the general manager (admin), or either' },
  { key: 'loans.maxDays', parse: whole(1, 366), about: 'the longest loan, in days' },
  ...(['rep', 'manager', 'admin'] as const).map((role) => ({ key: `export.${role}`, parse: oneOf(EXPORT_SCOPES), about: `what a ${role} may export: none, own, team or all` })),
  { key: 'pool.enabled', parse: yesNo, about: 'untended customers return to the team pool (公海)' },
  ...POLICY_CLASSES.flatMap((cls) => [
    { key: `pool.rules.${cls}.noContactDays`, parse: DAYS_OR_OFF, about: `class ${cls}: back to the pool after N days without a logged contact (0: never)` },
    { key: `pool.rules.${cls}.noDealDays`, parse: DAYS_OR_OFF, about: `class ${cls}: back to the pool after M days held without a deal (0: never)` },
  ]),
  { key: 'pool.warnDays', parse: whole(0, 365), about: 'warn the owner this many days before the customer returns' },
  { key: 'pool.exemptWon', parse: yesNo, about: 'customers with a deal never return to the pool' },
  { key: 'pool.dailyClaims', parse: whole(0, 10_000), about: 'claims per rep per day' },
  { key: 'pool.maxHeld', parse: whole(0, 1_000_000), about: 'a rep holding this many customers claims no more' },
  { key: 'pool.reclaimDays', parse: whole(0, 3650), about: 'the previous owner waits this many days before claiming back' },
];

const KEYS = new Map(POLICY_KEYS.map((entry) => [entry.key, entry]));

/** A key's value in a policy. */
export function policyValue(policy: Policy, key: string): unknown {
  if (!KEYS.has(key)) throw new PolicyError(key, `No policy key "${key}"`, { kind: 'no-such-key' });
  return key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], policy);
}

/** The value as the admin would type it. */
export function formatPolicyValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** A copy of `policy` with `key` set from the admin's text; refused (PolicyError) when the text or the result is not valid. */
export function withPolicyValue(policy: Policy, key: string, text: string): Policy {
  const next = withParsedValue(policy, key, text);
  checkPolicy(next);
  return next;
}

/** A copy of `policy` with several keys set at once (an admin page's form), checked as a whole. */
export function withPolicyValues(policy: Policy, entries: readonly (readonly [string, string])[]): Policy {
  let next = policy;
  for (const [key, text] of entries) next = withParsedValue(next, key, text);
  checkPolicy(next);
  return next;
}

/** The key set from its text, checked on its own (not across keys). */
function withParsedValue(policy: Policy, key: string, text: string): Policy {
  const entry = KEYS.get(key);
  if (!entry) throw new PolicyError(key.slice(0, 100), `No policy key "${key}"; the keys are: ${POLICY_KEYS.map((k) => k.key).join(', ')}`, { kind: 'no-such-key' });
  if (typeof text !== 'string' || text.length > 2000) throw new PolicyError(key, `${key}: the value is not a text of at most 2000 characters`, { kind: 'too-long' });
  let value = entry.parse(text, key);
  if (key === 'reasonFields') value = [...new Set([...ALWAYS_REASON, ...(value as string[])])];
  const next = structuredClone(policy);
  const parts = key.split('.');
  const last = parts.pop()!;
  (parts.reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], next) as Record<string, unknown>)[last] = value;
  return next;
}

/** The checks across keys; throws PolicyError naming the key to change. */
export function checkPolicy(policy: Policy): void {
  if (policy.classes.bShare < policy.classes.aShare) throw new PolicyError('classes.bShare', 'classes.bShare must be at least classes.aShare', { kind: 'at-least', other: 'classes.aShare' });
  if (policy.classes.bAmount >= policy.classes.aAmount) throw new PolicyError('classes.bAmount', 'classes.bAmount must be below classes.aAmount', { kind: 'below', other: 'classes.aAmount' });
  if (policy.stage.lostDays <= policy.stage.dormantDays) throw new PolicyError('stage.lostDays', 'stage.lostDays must be more than stage.dormantDays', { kind: 'more-than', other: 'stage.dormantDays' });
  for (const cls of POLICY_CLASSES) {
    const rule = policy.pool.rules[cls];
    for (const part of ['noContactDays', 'noDealDays'] as const) {
      const days = rule[part];
      if (days > 0 && days <= policy.pool.warnDays) throw new PolicyError(`pool.rules.${cls}.${part}`, `pool.rules.${cls}: a rule's days must be more than pool.warnDays (${policy.pool.warnDays}), so the owner is warned first`, { kind: 'after-warning', other: 'pool.warnDays', days: policy.pool.warnDays });
    }
  }
}

/**
 * A stored policy (JSON, possibly of an older version with keys missing, or written by hand) made
 * whole: each key present and valid is kept, every other key takes its default; a whole that
 * fails the checks across keys is the default policy.
 */
export function normalisePolicy(saved: unknown): Policy {
  let policy = structuredClone(DEFAULT_POLICY);
  if (saved === null || typeof saved !== 'object') return policy;
  for (const { key } of POLICY_KEYS) {
    let value: unknown = saved;
    for (const part of key.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined || (typeof value === 'object' && !Array.isArray(value))) continue;
    try {
      policy = withParsedValue(policy, key, formatPolicyValue(value));
    } catch {
      // A value that no longer passes keeps the default.
    }
  }
  try {
    checkPolicy(policy);
    return policy;
  } catch {
    return structuredClone(DEFAULT_POLICY);
  }
}

/** The policy's stage settings and Pareto thresholds, in the shapes the derivations take. */
export function stageOf(policy: Policy): StageSettings {
  return { dormantDays: policy.stage.dormantDays, lostDays: policy.stage.lostDays };
}

export function shareThresholdsOf(policy: Policy): AbcThresholds {
  return { a: policy.classes.aShare, b: policy.classes.bShare };
}

/** The key-by-key differences between two policies, as "key: old → new" lines (the audit's detail). */
export function policyChanges(before: Policy, after: Policy): string[] {
  const lines: string[] = [];
  for (const { key } of POLICY_KEYS) {
    const was = formatPolicyValue(policyValue(before, key));
    const is = formatPolicyValue(policyValue(after, key));
    if (was !== is) lines.push(`${key}: ${was === '' ? '""' : was} → ${is === '' ? '""' : is}`);
  }
  return lines;
}
