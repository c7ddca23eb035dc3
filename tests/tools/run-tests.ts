/**
 * `npm test`: typecheck, build the extension, run every vitest project (unit, then e2e in real
 * Chromium and against the real sync server), and end with the line CI reads:
 * `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

function step(title: string, command: string, args: string[]): number {
  console.log(`\n== ${title} ==`);
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: root });
  return result.status ?? 1;
}

if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
  console.error('Chromium is missing: the e2e tests need it. Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).');
}

let failedSteps = 0;
if (step('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) failedSteps++;
if (step('build the extension', 'npx', ['wxt', 'build']) !== 0) failedSteps++;

mkdirSync(join(root, 'tmp'), { recursive: true });
const report = join(root, 'tmp', 'vitest-report.json');
const vitestStatus = step('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  passed = json.numPassedTests;
  // A file that fails to load counts as one failure; otherwise count the failed tests.
  failed = json.numFailedTests > 0 ? json.numFailedTests : json.numFailedTestSuites;
  skipped = json.numPendingTests + json.numTodoTests;
} else {
  failed = 1;
}
failed += failedSteps;
if (vitestStatus !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
