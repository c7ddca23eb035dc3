import { afterEach, describe, expect, it, vi } from 'vitest';
import { FeedOrder } from './feed-order.ts';

describe('FeedOrder: the live feed in log order', () => {
  afterEach(() => vi.useRealTimers());
  const seqsOf = (changes: { seq: number }[]) => changes.map((change) => change.seq);

  it('passes changes through until the log top at start is known', () => {
    const passed: { seq: number }[] = [];
    const order = new FeedOrder<{ seq: number }>((change) => passed.push(change));
    order.push({ seq: 7 });
    order.push({ seq: 5 });
    expect(seqsOf(passed)).toEqual([7, 5]);
    order.start(3);
    // What already passed counts as history: 8 is next.
    order.push({ seq: 8 });
    expect(seqsOf(passed)).toEqual([7, 5, 8]);
  });

  it('holds a change whose predecessor has not come, and sends both in order when it does', () => {
    const passed: { seq: number }[] = [];
    const order = new FeedOrder<{ seq: number }>((change) => passed.push(change));
    order.start(10);
    order.push({ seq: 11 });
    order.push({ seq: 13 });
    order.push({ seq: 14 });
    expect(seqsOf(passed)).toEqual([11]);
    order.push({ seq: 12 });
    expect(seqsOf(passed)).toEqual([11, 12, 13, 14]);
  });

  it('sends what it holds, in order, once the wait is over (a seq that never gets a notice)', () => {
    vi.useFakeTimers();
    const passed: { seq: number }[] = [];
    const order = new FeedOrder<{ seq: number }>((change) => passed.push(change), 100);
    order.start(10);
    order.push({ seq: 14 });
    order.push({ seq: 12 });
    vi.advanceTimersByTime(99);
    expect(passed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seqsOf(passed)).toEqual([12, 14]);
    // The missing 11 and 13 are history now: a late 13 still passes (connections drop what they hold), 15 at once.
    order.push({ seq: 13 });
    order.push({ seq: 15 });
    expect(seqsOf(passed)).toEqual([12, 14, 13, 15]);
  });
});
