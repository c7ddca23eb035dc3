/**
 * The structural rights fuzzer (rights-fuzz.ts) at a size for `npm test`; the full run of
 * 100,000 attempts is `npm run fuzz:rights -- --attempts 100000`.
 */
import { describe, expect, it } from 'vitest';
import { runRightsFuzz } from './rights-fuzz.ts';

describe('the structural rights fuzzer', () => {
  const seed = Number(process.env.RIGHTS_FUZZ_SEED ?? 20261206);
  it(`accepts every honest change the rules allow and nothing they forbid, over /sync and /y, with two company reason fields (seed ${seed})`, async () => {
    const result = await runRightsFuzz({ seed, attempts: 1_500, yShare: 0.04, reasonFields: ['phone', 'tags'] });
    expect(result.wronglyAccepted).toEqual([]);
    expect(result.wronglyRefused).toEqual([]);
    expect(result.diverged).toEqual([]);
    // The run exercised both sides: honest changes were taken, hostile ones were tried.
    expect(result.accepted).toBeGreaterThan(100);
    expect(result.refused).toBeGreaterThan(500);
    expect(Object.keys(result.byOp).length).toBeGreaterThan(25);
    // The company's reason fields (policy reasonFields) were edited both ways.
    expect(result.byOp['set a reason field with its reason']?.accepted).toBeGreaterThan(0);
    expect(result.byOp['a reason field without a reason']?.tried).toBeGreaterThan(0);
  }, 300_000);
});
