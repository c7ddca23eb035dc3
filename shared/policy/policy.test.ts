import { describe, expect, it } from 'vitest';
import { DEFAULT_ABC } from '../derive/abc.ts';
import { DEFAULT_STAGE } from '../derive/stage.ts';
import { DEFAULT_REMINDERS } from '../reminders/due.ts';
import { DEFAULT_STAGE_CADENCE } from '../reminders/cadence.ts';
import { ALWAYS_REASON, DEFAULT_POLICY, normalisePolicy, policyChanges, policyValue, PolicyError, POLICY_KEYS, withPolicyValue } from './policy.ts';

describe('the company policy', () => {
  it('refuses what an admin may mistype, naming the key', () => {
    const refusals: [string, string][] = [
      ['nope', '1'],
      ['stage.dormantDays', '-3'],
      ['stage.dormantDays', '1.5'],
      ['stage.dormantDays', 'a lot'],
      ['stage.lostDays', '100'], // not more than dormantDays (180)
      ['classes.aShare', '0.95'], // above bShare (0.9)
      ['classes.aShare', '2'],
      ['classes.basis', 'vibes'],
      ['loans.approver', 'anyone'],
      ['loans.maxDays', '400'],
      ['export.rep', 'everything'],
      ['reasonFields', 'name,noSuchField'],
      ['pool.rules.C.noContactDays', '5'], // not past the 7-day warning
      ['pool.enabled', 'maybe'],
      ['creditFloor', 'E'],
      ['cadence.A', '0'],
      ['__proto__.polluted', '1'],
    ];
    for (const [key, text] of refusals) expect(() => withPolicyValue(DEFAULT_POLICY, key, text), `${key}=${text}`).toThrow(PolicyError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('defaults to what the product did before a company could set it', () => {
    expect(policyValue(DEFAULT_POLICY, 'classes.aShare')).toBe(DEFAULT_ABC.a);
    expect(policyValue(DEFAULT_POLICY, 'classes.bShare')).toBe(DEFAULT_ABC.b);
    expect(DEFAULT_POLICY.stage).toEqual(DEFAULT_STAGE);
    expect({ A: DEFAULT_POLICY.cadence.A, B: DEFAULT_POLICY.cadence.B, C: DEFAULT_POLICY.cadence.C }).toEqual(DEFAULT_REMINDERS.cadenceDays);
    for (const [stage, days] of Object.entries(DEFAULT_STAGE_CADENCE)) expect(policyValue(DEFAULT_POLICY, `cadence.${stage}`)).toBe(days);
    expect(DEFAULT_POLICY.loans).toEqual({ approver: 'either', maxDays: 366 });
    expect(DEFAULT_POLICY.pool.enabled).toBe(false);
    expect(DEFAULT_POLICY.reasonFields).toEqual(ALWAYS_REASON);
  });

  it('sets a key, lists what changed old → new, and keeps the controlled fields needing a reason', () => {
    const next = withPolicyValue(withPolicyValue(DEFAULT_POLICY, 'stage.lostDays', '400'), 'classes.aShare', '60%');
    expect(next.classes.aShare).toBe(0.6);
    expect(policyChanges(DEFAULT_POLICY, next)).toEqual(['classes.aShare: 0.7 → 0.6', 'stage.lostDays: 365 → 400']);
    const reasons = withPolicyValue(DEFAULT_POLICY, 'reasonFields', 'phone');
    expect(reasons.reasonFields).toEqual([...ALWAYS_REASON, 'phone']);
    expect(DEFAULT_POLICY.stage.lostDays).toBe(365);
  });

  it('makes a stored policy whole: missing or broken keys take their defaults', () => {
    expect(normalisePolicy(null)).toEqual(DEFAULT_POLICY);
    const saved = normalisePolicy({ stage: { dormantDays: 90, lostDays: 'x' }, loans: { approver: 'general-manager' }, pool: { rules: { C: { noContactDays: 45 } } } });
    expect(saved.stage).toEqual({ dormantDays: 90, lostDays: 365 });
    expect(saved.loans.approver).toBe('general-manager');
    expect(saved.pool.rules.C).toEqual({ noContactDays: 45, noDealDays: 90 });
    // Every key round-trips through its own text.
    for (const { key } of POLICY_KEYS) expect(policyValue(normalisePolicy(DEFAULT_POLICY), key)).toEqual(policyValue(DEFAULT_POLICY, key));
  });
});
