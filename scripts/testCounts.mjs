// The one line `N passed, N failed` of `npm test` (test-all.mjs), from the reports the stages
// write: Vitest's JSON (test-results/unit.json) and Playwright's (test-results/e2e.json). Pure, so
// scripts/testCounts.test.ts checks it on real reports (scripts/fixtures/).
//
// A test that did not run is never a pass. Each of these counts as one failure, beside the
// failed tests themselves:
//   - a stage's report is missing or unreadable (the stage crashed before writing it);
//   - a unit test file that failed without a failing test: it did not load (an import or
//     top-level error), or a hook outside the tests threw;
//   - a top-level Playwright error: the web server did not start, global setup threw, ...;
//   - a report in which no test ran at all;
//   - a stage that exited non-zero while its report shows no failure (lint and typecheck have
//     no report: a failed one is one failure).

/** A test file's path from the repository root (Vitest reports absolute paths). */
const shortPath = (p) => {
  const s = String(p ?? '');
  const i = s.search(/(^|\/)(src|workers|scripts|test-support|bench|e2e)\//);
  return i < 0 ? s : s.slice(s[i] === '/' ? i + 1 : i);
};

/**
 * @param {any} report Vitest's JSON report, or null when there is none
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function countUnit(report) {
  if (!report) return { passed: 0, failed: 1, notes: ['unit tests: no report (the stage did not run to the end)'] };
  const notes = [];
  let failed = report.numFailedTests ?? 0;
  const files = report.testResults ?? [];
  for (const f of files) {
    const failing = (f.assertionResults ?? []).filter((a) => a.status === 'failed');
    // Named one by one: CI shows only the end of the output, and a flaky test must be findable.
    for (const a of failing) {
      const why = String(a.failureMessages?.[0] ?? '')
        .split('\n')[0]
        .slice(0, 300);
      notes.push(`unit test failed: ${shortPath(f.name)} > ${a.fullName}${why ? ` (${why})` : ''}`);
    }
    const failedTests = failing.length;
    if (f.status === 'failed' && failedTests === 0) {
      failed += 1;
      const why = String(f.message ?? '').split('\n')[0];
      notes.push(`unit test file failed outside its tests: ${f.name}${why ? ` (${why})` : ''}`);
    }
  }
  // Without per-file results, the file count is all there is: failed files beyond failed tests.
  if (files.length === 0 && (report.numFailedTestSuites ?? 0) > failed) {
    notes.push(`unit tests: ${report.numFailedTestSuites - failed} test file(s) failed without a failing test`);
    failed = report.numFailedTestSuites;
  }
  const passed = report.numPassedTests ?? 0;
  if (passed + failed === 0) {
    failed += 1;
    notes.push('unit tests: the report holds no test');
  }
  return { passed, failed, notes };
}

/**
 * @param {any} report Playwright's JSON report, or null when there is none
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function countBrowser(report) {
  if (!report) return { passed: 0, failed: 1, notes: ['browser tests: no report (the stage did not run to the end)'] };
  const notes = [];
  const s = report.stats ?? {};
  const passed = (s.expected ?? 0) + (s.flaky ?? 0);
  let failed = s.unexpected ?? 0;
  for (const e of report.errors ?? []) {
    failed += 1;
    notes.push(`browser tests: ${String(e.message ?? e).split('\n')[0]}`);
  }
  if ((s.skipped ?? 0) > 0) notes.push(`browser tests skipped: ${s.skipped}`);
  if (passed + failed === 0) {
    failed += 1;
    notes.push('browser tests: the report holds no test');
  }
  return { passed, failed, notes };
}

/**
 * @param {{ unit: any, e2e: any, stages: [string, boolean][] }} r reports (null if missing) and stage outcomes
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function countAll({ unit, e2e, stages }) {
  let passed = 0;
  let failed = 0;
  const notes = [];
  const ok = Object.fromEntries(stages);
  for (const [name, c] of [
    ['unit', countUnit(unit)],
    ['e2e', countBrowser(e2e)],
  ]) {
    passed += c.passed;
    failed += c.failed;
    notes.push(...c.notes);
    if (ok[name] === false && c.failed === 0) {
      failed += 1;
      notes.push(`${name}: the stage failed but its report shows no failure`);
    }
  }
  for (const [name, good] of stages) {
    if (!good && name !== 'unit' && name !== 'e2e') {
      failed += 1;
      notes.push(`${name}: failed`);
    }
  }
  return { passed, failed, notes };
}
