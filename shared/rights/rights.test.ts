import { describe, expect, it } from 'vitest';
import { activeLoan, canWrite, feedScope, mayHandOverTo, readReason, readUntil, scopeCurrent, scopeReason, scopeTest, seesHandover, seesLoan, seesPerson, type Principal } from './rights.ts';

const rob: Principal = { name: 'rob', role: 'rep', team: 'north', disabled: false };
const mona: Principal = { name: 'mona', role: 'manager', team: 'north', disabled: false };
const sam: Principal = { name: 'sam', role: 'manager', team: 'south', disabled: false };
const bea: Principal = { name: 'bea', role: 'rep', team: 'south', disabled: false };
const card = { id: 'c1', owner: 'rob', ownerTeam: 'north' };

describe('rights that end by themselves', () => {
  const loans = [{ cardId: 'c1', borrower: 'bea', until: 1_000, write: false }];
  it('a loan reads until its end, and the scope says when it changes', () => {
    expect(readUntil(bea, card, loans, 500)).toBe(1_000);
    expect(readUntil(rob, card, loans, 500)).toBe(Infinity);
    const scope = feedScope(bea, [], loans, 500);
    expect(scope.changesAt).toBe(1_000);
    const inScope = scopeTest(scope);
    expect(inScope({ id: 'c1', owner: 'rob' }, 999)).toBe(true);
    expect(inScope({ id: 'c1', owner: 'rob' }, 1_000)).toBe(false);
    expect(scopeCurrent(scope, 1_000)).toBe(false);
  });
  it('the feed gives the same reason as the per-frame rule', () => {
    for (const user of [rob, mona, bea]) {
      const scope = feedScope(user, user === mona ? ['rob', 'mona'] : [], loans, 500);
      expect(scopeReason(scope, user, card)).toBe(readReason(user, card, loans, 500));
    }
  });
});

describe('two loans of one card', () => {
  // A read-only loan, then one allowing edits for a shorter time: the widest counts, reading lasts the longest.
  const loans = [
    { cardId: 'c1', borrower: 'bea', until: 2_000, write: false },
    { cardId: 'c1', borrower: 'bea', until: 1_000, write: true },
  ];
  it('writes while a loan allowing edits runs, whichever is listed first', () => {
    expect(canWrite(bea, card, loans, 500)).toBe(true);
    expect(canWrite(bea, card, [...loans].reverse(), 500)).toBe(true);
    expect(activeLoan(bea, card, loans, 500)).toMatchObject({ write: true, until: 1_000 });
    expect(canWrite(bea, card, loans, 1_500)).toBe(false);
  });
  it('reads until the longest ends', () => {
    expect(readUntil(bea, card, loans, 500)).toBe(2_000);
    expect(readUntil(bea, card, [...loans].reverse(), 500)).toBe(2_000);
  });
});

describe('who sees what about people', () => {
  const people = new Map([rob, mona, sam, bea].map((p) => [p.name, p]));
  it('a person is seen by themselves, their team’s managers and admins', () => {
    expect(seesPerson(mona, rob)).toBe(true);
    expect(seesPerson(sam, rob)).toBe(false);
    expect(seesPerson(rob, mona)).toBe(false);
    expect(seesPerson({ ...mona, disabled: true }, rob)).toBe(false);
  });
  it('handovers and loans follow the same people', () => {
    expect(seesHandover(sam, { from: 'rob', to: 'mona' }, people)).toBe(false);
    expect(seesHandover(mona, { from: 'rob', to: 'mona' }, people)).toBe(true);
    expect(seesLoan(sam, { borrower: 'rob' }, card)).toBe(false);
    expect(seesLoan(mona, { borrower: 'bea' }, card)).toBe(true);
    // The owner is told her card was lent; a colleague is not.
    expect(seesLoan(rob, { borrower: 'bea' }, card)).toBe(true);
    expect(seesLoan(bea, { borrower: 'sam' }, card)).toBe(false);
    expect(mayHandOverTo(mona, bea)).toBe(false);
    expect(mayHandOverTo(mona, rob)).toBe(true);
  });
});
