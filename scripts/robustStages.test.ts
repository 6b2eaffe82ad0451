// `npm run test:robust` never prints "ok" for a stage that did not run (issue 11 §6): npm audit's
// real output when the registry is unreachable or refuses the audit endpoint (fixtures), and the
// stage summary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AuditRun, auditOutcome, stagesSummary } from './robustStages';

const fixture = (name: string): AuditRun =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8'));
/** npm audit's report format (auditReportVersion 2), as `npm audit --json` prints it when it runs. */
const report = (severities: string[]): AuditRun => ({
  status: severities.length ? 1 : 0,
  stdout: JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(severities.map((severity, i) => [`pkg${i}`, { name: `pkg${i}`, severity }])),
  }),
  stderr: '',
});

describe('auditOutcome', () => {
  it('an unreachable registry: not run, with npm’s reason', () => {
    const o = auditOutcome(fixture('audit-refused'));
    expect(o.outcome).toBe('not run');
    expect(o.outcome === 'not run' && o.why).toMatch(/ECONNREFUSED/);
  });

  it('a registry that refuses the audit endpoint (405): not run, with the reason', () => {
    const o = auditOutcome(fixture('audit-405'));
    expect(o.outcome === 'not run' && o.why).toMatch(/405 Method Not Allowed/);
  });

  it('no output at all (npm did not start): not run', () => {
    const o = auditOutcome({ status: null, stdout: '', stderr: 'spawnSync npm ENOENT' });
    expect(o.outcome === 'not run' && o.why).toBe('spawnSync npm ENOENT');
  });

  it('a report: high or critical fails, lower severities pass', () => {
    expect(auditOutcome(report([])).outcome).toBe('passed');
    expect(auditOutcome(report(['low', 'moderate'])).outcome).toBe('passed');
    expect(auditOutcome(report(['low', 'high'])).outcome).toBe('failed');
    expect(auditOutcome(report(['critical'])).bySeverity).toEqual({ critical: 1 });
  });
});

describe('stagesSummary', () => {
  it('a stage that did not run is named with its reason and the suite is not passed', () => {
    const s = stagesSummary([
      { name: 'unit', outcome: 'passed' },
      { name: 'browser', outcome: 'passed' },
      { name: 'audit', outcome: 'not run', why: 'connect ECONNREFUSED' },
    ]);
    expect(s.ok).toBe(false);
    expect(s.line).toBe(
      'stages: unit ok, browser ok, audit DID NOT RUN (connect ECONNREFUSED); 1 stage(s) did not run, so the suite is not passed',
    );
    expect(s.line).not.toMatch(/audit ok/);
  });

  it('every stage passed: ok', () => {
    const s = stagesSummary([
      { name: 'unit', outcome: 'passed' },
      { name: 'audit', outcome: 'passed' },
    ]);
    expect(s).toEqual({ line: 'stages: unit ok, audit ok', ok: true });
  });
});
