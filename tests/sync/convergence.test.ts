import { describe, expect, it } from 'vitest';
import { runConvergence } from './convergence.ts';

// A bounded number of seeds in CI; `npm run fuzz -- --seeds N` runs more.
describe('convergence under disconnects, restarts and kill -9', () => {
  it.each([1, 2, 3])('seed %i converges', async (seed) => {
    const result = await runConvergence(seed, { steps: 40 });
    expect(result.ok, `${result.detail}\n${result.events.join('\n')}`).toBe(true);
  });
});
