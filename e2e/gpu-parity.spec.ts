// GPU kernels against the engine, in headless Chromium on whatever adapter it gives (SwiftShader
// here). No adapter is a failure with the reason, never a skip: CI has one.
import { expect, type Page, test } from '@playwright/test';
import { GPU_OPTIMIZER_NAMES } from '../src/engine/optimizers/registry';
import type { CaseReport, FusedVariant } from '../workers/gpu/parity/suite';
import type { TrainingParityReport } from '../workers/gpu/parity/training';

async function open(page: Page): Promise<void> {
  await page.goto('./e2e/pages/gpu.html');
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  const a = await page.evaluate(() => window.gpuParity.adapter());
  console.log(`[webgpu] ${a.name}`);
  expect(a.ok, `WebGPU adapter needed for the parity suite: ${a.name}`).toBe(true);
}

test.describe('GPU kernel parity', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.log(`[page ${m.type()}] ${m.text()}`);
    });
    await open(page);
  });
  test.afterAll(async () => page.close());

  test('every kernel compiles', async () => {
    const errors = await page.evaluate(() => window.gpuParity.compileAll());
    expect(errors, errors.join('\n')).toEqual([]);
  });

  const kernels = ['hash', 'activation', 'matmul', 'matmul_dx', 'matmul_dw', 'batchnorm_forward', 'batchnorm_backward'];
  for (const name of [...kernels, 'loss', 'norms_update', 'newton_schulz']) {
    test(`${name} matches the engine`, async () => {
      const r: CaseReport = await page.evaluate((n) => window.gpuParity.runKernelCase(n, 1), name);
      console.log(r.report);
      expect(r.ok, r.report).toBe(true);
    });
  }
});

test.describe('GPU training parity (200 steps, GPU vs engine Run, same seeds)', () => {
  // ten runs on the general path of a software adapter take ~2 min on this 2-core machine at load 36
  test.describe.configure({ mode: 'serial', timeout: 360_000 });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.log(`[page ${m.type()}] ${m.text()}`);
    });
    await open(page);
  });
  test.afterAll(async () => page.close());

  // one case per registered optimizer the GPU runs (its spec's `parity`), then all of them in one race
  const full = [
    ...GPU_OPTIMIZER_NAMES,
    'all-optimizers',
    'compare-modern',
    'muon-batchnorm',
    'compare-muon',
    'muon-switch',
    'dropout',
    'batchnorm',
    'compare',
    'regression',
    'live',
    'l1',
    'l1-momentum',
    'l1-adamw',
    'adagrad-c0',
    'clock',
    'clock-end',
    'schedulefree-bn',
    'schedulefree-live',
  ];
  // The fused kernel's adapter-dependent variants (workers/gpu/paths.ts), forced on this adapter:
  // SwiftShader's own choice and the general path on every scenario; a hardware GPU's whole choice
  // (64 invocations, one workgroup per run, workgroup-memory scratch) on a representative set with
  // every decision point; each of those settings alone on the scenarios where it changes the code path.
  const representative = [
    'sgd',
    'adam',
    'dropout',
    'batchnorm',
    'compare',
    'regression',
    'live',
    'stopping',
    'divergence',
    'compare-muon', // Muon's Newton-Schulz with the scratch in workgroup memory (its storage barriers)
  ];
  const paths: [FusedVariant | 'general', string[]][] = [
    ['fused', [...full, 'stopping', 'divergence', 'schedulefree-stop']],
    ['general', [...full, 'stopping', 'divergence', 'schedulefree-stop']],
    ['fused-workgroup', ['adam', 'batchnorm', 'compare', 'compare-muon']],
    ['fused-hardware', representative],
    ['fused-wg64', ['adam', 'batchnorm', 'compare']],
    ['fused-per-run', ['compare', 'divergence']],
    ['fused-act-table', ['sgd', 'adam', 'dropout', 'batchnorm', 'compare', 'regression']],
  ];
  // The shape each forced variant must have run with (invocations, workgroups for R runs, scratch).
  const shape: Partial<Record<FusedVariant, (R: number) => TrainingParityReport['fused']>> = {
    'fused-hardware': (R) => ({ wg: 64, groups: R, runs: R, scratch: 'workgroup' }),
    'fused-wg64': (R) => ({ wg: 64, groups: Math.ceil(R / Math.ceil(R / 2)), runs: R, scratch: 'storage' }),
    'fused-per-run': (R) => ({ wg: 32, groups: R, runs: R, scratch: 'storage' }),
  };
  for (const [path, names] of paths) {
    for (const name of names) {
      test(`${path} path, ${name}: loss sequences agree within 1e-3 relative`, async () => {
        const r: TrainingParityReport = await page.evaluate(([n, p]) => window.gpuParity.runTrainingCase(n, p), [
          name,
          path,
        ] as const);
        console.log(`${path} ${name}: ${r.report}`);
        expect(r.path, r.report).toBe(path === 'general' ? 'general' : 'fused');
        const want = path === 'general' ? undefined : shape[path];
        if (want) expect(r.fused, r.report).toEqual(want(r.steps.length));
        // runs that stop early (early stopping, maxEpochs, divergence) stop at the same step on both
        // sides (checked in r.ok); the others train all 200 steps through several epoch ends
        if (full.includes(name)) {
          expect(r.steps, r.report).toEqual(r.steps.map(() => 200));
          expect(Math.min(...r.epochs), r.report).toBeGreaterThan(5);
        }
        expect(r.ok, r.report).toBe(true);
        for (const x of r.maxRelLoss) expect(x, r.report).toBeLessThan(1e-3);
        // the stopping scenarios must really stop (the CPU Run stops at the same step: checked in r.ok)
        if (name === 'stopping') expect(r.status, r.report).toEqual(['early-stopped', 'finished']);
        if (name === 'divergence') expect(r.status, r.report).toEqual(['diverged', 'diverged', 'ok', 'diverged']);
        // Schedule-Free's early stop (restoring its best x) and maxEpochs fire beside a running Adam
        if (name === 'schedulefree-stop') expect(r.status, r.report).toEqual(['early-stopped', 'finished', 'ok']);
        // L1's proximal step leaves weights at exactly 0, the same ones up to rounding at the threshold
        if (name.startsWith('l1')) {
          console.log(`${path} ${name}: exact zeros (gpu, cpu) ${JSON.stringify(r.zeros)}`);
          for (const [g, c] of r.zeros) {
            expect(c, r.report).toBeGreaterThan(0);
            expect(Math.abs(g - c), r.report).toBeLessThanOrEqual(Math.max(2, 0.02 * c));
          }
        }
      });
    }
  }
});

test.describe('GpuBackend: queries, buffers, device loss', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await open(page);
  });
  test.afterAll(async () => page.close());

  const checks: [string, string][] = [
    [
      'api-classification',
      'evaluate, readParams, predict and lossAt match the engine (batch norm, dropout; fused training)',
    ],
    ['api-classification-hardware', "the same after training with a hardware GPU's fused settings, forced"],
    ['api-classification-general', 'the same after training on the general path'],
    ['api-regression', 'evaluate, predict and lossAt match the engine on a regression set (MSE)'],
    ['buffers', 'no buffer growth over a long run; dispose() releases every buffer'],
    ['device-loss', 'a simulated device loss is reported, later calls reject, a new backend continues'],
  ];
  for (const [name, title] of checks) {
    test(title, async () => {
      const r = await page.evaluate((n) => window.gpuParity.runBackendCheck(n), name);
      console.log(`${name}: ${r.report}`);
      expect(r.ok, r.report).toBe(true);
    });
  }
});
