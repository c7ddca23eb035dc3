/**
 * Turns vitest's JSON report into the counts and reasons `npm test` prints. Pure: it is given
 * the report's text (undefined when no report was written) and vitest's exit status (null when
 * vitest was killed by a signal), so tests/unit/run-tests.test.ts can feed it real reports.
 *
 * Honest counting rules:
 * - no report, or one that does not parse as a vitest JSON report, is a failure, with the reason;
 * - a file whose status is "failed" but has no failed test failed outside its tests (a beforeAll
 *   or afterAll hook threw, or the file did not load). Its skipped tests are counted as failed,
 *   and the file counts as at least one failure. The JSON report cannot tell a test skipped by a
 *   failed hook from an `it.skip` in the same file, so in such a file both count as failed;
 * - a file-level error message (top-level beforeAll, import error) is printed as a reason. A
 *   hook failing inside a `describe` leaves no message in the JSON report; the default reporter
 *   printed it above;
 * - a non-zero exit from vitest with no failure in the report still counts as one failure.
 */

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  reasons: string[];
}

interface ReportFile {
  name: string;
  status: string;
  message?: string;
  assertionResults: { status: string; fullName: string; failureMessages?: string[] }[];
}

export function summariseReport(reportText: string | undefined, vitestStatus: number | null): Summary {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0, reasons: [] };
  const files = parseReport(reportText, summary.reasons);
  if (files === undefined) summary.failed = 1;

  for (const file of files ?? []) {
    const statuses = file.assertionResults.map((test) => test.status);
    const count = (wanted: string[]) => statuses.filter((status) => wanted.includes(status)).length;
    const passed = count(['passed']);
    let failed = count(['failed']);
    let skipped = count(['skipped', 'pending', 'todo']);
    if (file.status === 'failed' && failed === 0) {
      // Failed outside its tests: whatever it skipped did not pass, and the file itself failed.
      const skippedByFailure = count(['skipped', 'pending']);
      failed = Math.max(1, skippedByFailure);
      skipped -= skippedByFailure;
      summary.reasons.push(
        `${file.name} failed outside its tests${file.message ? `: ${file.message}` : ' (a hook failed; its error is printed above)'}; ` +
          `${failed} counted as failed`,
      );
    } else if (file.message) {
      summary.reasons.push(`${file.name}: ${file.message}`);
    }
    for (const test of file.assertionResults.filter((result) => result.status === 'failed')) {
      const firstLine = test.failureMessages?.[0]?.split('\n')[0];
      summary.reasons.push(`${file.name} > ${test.fullName}${firstLine ? `: ${firstLine}` : ''}`);
    }
    summary.passed += passed;
    summary.failed += failed;
    summary.skipped += skipped;
  }

  if (vitestStatus === null) summary.reasons.push('vitest was killed by a signal');
  else if (vitestStatus !== 0 && summary.failed === 0) summary.reasons.push(`vitest exited with status ${vitestStatus} though its report shows no failure`);
  if (vitestStatus !== 0) summary.failed = Math.max(summary.failed, 1);
  return summary;
}

/** The report's files, or undefined (with the reason pushed) when it is missing or malformed. */
function parseReport(reportText: string | undefined, reasons: string[]): ReportFile[] | undefined {
  if (reportText === undefined) {
    reasons.push('vitest wrote no JSON report (it crashed or was killed before the end of the run)');
    return undefined;
  }
  try {
    const report = JSON.parse(reportText) as { testResults?: unknown };
    if (Array.isArray(report.testResults)) return report.testResults as ReportFile[];
    reasons.push('the vitest JSON report has no testResults list');
  } catch (error) {
    reasons.push(`the vitest JSON report is unparseable: ${(error as Error).message}`);
  }
  return undefined;
}

/** The closing line CI reads. */
export function closingLine(summary: Pick<Summary, 'passed' | 'failed' | 'skipped'>): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}
