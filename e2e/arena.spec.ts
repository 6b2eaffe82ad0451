// The optimizer arena as a new user meets it: open it from the tab bar, click a start point,
// watch the racers' paths grow, step through one update and read its terms, then try the
// quadratic's closed-form heavy-ball settings and compare the theoretical and measured rates.
import { expect, type Page, test } from '@playwright/test';

const pathPoints = (page: Page) =>
  page.getByTestId('arena-path').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points'))));

test('open the arena, click a start point, and the paths animate', async ({ page }, testInfo) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Arena' }).click();
  const plot = page.getByTestId('arena-plot');
  await expect(plot).toBeVisible();
  // Contours of the default function (Rosenbrock) are drawn.
  expect(Number(await plot.locator('g.contours').getAttribute('data-levels'))).toBeGreaterThan(10);
  await expect(page.getByTestId('arena-path')).toHaveCount(6);

  // Click near the upper left of the plot: the race restarts from there and plays.
  const hit = page.getByTestId('arena-hit');
  const box = (await hit.boundingBox())!;
  await hit.click({ position: { x: box.width * 0.2, y: box.height * 0.25 } });
  await expect(page.getByTestId('arena-step-count')).not.toHaveText(/^step 0 /);
  const before = await pathPoints(page);
  const shot1 = await plot.screenshot();
  await page.waitForTimeout(700);
  const after = await pathPoints(page);
  const shot2 = await plot.screenshot();
  // Every racer's drawn path has grown, and the picture changed.
  after.forEach((n, i) => {
    expect(n, `racer ${i}`).toBeGreaterThan(before[i]);
  });
  expect(shot2.equals(shot1)).toBe(false);
  await testInfo.attach('arena-racing', { body: shot2, contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath('arena.png'), fullPage: true });

  // Pause, then one step: the counter moves by exactly one and the update arrows are drawn.
  await page.getByRole('button', { name: 'Pause' }).click();
  const counter = page.getByTestId('arena-step-count');
  const t0 = Number((await counter.textContent())!.match(/step (\d+)/)![1]);
  await page.getByTestId('arena-step').click();
  await expect(counter).toHaveText(new RegExp(`^step ${t0 + 1} /`));
  await expect(page.getByTestId('update-arrows')).toBeVisible();
  await expect(page.getByTestId('step-panel')).toContainText('gradient');
});

test('the quadratic: closed-form heavy ball converges at its theoretical rate', async ({ page }, testInfo) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Arena' }).click();
  await page.locator('button[data-fn="quadratic"]').click();
  // Select the SGD racer: its learning-rate slider carries the closed-form markers.
  await page.locator('li[data-slot="0"] button.slot-name').click();
  await expect(page.getByTestId('lr-slider')).toBeVisible();
  // The largest stable step, the best GD step and the heavy-ball step are marked on the slider.
  await expect(page.getByTestId('lr-slider').locator('.marker')).toHaveCount(3);
  await page.getByRole('button', { name: 'Optimal heavy ball' }).click();
  const row = page.getByTestId('arena-race-table').locator('tbody tr.selected');
  await expect(row).toContainText('Momentum');
  const cells = await row.locator('td').allTextContents();
  const theory = Number(cells[cells.length - 2]);
  const measured = Number(cells[cells.length - 1]);
  expect(theory).toBeGreaterThan(0);
  expect(Math.abs(measured - theory) / theory).toBeLessThan(0.02);
  await page.screenshot({ path: testInfo.outputPath('arena-quadratic.png'), fullPage: true });
});
