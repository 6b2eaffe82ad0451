// The weight-space trajectory as a new user meets it: train the playground's network for a
// while and find its path, projected on the PCA plane of its snapshots, over loss contours; in
// compare mode, every racer's path on one shared plane.
import { expect, test } from '@playwright/test';
import { trainFor } from './train';

test('the projected trajectory shows a path over contours', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await trainFor(page, 300);
  const card = page.getByTestId('trajectory');
  await card.scrollIntoViewIfNeeded();
  const plot = card.locator('svg.trajectory-plot');
  await expect(plot).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  expect(Number(await plot.locator('g.contours').getAttribute('data-levels'))).toBeGreaterThan(5);
  const path = card.getByTestId('trajectory-path');
  await expect(path).toHaveCount(1);
  expect(Number(await path.getAttribute('data-points'))).toBeGreaterThan(10);
  await expect(card).toContainText(/PC1 \(\d+(\.\d)?% of the path's variance\)/);
  // Beside the plot: how much of the path the plane holds, and how far snapshots lie off it
  const fit = card.getByTestId('plane-fit');
  await expect(fit).toContainText(/The plane holds \d+(\.\d)?% of the snapshots’ variance/);
  await expect(fit).toContainText(/Snapshots lie off the plane by up to \d+(\.\d)?% \(median/);
  const explained = Number(await fit.getAttribute('data-explained'));
  const pcs = (await card.textContent())?.match(/PC\d \((\d+(?:\.\d)?)% of the path's variance\)/g) ?? [];
  const shown = pcs.map((t) => Number(t.match(/\((\d+(?:\.\d)?)%/)?.[1]) / 100);
  expect(shown.length).toBe(2);
  expect(explained).toBeCloseTo(shown[0] + shown[1], 2); // the PCA plane: lambda1 + lambda2 of the trace
  await card.screenshot({ path: 'docs/screenshots/trajectory-plane-fit.png' });
  await testInfo.attach('trajectory', {
    body: await card.screenshot({ path: testInfo.outputPath('trajectory.png') }),
    contentType: 'image/png',
  });
});

test('in compare mode every racer has a path on one shared plane', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await trainFor(page, 150);
  const card = page.getByTestId('trajectory');
  await card.scrollIntoViewIfNeeded();
  await expect(card.locator('svg.trajectory-plot')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(card.getByTestId('trajectory-path')).toHaveCount(6);
  // All racers start from the same weights: their first points coincide.
  const starts = await card.getByTestId('trajectory-path').evaluateAll((els) =>
    els.map((e) =>
      (e.getAttribute('d') ?? '')
        .match(/^M([-\d.]+),([-\d.]+)/)
        ?.slice(1)
        .map(Number),
    ),
  );
  for (const s of starts) {
    expect(Math.abs(s![0] - starts[0]![0])).toBeLessThan(1.5);
    expect(Math.abs(s![1] - starts[0]![1])).toBeLessThan(1.5);
  }
  await testInfo.attach('trajectory-compare', { body: await card.screenshot(), contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath('trajectory-compare.png'), fullPage: true });
});

test('right after start the trajectory waits for snapshots instead of showing an error', async ({ page }) => {
  test.setTimeout(120_000);
  const seen = new Set<string>();
  await page.goto('./');
  const play = page.getByTestId('play');
  await expect(play).toBeEnabled({ timeout: 60_000 });
  const card = page.getByTestId('trajectory');
  await expect(card.getByTestId('trajectory-waiting')).toHaveText('Train a few steps: the path appears here');
  await play.click();
  // Sample the card while the first snapshots arrive: a waiting line, then the path; never an error.
  const path = card.getByTestId('trajectory-path');
  for (let i = 0; i < 200 && (await path.count()) === 0; i++) {
    seen.add((await card.textContent()) ?? '');
    await page.waitForTimeout(50);
  }
  await expect(path).toHaveCount(1, { timeout: 30_000 });
  const texts = [...seen].join('\n');
  expect(texts).not.toMatch(/need at least|snapshots, got|not moved yet/);
  expect(texts).toContain('collecting weight snapshots…');
});
