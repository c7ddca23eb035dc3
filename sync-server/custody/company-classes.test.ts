import { describe, expect, it } from 'vitest';
import type { Storage, StoredPolicy } from '../storage/storage.ts';
import { CompanyClasses, FULL_READ_MS, type CompanyCutoffs } from './company-classes.ts';
import { CompanyPolicy } from './policy-service.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);

/** The parts of a store the cut-offs read, counting the reads. */
function fakeStorage(amounts: Record<string, number>) {
  const rows = new Map(Object.entries(amounts).map(([id, amount]) => [id, JSON.stringify({ orders: [[NOW - 10 * DAY, amount]] })]));
  const reads = { full: 0, rows: 0 };
  let policy: StoredPolicy | undefined;
  const storage = {
    async poolFacts() {
      reads.full++;
      return [...rows].map(([id, row]) => ({ id, owner: 'x', name: '', lastContact: 0, createdAt: 0, abcOverride: '', orders: JSON.stringify((JSON.parse(row) as { orders: unknown }).orders) }));
    },
    async rowOf(id: string) {
      reads.rows++;
      return rows.get(id);
    },
    policy: async () => policy,
  } as unknown as Storage;
  return {
    storage,
    reads,
    set: (id: string, amount: number) => rows.set(id, JSON.stringify({ orders: [[NOW - DAY, amount]] })),
    setPolicy: (value: StoredPolicy) => (policy = value),
  };
}

function classesOver(amounts: Record<string, number>) {
  const fake = fakeStorage(amounts);
  const clock = { now: NOW };
  const classes = new CompanyClasses(fake.storage, new CompanyPolicy(fake.storage, () => clock.now, () => undefined), () => clock.now, 20);
  const told: CompanyCutoffs[] = [];
  classes.subscribe((cutoffs) => told.push(cutoffs));
  return { ...fake, classes, told, clock };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('the company cut-offs kept in memory', () => {
  it('reads every card once, then only the cards that changed, many changes in one recompute', async () => {
    const { classes, reads, set, told } = classesOver({ a: 5_000, b: 4_000, c: 1_000 });
    expect(await classes.current(Number.POSITIVE_INFINITY)).toMatchObject({ aMin: 4_000, bMin: Number.POSITIVE_INFINITY });
    expect(reads).toEqual({ full: 1, rows: 0 });
    // A burst of writes to one card: one read of its row, one recompute, one notice.
    set('b', 24_000);
    for (let i = 0; i < 50; i++) classes.touched('b');
    await settle();
    expect(reads).toEqual({ full: 1, rows: 1 });
    // 24,000, 5,000, 1,000 of 30,000: 5,000 has 80 % above it (B); the cut-offs say no amount.
    expect(told.at(-1)).toMatchObject({ aMin: 20_000, bMin: 5_000 });
  });

  it('takes a write’s orders from the row it stored, reading nothing', async () => {
    const { classes, reads, told } = classesOver({ a: 5_000, b: 4_000, c: 1_000 });
    await classes.current(Number.POSITIVE_INFINITY);
    classes.touched('b', JSON.stringify({ orders: [[NOW - DAY, 24_000]] }));
    await settle();
    expect(reads).toEqual({ full: 1, rows: 0 });
    expect(told.at(-1)).toMatchObject({ aMin: 20_000, bMin: 5_000 });
  });

  it('tells only when the cut-offs move', async () => {
    const { classes, set, told } = classesOver({ a: 5_000, b: 4_000, c: 1_000 });
    await classes.current(Number.POSITIVE_INFINITY);
    const before = told.length;
    set('c', 900);
    classes.touched('c');
    await settle();
    expect(told.length).toBe(before);
  });

  it('a policy change is a recompute from memory, not a read', async () => {
    const { classes, reads, told, setPolicy } = classesOver({ a: 5_000, b: 4_000, c: 1_000 });
    await classes.current(Number.POSITIVE_INFINITY);
    setPolicy({ version: 2, at: NOW, by: 'ada', policy: JSON.stringify({ classes: { basis: 'amount', aAmount: 4_500, bAmount: 900 } }) });
    classes.policyMayHaveChanged();
    await settle();
    expect(reads).toEqual({ full: 1, rows: 0 });
    expect(told.at(-1)).toMatchObject({ aMin: 4_500, bMin: 900, basis: 'amount', policyVersion: 2 });
  });

  it('a log moved elsewhere is one read in full, at most every FULL_READ_MS; amounts no order can have are left out', async () => {
    const { classes, reads, set, told, clock } = classesOver({ a: 5_000, b: 4_000, c: 1_000 });
    await classes.current(Number.POSITIVE_INFINITY);
    set('huge', 1e300);
    classes.readAgain();
    await settle();
    // Read in full just now: the next full read waits.
    expect(reads.full).toBe(1);
    clock.now += FULL_READ_MS;
    classes.readAgain();
    await classes.flush(); // what the waiting timer does when it fires
    await classes.flush();
    expect(reads.full).toBe(2);
    expect(told.at(-1)).toMatchObject({ aMin: 4_000 });
  });
});
