// The `N passed, N failed` line of `npm test` counts what did not run (issue 11 §6), on real
// reports: Vitest's JSON with a test file that throws at load beside a passing one, and with a
// failing test; Playwright's JSON with two passing tests, and after its web server failed to start
// (port taken).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countAll, countBrowser, countUnit } from './testCounts.mjs';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8'));
const unitLoadError = fixture('unit-load-error');
const unitTestFailed = fixture('unit-test-failed');
const e2ePassed = fixture('e2e-passed');
const e2eServerError = fixture('e2e-webserver-error');
const allOk: [string, boolean][] = [
  ['lint', true],
  ['typecheck', true],
  ['unit', true],
  ['e2e', true],
];

describe('countUnit', () => {
  it('a test file that fails to load counts as failed (Vitest reports numFailedTests 0 for it)', () => {
    expect(unitLoadError.numFailedTests).toBe(0);
    expect(unitLoadError.numFailedTestSuites).toBe(1);
    const c = countUnit(unitLoadError);
    expect([c.passed, c.failed]).toEqual([1, 1]);
    expect(c.notes.join('\n')).toMatch(/zz_broken\.test\.ts \(boom at load\)/);
  });

  it('a failing test counts once, not once more for its file', () => {
    const c = countUnit(unitTestFailed);
    expect([c.passed, c.failed]).toEqual([1, 1]);
    // named, with its file from the repository root and its message's first line (CI shows the output's end)
    expect(c.notes).toEqual([
      'unit test failed: scripts/zz_fail.test.ts > fails (AssertionError: expected 1 to be 2 // Object.is equality)',
    ]);
  });

  it('without per-file results, failed files beyond failed tests still count', () => {
    const { testResults: _, ...summary } = unitLoadError;
    expect(countUnit(summary).failed).toBe(1);
  });

  it('no report, or one with no test, is a failure', () => {
    expect(countUnit(null).failed).toBe(1);
    expect(countUnit({ numPassedTests: 0, numFailedTests: 0, testResults: [] }).failed).toBe(1);
  });
});

describe('countBrowser', () => {
  it('passing tests count as passed', () => {
    expect(countBrowser(e2ePassed)).toEqual({ passed: 2, failed: 0, notes: [] });
  });

  it("a web-server error (Playwright's top-level `errors`, no test ran) counts as failed", () => {
    expect(e2eServerError.stats.unexpected).toBe(0);
    const c = countBrowser(e2eServerError);
    expect([c.passed, c.failed]).toEqual([0, 1]);
    expect(c.notes[0]).toMatch(/is already used/);
  });

  it('no report is a failure', () => {
    expect(countBrowser(null).failed).toBe(1);
  });
});

describe('countAll', () => {
  it('adds the unit and browser counts', () => {
    expect(countAll({ unit: unitTestFailed, e2e: e2ePassed, stages: allOk })).toMatchObject({ passed: 3, failed: 1 });
    expect(countAll({ unit: unitLoadError, e2e: e2eServerError, stages: allOk })).toMatchObject({
      passed: 1,
      failed: 2,
    });
  });

  it('a failed lint or typecheck counts; a failed stage whose report shows no failure counts once', () => {
    const stages: [string, boolean][] = [
      ['lint', false],
      ['typecheck', true],
      ['unit', false],
      ['e2e', false],
    ];
    const c = countAll({ unit: fixture('unit-test-failed'), e2e: e2ePassed, stages });
    // lint 1 + unit's failing test 1 (its stage failure is that test) + e2e's exit without a failed test 1
    expect([c.passed, c.failed]).toEqual([3, 3]);
    expect(c.notes).toEqual([
      'unit test failed: scripts/zz_fail.test.ts > fails (AssertionError: expected 1 to be 2 // Object.is equality)',
      'e2e: the stage failed but its report shows no failure',
      'lint: failed',
    ]);
  });
});
