import { describe, expect, it } from 'vitest';
import { defaultSuccessor, successorProblem } from './leavers.ts';
import type { CardFacts, Principal } from './rights.ts';
import { exportScopeOfRole, mayTakeOut } from './take-out.ts';

const user = (name: string, role: Principal['role'], team: string | null, disabled = false): Principal => ({ name, role, team, disabled });
const rob = user('rob', 'rep', 'north');
const rita = user('rita', 'rep', 'north');
const mona = user('mona', 'manager', 'north');
const sam = user('sam', 'manager', 'south');
const ada = user('ada', 'admin', null);
const robsCard: CardFacts = { id: 'c1', owner: 'rob', ownerTeam: 'north' };

describe('what may leave the archive', () => {
  it('a rep takes out her own cards only; a manager her team’s; an admin all; a disabled user nothing', () => {
    expect(mayTakeOut(rob, robsCard)).toBe(true);
    // A colleague's card is not hers to take out, whether she borrows it or not: a loan is never a right to copy.
    expect(mayTakeOut(rita, robsCard)).toBe(false);
    expect(mayTakeOut(mona, robsCard)).toBe(true);
    expect(mayTakeOut(sam, robsCard)).toBe(false);
    expect(mayTakeOut(ada, robsCard)).toBe(true);
    expect(mayTakeOut({ ...rob, disabled: true }, robsCard)).toBe(false);
    expect(mayTakeOut(mona, robsCard, 'own')).toBe(false);
    expect(mayTakeOut(ada, robsCard, 'none')).toBe(false);
    expect([exportScopeOfRole('rep'), exportScopeOfRole('manager'), exportScopeOfRole('admin')]).toEqual(['own', 'team', 'all']);
  });
});

describe('who takes over a leaver’s cards', () => {
  it('names the one active manager of the team, else asks', () => {
    expect(defaultSuccessor(rob, [rob, rita, mona, sam])).toBe(mona);
    expect(defaultSuccessor(rob, [rob, { ...mona, disabled: true }])).toBe('none');
    expect(defaultSuccessor(rob, [rob, mona, user('max', 'manager', 'north')])).toBe('several');
    expect(defaultSuccessor(user('lone', 'rep', null), [mona])).toBe('none');
    expect(defaultSuccessor(mona, [mona, rob])).toBe('none');
  });

  it('refuses a successor who cannot hold the cards', () => {
    expect(successorProblem(rob, rita)).toBeUndefined();
    expect(successorProblem(rob, undefined)).toBe('unknown');
    expect(successorProblem(rob, rob)).toBe('same');
    expect(successorProblem(rob, { ...rita, disabled: true })).toBe('disabled');
    expect(successorProblem(rob, ada)).toBe('admin');
  });
});
