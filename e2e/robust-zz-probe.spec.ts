import { test } from '@playwright/test';
test('probe', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('./e2e/pages/robust.html');
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.evaluate(() => window.robust.init('webgpu'));
  await page.evaluate(() => window.robust.create(1));
  await page.evaluate(() => window.robust.start());
  for (let k = 0; k < 9; k++) {
    await page.waitForTimeout(1500);
    const s0 = await page.evaluate(() => window.robust.snapshot());
    if (s0.status?.backend?.kind !== 'webgpu') await page.evaluate(() => window.robust.setBackend('webgpu'));
    await page.waitForTimeout(500);
    const lost = await page.evaluate(() => window.robust.loseDevice());
    for (let t = 0; t < 8; t++) {
      await page.waitForTimeout(1000);
      const s = (await page.evaluate(() => window.robust.snapshot())).status!;
      console.log(k, lost, t, s.running, s.backend?.kind, s.backend?.deviceLosses, JSON.stringify(s.runs.map((r) => [r.state, r.step, r.statusStep])), (s.notice ?? '').slice(0, 160));
      if (!s.running) break;
    }
  }
});
