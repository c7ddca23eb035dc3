/**
 * `npm run fuzz -- --seeds N [--from S] [--steps K]`: runs the convergence harness for N seeds
 * and prints every failing seed with its events, for replay with `--seeds 1 --from <seed>`.
 */
import { runConvergence } from './convergence.ts';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

const seeds = flag('seeds', 20);
const from = flag('from', 1);
const steps = flag('steps', 60);
const failing: number[] = [];
for (let seed = from; seed < from + seeds; seed++) {
  const result = await runConvergence(seed, { steps });
  console.log(`seed ${seed}: ${result.ok ? 'ok' : 'FAILED'} — ${result.detail}`);
  if (!result.ok) {
    failing.push(seed);
    console.log(result.events.map((event) => `    ${event}`).join('\n'));
  }
}
console.log(failing.length === 0 ? `all ${seeds} seeds converged` : `failing seeds (replay with --seeds 1 --from <seed>): ${failing.join(', ')}`);
process.exit(failing.length === 0 ? 0 : 1);
