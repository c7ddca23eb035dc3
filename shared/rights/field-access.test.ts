import { describe, expect, it } from 'vitest';
import { cardAccess, deviceCardAccess, fieldAccess } from './field-access.ts';
import type { Principal } from './rights.ts';

const rob: Principal = { name: 'rob', role: 'rep', team: 'north', disabled: false };
const mona: Principal = { name: 'mona', role: 'manager', team: 'north', disabled: false };
const NOW = 1_000_000;

describe('a new card', () => {
  it('takes controlled fields from a manager or an admin, as the server does, and not from a rep', () => {
    expect(cardAccess(rob, undefined, []).controlled).toBe(false);
    expect(cardAccess(mona, undefined, []).controlled).toBe(true);
    expect(cardAccess({ name: 'ada', role: 'admin', team: null, disabled: false }, undefined, []).controlled).toBe(true);
    expect(cardAccess({ name: 'max', role: 'manager', team: null, disabled: false }, undefined, []).controlled).toBe(false);
  });
});

describe('a device’s access to a card it holds', () => {
  it('a read-only loan offers nothing to edit, and says until when', () => {
    const access = deviceCardAccess(rob, 'c1', { owner: 'rita', team: 'south', loanUntil: NOW + 1000, loanWrite: false }, 'rita', NOW);
    expect(access).toMatchObject({ reason: 'loan', write: false, loan: { until: NOW + 1000, write: false } });
    expect(fieldAccess(access, 'city')).toBe('read');
    expect(fieldAccess(access, 'creditLimitApproved')).toBe('read');
  });

  it('a rep proposes controlled fields on their own card; the team’s manager edits them', () => {
    const own = deviceCardAccess(rob, 'c1', { owner: 'rob', team: 'north', loanUntil: null, loanWrite: false }, 'rob', NOW);
    expect(fieldAccess(own, 'city')).toBe('edit');
    expect(fieldAccess(own, 'creditLimitApproved')).toBe('propose');
    expect(fieldAccess(own, 'owner')).toBe('read');
    const team = deviceCardAccess(mona, 'c1', { owner: 'rob', team: 'north', loanUntil: null, loanWrite: false }, 'rob', NOW);
    expect(fieldAccess(team, 'creditLimitApproved')).toBe('edit');
  });

  it('until the server has told: a card made here is the user’s; one naming someone else is read-only', () => {
    expect(deviceCardAccess(rob, 'c1', undefined, undefined, NOW).write).toBe(true);
    expect(deviceCardAccess(rob, 'c1', undefined, 'rob', NOW).write).toBe(true);
    expect(deviceCardAccess(rob, 'c1', undefined, 'rita', NOW).write).toBe(false);
  });

  it('offline before the server said who is signed in: the card stays editable, controlled fields are proposed', () => {
    const unknown = { ...rob, name: '' };
    const access = deviceCardAccess(unknown, 'c1', undefined, 'rob', NOW);
    expect(fieldAccess(access, 'city')).toBe('edit');
    expect(fieldAccess(access, 'creditLimitApproved')).toBe('propose');
  });
});
