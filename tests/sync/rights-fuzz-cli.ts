/**
 * `npm run fuzz:rights -- [--attempts N] [--seed S] [--seeds K] [--cards C] [--reason-fields a,b]`: the
 * structural rights fuzzer (rights-fuzz.ts) against the real server, the company's policy listing
 * the given reason fields (default: phone,tags; `--reason-fields ''` for none); prints each wrongful acceptance or refusal with the
 * seed to replay it, and a tally per operation. Exits non-zero on any.
 */
import { runRightsFuzz } from './rights-fuzz.ts';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

const attempts = flag('attempts', 100_000);
const first = flag('seed', 20261206);
const seeds = flag('seeds', 1);
/** One lane per card: more cards, more attempts side by side. */
const cards = flag('cards', 12);
const reasonAt = process.argv.indexOf('--reason-fields');
const reasonFields = (reasonAt >= 0 ? (process.argv[reasonAt + 1] ?? '') : 'phone,tags').split(',').map((field) => field.trim()).filter(Boolean);
let failed = false;
for (let seed = first; seed < first + seeds; seed++) {
  const started = Date.now();
  const result = await runRightsFuzz({ seed, attempts, cards, reasonFields });
  console.log(`seed ${seed}: ${result.attempts} attempts (reason fields: ${reasonFields.join(', ') || 'the controlled ones only'}) in ${((Date.now() - started) / 1000).toFixed(1)} s — ${result.accepted} accepted, ${result.refused} refused`);
  for (const [name, tally] of Object.entries(result.byOp).sort()) console.log(`  ${name.padEnd(52)} ${String(tally.tried).padStart(7)} tried ${String(tally.accepted).padStart(7)} accepted`);
  for (const line of [...result.wronglyAccepted, ...result.wronglyRefused]) console.log(`  WRONG: ${line}`);
  for (const cardId of result.diverged) console.log(`  DIVERGED: card ${cardId} holds something no accepted update brought`);
  console.log(`  acknowledged but left no trace (deletions made, or a place won, by an attempt beside it): ${result.unchanged}`);
  console.log(`  wrongly accepted: ${result.wronglyAccepted.length}, wrongly refused: ${result.wronglyRefused.length}, diverged cards: ${result.diverged.length}`);
  failed ||= result.wronglyAccepted.length + result.wronglyRefused.length + result.diverged.length > 0;
}
process.exit(failed ? 1 : 0);
