// The stage outcomes of `npm run test:robust` (robust.ts), pure so robustStages.test.ts checks
// them: a stage passed, failed, or did not run (and why). A stage that did not run is not a pass:
// it is named in the summary with its reason, and the suite does not succeed.

export type StageOutcome =
  | { name: string; outcome: 'passed' | 'failed' }
  | { name: string; outcome: 'not run'; why: string };

/** What `npm audit --omit=dev --json` printed and how it exited. */
export interface AuditRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * npm audit of the shipped dependencies: passed unless a high or critical advisory is found;
 * 'not run' when npm printed no audit report (registry unreachable, audit endpoint refused).
 */
export function auditOutcome(r: AuditRun): StageOutcome & { bySeverity?: Record<string, number> } {
  let report: {
    vulnerabilities?: Record<string, { severity: string }>;
    message?: string;
    error?: { summary?: string };
  } = {};
  try {
    report = JSON.parse(r.stdout || '{}');
  } catch {
    // Not JSON: no report, reported below.
  }
  if (!report.vulnerabilities) {
    const why =
      report.error?.summary ||
      report.message ||
      (r.stderr || r.stdout || `no output (exit status ${r.status})`).trim().split('\n').slice(-2).join(' ');
    return { name: 'audit', outcome: 'not run', why: why.slice(0, 300) };
  }
  const bySeverity: Record<string, number> = {};
  for (const v of Object.values(report.vulnerabilities)) bySeverity[v.severity] = (bySeverity[v.severity] ?? 0) + 1;
  return { name: 'audit', outcome: bySeverity.high || bySeverity.critical ? 'failed' : 'passed', bySeverity };
}

/** "stages: unit ok, browser ok, audit DID NOT RUN (why)"; ok only when every stage passed. */
export function stagesSummary(stages: StageOutcome[]): { line: string; ok: boolean } {
  const word = (s: StageOutcome) => {
    if (s.outcome === 'not run') return `DID NOT RUN (${s.why})`;
    return s.outcome === 'passed' ? 'ok' : 'FAILED';
  };
  const notRun = stages.filter((s) => s.outcome === 'not run').length;
  const tail = notRun ? `; ${notRun} stage(s) did not run, so the suite is not passed` : '';
  return {
    line: `stages: ${stages.map((s) => `${s.name} ${word(s)}`).join(', ')}${tail}`,
    ok: stages.every((s) => s.outcome === 'passed'),
  };
}
