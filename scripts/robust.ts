// `npm run test:robust`: the hardening suite at full size (ROBUST_SCALE=full), then one summary
// of its figures: inputs tried and outcomes, faults injected and survived, memory at the start
// and end of each soak, accessibility and security findings, and `npm audit --omit=dev`.
//
// Stages (each runs even when an earlier one failed):
//   1. unit: every *.robust.test.ts (config/CSV fuzz, training fuzz, storage, CPU soak, hygiene)
//   2. browser: e2e/robust-*.spec.ts and e2e/a11y.spec.ts (GPU soak, device losses, crashes,
//      CSP and requests, axe) in headless Chromium, on E2E_PORT (default 4179)
//   3. npm audit --omit=dev (high or critical fails the suite; an unreachable audit service is reported)
// `npm test` runs the same tests at their fast size; this script is for the full soak.
import { spawnSync } from 'node:child_process';
import { readAllFigures, recordFigures } from '../test-support/figures';

process.env.ROBUST_SCALE = process.env.ROBUST_SCALE ?? 'full';
const started = new Date().toISOString();

function run(title: string, cmd: string, args: string[]): boolean {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}

const stages: [string, boolean][] = [];
stages.push(['unit', run('robust unit tests', 'npx', ['vitest', 'run', 'robust.test'])]);
stages.push([
  'browser',
  run('robust browser tests', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', 'robust-', 'a11y']),
]);
stages.push(['audit', audit()]);

/** npm audit of the shipped dependencies; true unless a high or critical advisory is found. */
function audit(): boolean {
  console.log('\n=== npm audit --omit=dev');
  const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', env: process.env });
  let report: {
    vulnerabilities?: Record<string, { severity: string }>;
    message?: string;
    error?: { summary?: string };
  } = {};
  try {
    report = JSON.parse(r.stdout || '{}');
  } catch {
    // Not JSON: reported below as "could not run".
  }
  if (!report.vulnerabilities) {
    const why =
      report.error?.summary ||
      report.message ||
      (r.stderr || r.stdout || 'no output').trim().split('\n').slice(-2).join(' ');
    recordFigures('npm-audit', { ran: false, reason: why.slice(0, 300) });
    console.log(`npm audit could not run: ${why}`);
    return true;
  }
  const bySeverity: Record<string, number> = {};
  for (const v of Object.values(report.vulnerabilities)) bySeverity[v.severity] = (bySeverity[v.severity] ?? 0) + 1;
  recordFigures('npm-audit', { ran: true, bySeverity });
  return !(bySeverity.high || bySeverity.critical);
}

// ------------------------------------------------------------------ summary of the figures

const line = (k: string, v: unknown) =>
  console.log(`  ${k.padEnd(28)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
console.log(`\n=== figures (${process.env.ROBUST_SCALE} scale)`);
for (const g of readAllFigures(started)) {
  console.log(`\n${g.name}:`);
  for (const [k, v] of Object.entries(g.figures)) line(k, v);
}
console.log(`\nstages: ${stages.map(([n, ok]) => `${n} ${ok ? 'ok' : 'FAILED'}`).join(', ')}`);
process.exit(stages.every(([, ok]) => ok) ? 0 : 1);
