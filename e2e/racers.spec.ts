// A compare race on the CPU engine spread over one worker per core (workers/cpu/sharded.ts), in
// headless Chromium: the status line says how many workers train, and the curves the page receives
// equal those of the same race in one worker, bit for bit (the worker harness, e2e/pages/worker.ts,
// drives the real training worker through the page's bridge as the app does).
import { expect, test } from '@playwright/test';

/** One worker: the plain name, or its GEMM threads on a cross-origin isolated page. */
const ONE_WORKER = /^CPU engine \(WebAssembly SIMD(, \d+ threads)?\)$/;

type Race = Awaited<ReturnType<Window['harness']['race']>>;

test.describe('compare race on the CPU over the cores', () => {
  test('the status line names the workers (app, ?backend=cpu); ?workers=1 keeps one', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(
      './?backend=cpu#view=compare&compare=sgd:lr_0.1,momentum:lr_0.05,adam:lr_0.01,rmsprop:lr_0.005&v=1',
    );
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const backend = page.getByTestId('status').locator('.backend');
    if (cores >= 2)
      await expect(backend).toHaveText(`CPU engine (WebAssembly SIMD, ${Math.min(4, cores)} workers)`, {
        timeout: 60_000,
      });
    else await expect(backend).toHaveText(ONE_WORKER, { timeout: 60_000 });
    const play = page.getByTestId('play');
    await expect(play).toBeEnabled({ timeout: 60_000 });
    await play.click();
    // the four racers train (every row of the race table gets past step 50)
    const table = page.getByTestId('compare-table');
    await expect
      .poll(async () => Math.min(...(await table.locator('tbody tr td:first-of-type').allTextContents()).map(Number)), {
        timeout: 90_000,
      })
      .toBeGreaterThan(50);
    await play.click();
    await page.goto('./?backend=cpu&workers=1#view=compare&compare=sgd:lr_0.1,adam:lr_0.01&v=1');
    await expect(page.getByTestId('status').locator('.backend')).toHaveText(ONE_WORKER, {
      timeout: 60_000,
    });
  });

  test('six racers over the workers train exactly the one-worker race (BN, dropout, a schedule, Muon)', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    page.on('pageerror', (e) => console.log(`[page exception] ${e.message}`));
    await page.goto('./e2e/pages/worker.html');
    await page.waitForFunction(() => typeof window.harness !== 'undefined');
    const race = (workers: number | undefined): Promise<Race> =>
      page.evaluate(([w]) => window.harness.race(w, 300), [workers] as const);
    const spread = await race(undefined);
    const one = await race(1);
    console.log(`[racers] ${spread.backend} vs ${one.backend}; ${spread.cores} cores`);
    // one worker: its GEMMs may be shared by threads on this cross-origin isolated page (gemmPool.ts)
    expect(one.backend).toMatch(ONE_WORKER);
    // Spread over W workers at build. On a loaded machine, where the sub-workers get no core of their
    // own, the race goes back to one worker mid-race (placement.ts spreadPays) carrying every run's
    // whole state, and says so; either way its curves must equal the one-worker race's.
    const W = Math.min(6, spread.cores);
    if (spread.cores >= 2)
      expect([
        `CPU engine (WebAssembly SIMD, ${W} workers)`,
        `CPU engine (WebAssembly SIMD, 1 worker: spreading over ${W} did not pay)`,
      ]).toContain(spread.backend);
    expect(spread.steps).toEqual([300, 300, 300, 300, 300, 300]);
    expect(spread.losses.map((l) => l.length)).toEqual([300, 300, 300, 300, 300, 300]);
    expect(spread.losses.every((l) => l.every(Number.isFinite))).toBe(true);
    // the racers differ from one another (six optimizers), and each equals its one-worker self
    expect(new Set(spread.losses.map((l) => l[299])).size).toBe(6);
    expect(spread.losses).toEqual(one.losses);
  });
});
