// `npm test`: format + lint, typecheck, import layers (check:layers), unit tests (Vitest), browser
// tests (Playwright in headless Chromium). Runs every stage even when one fails, then prints one line `N passed, N failed`
// counting unit and browser tests together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const run = (title, cmd, args) => {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
};

const stages = [];
stages.push(['lint', run('format and lint', 'npx', ['biome', 'check', '.'])]);
stages.push(['typecheck', run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])]);
stages.push(['layers', run('import layers', 'npx', ['tsx', 'scripts/checkLayers.ts'])]);
const unitOk = run('unit tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/unit.json',
]);
stages.push(['unit', unitOk]);
process.env.E2E_JSON = `${process.cwd()}/test-results/e2e.json`;
const e2eOk = run('browser tests', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts']);
stages.push(['e2e', e2eOk]);

let passed = 0;
let failed = 0;
if (existsSync('test-results/unit.json')) {
  const u = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += u.numPassedTests ?? 0;
  failed += (u.numFailedTests ?? 0) + (u.numFailedTestSuites ?? 0) * (u.numTotalTests ? 0 : 1);
} else failed += 1;
if (existsSync('test-results/e2e.json')) {
  const s = JSON.parse(readFileSync('test-results/e2e.json', 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  if ((s.skipped ?? 0) > 0) console.log(`browser tests skipped: ${s.skipped}`);
} else failed += 1;
for (const [name, ok] of stages) if (!ok && ['lint', 'typecheck', 'layers'].includes(name)) failed += 1;
console.log(`\nstages: ${stages.map(([n, ok]) => `${n} ${ok ? 'ok' : 'FAILED'}`).join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stages.every(([, ok]) => ok) ? 0 : 1);
