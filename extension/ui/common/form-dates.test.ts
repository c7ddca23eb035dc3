import { describe, expect, it } from 'vitest';
import { momentOfInput, todayInput } from './form-dates.ts';

describe('dates typed in forms', () => {
  it('stamps today with the current time (never in the future), other days at local noon', () => {
    const morning = new Date(2026, 10, 3, 1, 15).getTime();
    expect(todayInput(morning)).toBe('2026-11-03');
    expect(momentOfInput('2026-11-03', morning)).toBe(morning);
    expect(momentOfInput('2026-11-01', morning)).toBe(new Date(2026, 10, 1, 12).getTime());
    expect(momentOfInput('3 Nov', morning)).toBeUndefined();
  });
});
