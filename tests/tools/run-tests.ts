/**
 * `npm test`: typecheck, build the extension and the store zips, run every vitest project (unit, then e2e in real
 * Chromium and against the real sync server), print the reason for every failure, and end with
 * the line CI reads, alone on its line: `N passed, N failed, N skipped`. Exits non-zero on any
 * failure.
 *
 * Honesty rules: the old report is deleted before vitest runs, so a crash cannot reuse stale
 * counts; a missing or malformed report is a failure; a test file that fails in a hook counts
 * as failed (see summarise-report.ts); and if the typecheck or the build fails, the stale
 * .output/chrome-mv3 build is removed and only the unit project runs, since e2e would test an old build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closingLine, summariseReport } from './summarise-report.ts';

const root = process.cwd();
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const stepFailures: string[] = [];

function step(title: string, command: string, args: string[]): number | null {
  console.log(`\n== ${title} ==`);
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: root });
  return result.status;
}

if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
  console.error('Chromium is missing: the e2e tests need it. Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).');
}

if (step('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) stepFailures.push('the typecheck failed');
const build = join(root, '.output', 'chrome-mv3'); // what the e2e tests load
rmSync(build, { recursive: true, force: true }); // so a failed build cannot leave an old one behind
if (step('build the extension', 'npx', ['wxt', 'build']) !== 0) {
  stepFailures.push('the build (wxt build) failed');
  rmSync(build, { recursive: true, force: true });
}

// The store zips (no key, no loopback hosts; Firefox's with its sources zip): checked by
// tests/e2e/store-zips.test.ts, Mozilla's add-on linter included. A failure here does not keep
// the e2e tests from running on the test build.
const zipFailures: string[] = [];
if (stepFailures.length === 0 && step('store zips (npm run zip)', 'npm', ['run', 'zip']) !== 0) zipFailures.push('npm run zip failed');

let vitestArgs = process.argv.slice(2);
const reasons = [...stepFailures];
if (stepFailures.length > 0) {
  // Drop any --project the caller gave: only the unit project can run without a fresh build.
  vitestArgs = vitestArgs.filter((arg, i) => !arg.startsWith('--project') && vitestArgs[i - 1] !== '--project');
  vitestArgs.push('--project', 'unit');
  const why = `e2e not run because ${stepFailures.join(' and ')}`;
  reasons.push(why);
  console.log(`\n${why}; running the unit project only.`);
}

mkdirSync(join(root, 'tmp'), { recursive: true });
const report = join(root, 'tmp', 'vitest-report.json');
rmSync(report, { force: true });
const vitestStatus = step('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs]);

const summary = summariseReport(existsSync(report) ? readFileSync(report, 'utf8') : undefined, vitestStatus);
summary.failed += stepFailures.length + zipFailures.length;
reasons.push(...zipFailures);
reasons.push(...summary.reasons);
if (reasons.length > 0) console.log(`\nReasons for failure:\n${reasons.map((reason) => `- ${reason}`).join('\n')}`);
console.log(`\n${closingLine(summary)}`);
process.exit(summary.failed === 0 ? 0 : 1);
