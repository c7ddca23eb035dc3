import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, withPolicyValues } from './policy.ts';
import { poolDue, poolOwner, poolStep, poolTeamOf, type PoolFacts } from './pool-rules.ts';

const DAY = 86_400_000;
const policy = withPolicyValues(DEFAULT_POLICY, [['pool.enabled', 'true']]);
const base: PoolFacts = { cls: 'C', lastContact: 100 * DAY, lastDeal: 0, heldSince: 0, locked: false };

describe('the pool rules', () => {
  it('a pool owner is no user name, and names its team', () => {
    expect(poolTeamOf(poolOwner('north'))).toBe('north');
    expect(poolTeamOf('rob')).toBeUndefined();
    // A user name cannot hold ':' (custody's NAME), so no user is a pool.
    expect(/^[\p{L}\p{N}._@-]{1,64}$/u.test(poolOwner('north'))).toBe(false);
  });

  it('is due by the earlier rule, counted from the later of the last contact and the day the owner took it', () => {
    // Class C: no contact for 30 days, no deal for 90.
    expect(poolDue(base, policy)).toEqual({ at: 90 * DAY, reason: 'no-deal' });
    expect(poolDue({ ...base, heldSince: 95 * DAY }, policy)).toEqual({ at: 130 * DAY, reason: 'no-contact' });
    expect(poolDue({ ...base, cls: 'A' }, policy)).toBeUndefined();
    expect(poolDue({ ...base, locked: true }, policy)).toBeUndefined();
    expect(poolDue({ ...base, lastDeal: 50 * DAY }, policy)).toBeUndefined();
    expect(poolDue({ ...base, lastDeal: 50 * DAY }, withPolicyValues(policy, [['pool.exemptWon', 'false']]))).toEqual({ at: 130 * DAY, reason: 'no-contact' });
  });

  it('warns first, returns only once the warning is warnDays old, and a contact since asks for a new warning', () => {
    const due = { at: 130 * DAY, reason: 'no-contact' as const };
    expect(poolStep(due, undefined, 100 * DAY, policy).action).toBe('none');
    expect(poolStep(due, undefined, 124 * DAY, policy)).toEqual({ action: 'warn', returnsAt: 131 * DAY, reason: 'no-contact' });
    // Warned late (the pool was just turned on): the owner still gets warnDays.
    expect(poolStep(due, undefined, 200 * DAY, policy)).toMatchObject({ action: 'warn', returnsAt: 207 * DAY });
    expect(poolStep(due, 200 * DAY, 203 * DAY, policy)).toMatchObject({ action: 'none', returnsAt: 207 * DAY });
    expect(poolStep(due, 200 * DAY, 207 * DAY, policy)).toMatchObject({ action: 'return', returnsAt: 207 * DAY });
    // A warning given for an earlier date (a contact moved the date on) does not count.
    expect(poolStep({ ...due, at: 300 * DAY }, 200 * DAY, 300 * DAY, policy).action).toBe('warn');
    expect(poolStep(due, undefined, 200 * DAY, DEFAULT_POLICY).action).toBe('none');
  });
});
