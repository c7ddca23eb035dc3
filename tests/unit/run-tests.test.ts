/**
 * Tests that `npm test` counts honestly (tests/tools/summarise-report.ts). The reports are real:
 * beforeAll runs this project's vitest on tiny test files in a temporary directory, one run
 * with a beforeAll that throws inside a describe, one with a top-level beforeAll that throws,
 * and one that passes. A missing or malformed report, and a non-zero exit, must each fail.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closingLine, summariseReport } from '../tools/summarise-report.ts';

const fixtures = {
  nestedHook: `
describe('setup', () => {
  beforeAll(() => { throw new Error('nested setup exploded'); });
  it('needs setup 1', () => {});
  it('needs setup 2', () => {});
});
it('stands alone', () => {});
`,
  topHook: `
beforeAll(() => { throw new Error('top-level setup exploded'); });
it('needs setup', () => {});
`,
  passing: `
it('works', () => {});
it('works too', () => {});
it.skip('is skipped', () => {});
it.todo('is to do');
`,
};

const vitest = join(process.cwd(), 'node_modules', '.bin', 'vitest');
const dir = mkdtempSync(join(tmpdir(), 'run-tests-'));
const reports: Partial<Record<keyof typeof fixtures, { text: string; status: number }>> = {};

/** Runs vitest on one fixture file in its own directory (no config there) and keeps its JSON report. */
async function runFixture(name: keyof typeof fixtures): Promise<void> {
  const root = join(dir, name);
  mkdirSync(root);
  writeFileSync(join(root, `${name}.test.js`), fixtures[name]);
  const reportPath = join(root, 'report.json');
  const args = ['run', '--root', root, '--globals', '--reporter=json', `--outputFile.json=${reportPath}`];
  // The child must not think it is a worker of this vitest run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const status = await promisify(execFile)(vitest, args, { env }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? 1,
  );
  reports[name] = { text: readFileSync(reportPath, 'utf8'), status };
}

beforeAll(() => Promise.all((Object.keys(fixtures) as (keyof typeof fixtures)[]).map(runFixture)), 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(name: keyof typeof fixtures): { text: string; status: number } {
  const found = reports[name];
  if (!found) throw new Error(`no report for ${name}`);
  return found;
}

describe('summariseReport', () => {
  it('counts tests skipped by a failed beforeAll in a describe as failed', () => {
    const { text, status } = report('nestedHook');
    expect(status).not.toBe(0);
    const summary = summariseReport(text, status);
    expect(closingLine(summary)).toBe('1 passed, 2 failed, 0 skipped');
    expect(summary.reasons.join('\n')).toContain('nestedHook.test.js failed outside its tests');
  });

  it('counts a top-level beforeAll failure as failed and prints its message', () => {
    const { text, status } = report('topHook');
    const summary = summariseReport(text, status);
    expect(closingLine(summary)).toBe('0 passed, 1 failed, 0 skipped');
    expect(summary.reasons.join('\n')).toContain('top-level setup exploded');
  });

  it('passes a passing report, counting skip and todo as skipped', () => {
    const { text, status } = report('passing');
    expect(status).toBe(0);
    const summary = summariseReport(text, status);
    expect(closingLine(summary)).toBe('2 passed, 0 failed, 2 skipped');
    expect(summary.reasons).toEqual([]);
  });

  it('fails when there is no report, naming the reason', () => {
    const summary = summariseReport(undefined, null);
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.reasons.join('\n')).toContain('wrote no JSON report');
    expect(summary.reasons.join('\n')).toContain('killed by a signal');
  });

  it('fails when the report is unparseable or not a vitest report', () => {
    const truncated = report('passing').text.slice(0, 40);
    expect(summariseReport(truncated, 0).failed).toBe(1);
    expect(summariseReport(truncated, 0).reasons.join('\n')).toContain('unparseable');
    expect(summariseReport('{}', 0).failed).toBe(1);
  });

  it('fails when vitest exits non-zero though its report shows no failure', () => {
    const summary = summariseReport(report('passing').text, 1);
    expect(summary.failed).toBe(1);
    expect(summary.reasons.join('\n')).toContain('exited with status 1');
  });
});
