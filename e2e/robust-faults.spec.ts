// Long runs and injected faults in headless Chromium (SwiftShader is the WebGPU adapter):
//  - GPU soak: one run and a six-way compare on the WebGPU backend, with the visual requests of
//    the app; the backend's live buffer count and bytes stay constant after warm-up, the JS heap flat;
//  - GPU device losses injected at random moments (21 in the full run), during training, in
//    compare mode and while a loss surface is being evaluated: training continues from the last
//    parameters every time, and the page is told;
//  - a worker crash (a thrown error) and a terminated worker are noticed within a second, and a
//    restart restores the last configs.
// `npm run test:robust` runs the long sizes (ROBUST_SCALE=full).
import { expect, type Page, test } from '@playwright/test';
import { recordFigures, scaled } from '../test-support/figures';
import { CHROMIUM_ARGS, findChromium } from './chromium';

test.use({
  launchOptions: {
    executablePath: findChromium() ?? undefined,
    // Precise heap numbers and gc() on the page, so "flat" is measured, not guessed.
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  },
});

type Snap = ReturnType<Window['robust']['snapshot']>;

async function open(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.log(`[page exception] ${e.message}`));
  await page.goto('./e2e/pages/robust.html');
  await page.waitForFunction(() => document.body.dataset.ready === '1');
}

const snap = (page: Page): Promise<Snap> => page.evaluate(() => window.robust.snapshot());
const mib = (b: number) => Math.round((b / 2 ** 20) * 100) / 100;

/** Seeded waits (mulberry32), so a failing sequence of fault moments can be replayed. */
function waits(seed: number) {
  let a = seed >>> 0;
  return (lo: number, hi: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.round(lo + u * (hi - lo));
  };
}

test.describe('GPU soak', () => {
  for (const [label, runs, fast, full] of [
    ['one run', 1, 1_000, 10_000],
    ['six-way compare', 6, 400, 2_000],
  ] as const) {
    test(`${label}: buffers constant and heap flat after warm-up`, async ({ page }) => {
      test.setTimeout(scaled(300_000, 1_800_000));
      await open(page);
      const steps = scaled(fast, full);
      const r = await page.evaluate(([s, n]) => window.robust.gpuSoak(s, n, Math.max(50, s / 20)), [steps, runs]);
      const warm = r.samples.filter((x) => x.step >= steps / 5);
      const first = warm[0];
      const last = r.samples[r.samples.length - 1];
      recordFigures(`soak-gpu-${runs === 1 ? 'single' : 'compare6'}`, {
        adapter: r.info.name,
        runs,
        steps: last.step,
        seconds: Math.round(r.ms / 100) / 10,
        buffersStart: r.samples[1]?.buffers,
        buffersEnd: last.buffers,
        gpuMiBEnd: mib(last.bytes),
        heapStartMiB: mib(r.samples[0].heap),
        heapAfterWarmupMiB: mib(first.heap),
        heapEndMiB: mib(last.heap),
        samples: r.samples.length,
      });
      expect(r.statuses.every((s) => s === 'ok')).toBe(true);
      expect(last.step).toBe(steps);
      expect(warm.length).toBeGreaterThanOrEqual(4);
      // Every buffer is made at build time (or pooled): the live count and bytes never move after warm-up.
      expect(new Set(warm.map((x) => x.buffers)).size).toBe(1);
      expect(new Set(warm.map((x) => x.bytes)).size).toBe(1);
      expect(last.heap - first.heap).toBeLessThan(2 * 2 ** 20);
    });
  }
});

test('device losses at random moments (training, compare, loss surface; 21 in the full run): training continues each time', async ({
  page,
}) => {
  test.setTimeout(scaled(1_200_000, 1_800_000));
  await open(page);
  const wait = waits(20240611);
  // Three phases, each on one session: a single run training, a six-way compare, a single run
  // whose loss surface is being evaluated when the device goes. Full run: 12 + 3 + 6 = 21 losses.
  // (A six-way compare takes over a minute to resume on SwiftShader, which recompiles every
  // kernel for the new device: few losses there.)
  const phases = [
    ['training', 1, scaled(3, 12)],
    ['compare', 6, scaled(1, 3)],
    ['surface', 1, scaled(2, 6)],
  ] as const;
  const target = phases.reduce((a, p) => a + p[2], 0);
  const byContext = { training: 0, compare: 0, surface: 0 };
  let injected = 0;
  let survived = 0;
  let fallbacks = 0;
  const resumeMs: number[] = [];
  const failures: string[] = [];
  await page.evaluate(() => window.robust.init('webgpu'));
  for (const [ctx, runs, perPhase] of phases) {
    const b = await page.evaluate((n) => window.robust.create(n), runs);
    expect(b.kind).toBe('webgpu');
    await page.evaluate(() => window.robust.start());
    for (let k = 0; k < perPhase; k++) {
      // Back to WebGPU when the last losses sent the run to the CPU (more than 3 within 30 s).
      const now = await snap(page);
      if (now.status?.backend?.kind !== 'webgpu') {
        fallbacks++;
        await page.evaluate(() => window.robust.setBackend('webgpu'));
      }
      await page.waitForTimeout(wait(200, 2000));
      const before = await snap(page);
      const losses0 = before.status?.backend?.deviceLosses ?? 0;
      const stepAt = before.status?.runs[0].step ?? 0;
      const lossBefore = before.history[0]?.recentLoss ?? Number.NaN;
      // The loss surface is evaluated while the device goes: the request must settle, never hang or throw.
      const surface = ctx === 'surface' ? page.evaluate(() => window.robust.lossAt(24)) : null;
      const t0 = Date.now();
      const lost = await page.evaluate(() => window.robust.loseDevice());
      if (!lost) {
        failures.push(`${ctx} #${k}: not on WebGPU when the loss was to be injected`);
        continue;
      }
      injected++;
      byContext[ctx]++;
      const resumed = await page
        .waitForFunction(
          ([n, s]) => {
            const st = window.robust.snapshot().status;
            return (st?.backend?.deviceLosses ?? 0) > n && (st?.runs[0].step ?? 0) > s + 20;
          },
          [losses0, stepAt],
          { timeout: 150_000 },
        )
        .then(
          () => true,
          () => false,
        );
      const after = await snap(page);
      const surfaceResult = surface ? await surface : null;
      const notice = after.status?.notice ?? '';
      resumeMs.push(Date.now() - t0);
      console.log(
        `[loss ${injected}] ${ctx}: step ${stepAt} -> ${after.status?.runs[0].step} in ${Date.now() - t0} ms on ${after.status?.backend?.kind}; loss ${lossBefore.toFixed(3)} -> ${after.history[0].recentLoss.toFixed(3)}; ${notice}`,
      );
      const from = Number(/from its state at step (\d+)/.exec(notice)?.[1] ?? Number.NaN);
      const ok =
        resumed &&
        after.worker === 'ready' &&
        after.status?.running === true &&
        /device was lost/.test(notice) &&
        from <= stepAt + 1000 &&
        // Continued, not restarted: steps keep counting and the loss is near where it was.
        !(after.history[0].recentLoss > 1.5 * lossBefore + 0.1) &&
        (ctx !== 'surface' || surfaceResult === null || surfaceResult.every(Number.isFinite));
      if (ok) survived++;
      else
        failures.push(
          `${ctx} #${k}: ${resumed ? '' : 'did not resume; '}${JSON.stringify(after.status).slice(0, 500)}`,
        );
      if (!resumed) break;
    }
    await page.evaluate(() => window.robust.pause());
  }
  const final = await snap(page);
  recordFigures('faults-device-loss', {
    injected,
    survived,
    byContext,
    cpuFallbacksSwitchedBack: fallbacks,
    resumeMsMedian: resumeMs.sort((a, b) => a - b)[Math.floor(resumeMs.length / 2)],
    resumeMsMax: Math.max(...resumeMs),
    lastBackend: final.status?.backend?.message,
  });
  expect(failures).toEqual([]);
  expect(injected).toBe(target);
  expect(survived).toBe(injected);
});

test('a crashed or terminated worker is noticed within a second; restart restores the configs', async ({ page }) => {
  await open(page);
  const figures: Record<string, number> = {};
  for (const how of ['thrown error', 'terminated'] as const) {
    await page.evaluate(() => window.robust.init('cpu'));
    await page.evaluate(() => window.robust.create(6));
    await page.evaluate(() => window.robust.start());
    await page.waitForFunction(() => (window.robust.snapshot().status?.runs[0].step ?? 0) > 20);
    let t0: number;
    if (how === 'thrown error') t0 = await page.evaluate(() => window.robust.crash());
    else {
      const worker = page.workers().find((w) => w.url().includes('trainer.worker'));
      expect(worker).toBeDefined();
      t0 = await page.evaluate(() => window.robust.now());
      await worker!.evaluate(() => (self as unknown as { close: () => void }).close());
    }
    await page.waitForFunction(() => window.robust.snapshot().worker === 'failed', undefined, { timeout: 15_000 });
    const failed = await snap(page);
    const ms = (failed.failedAt ?? Number.POSITIVE_INFINITY) - t0;
    figures[how === 'thrown error' ? 'crashNoticedMs' : 'terminationNoticedMs'] = Math.round(ms);
    expect(failed.error).toBeTruthy();
    expect(ms).toBeLessThan(1000);
    const setup = await page.evaluate(() => window.robust.restart());
    expect(setup?.runs).toBe(6);
    await page.evaluate(() => window.robust.start());
    await page.waitForFunction(() => (window.robust.snapshot().status?.runs[0].step ?? 0) > 20);
    const back = await snap(page);
    expect(back.worker).toBe('ready');
    expect(back.configs).toBe(6);
    await page.evaluate(() => window.robust.pause());
  }
  recordFigures('faults-worker', { ...figures, restartsRestoredConfigs: 2 });
});
