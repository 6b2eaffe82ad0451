// `npm run test:robust`: the hardening suite at full size (ROBUST_SCALE=full), then one summary
// of its figures: inputs tried and outcomes, faults injected and survived, memory at the start
// and end of each soak, accessibility and security findings, and `npm audit --omit=dev`.
//
// Stages (each runs even when an earlier one failed):
//   1. unit: every *.robust.test.ts (config/CSV fuzz, training fuzz, storage, CPU soak, hygiene)
//   2. browser: e2e/robust-*.spec.ts and e2e/a11y.spec.ts (GPU soak, device losses, crashes,
//      CSP and requests, axe) in headless Chromium, on E2E_PORT (default 4179)
//   3. npm audit --omit=dev (high or critical fails the suite; when the audit cannot run, the stage
//      is reported as not run, with npm's reason, and the suite is not passed)
// `npm test` runs the same tests at their fast size; this script is for the full soak.
import { spawnSync } from 'node:child_process';
import { readAllFigures, recordFigures } from '../test-support/figures';
import { auditOutcome, type StageOutcome, stagesSummary } from './robustStages';

process.env.ROBUST_SCALE = process.env.ROBUST_SCALE ?? 'full';
const started = new Date().toISOString();

function run(title: string, cmd: string, args: string[]): StageOutcome {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return { name: title, outcome: r.status === 0 ? 'passed' : 'failed' };
}

/** npm audit of the shipped dependencies (robustStages.ts decides passed, failed or not run). */
function audit(): StageOutcome {
  console.log('\n=== npm audit --omit=dev');
  const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', env: process.env });
  const stderr = `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`; // r.error: npm itself did not start
  const o = auditOutcome({ status: r.status, stdout: r.stdout ?? '', stderr });
  if (o.outcome === 'not run') {
    recordFigures('npm-audit', { ran: false, reason: o.why });
    console.log(`npm audit did not run: ${o.why}`);
  } else recordFigures('npm-audit', { ran: true, bySeverity: o.bySeverity });
  return o;
}

const stages: StageOutcome[] = [
  run('unit', 'npx', ['vitest', 'run', 'robust.test']),
  run('browser', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', 'robust-', 'a11y']),
  audit(),
];

// ------------------------------------------------------------------ summary of the figures

const line = (k: string, v: unknown) =>
  console.log(`  ${k.padEnd(28)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
console.log(`\n=== figures (${process.env.ROBUST_SCALE} scale)`);
for (const g of readAllFigures(started)) {
  console.log(`\n${g.name}:`);
  for (const [k, v] of Object.entries(g.figures)) line(k, v);
}
const summary = stagesSummary(stages);
console.log(`\n${summary.line}`);
process.exit(summary.ok ? 0 : 1);
