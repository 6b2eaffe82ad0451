// The learning-rate range test in the playground (Optimizer section): on circle and on digits the
// suggested lr lies within half a decade of where the loss falls fastest. "Falls fastest" is
// measured here independently of the app's rule: the raw minibatch losses the worker returned,
// averaged over a centred window of 41 steps (about the noise reduction of the app's exponential
// smoothing, 2/f - 1 = 39 steps, without its lag of (1-f)/f = 19 steps), differenced against
// log10(lr), steepest negative slope before the curve's minimum. "Use this lr" sets the lr.
import { expect, type Page, test } from '@playwright/test';

/** The lr where the centred moving average of the raw losses falls fastest against log10 lr. */
function fastestFall(lrs: number[], losses: number[], half = 20): number {
  const n = lrs.length;
  const avg = lrs.map((_, i) => {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    let s = 0;
    for (let k = lo; k < hi; k++) s += losses[k];
    return s / (hi - lo);
  });
  let iMin = half;
  for (let i = half; i < n - half; i++) if (avg[i] < avg[iMin]) iMin = i;
  let best = half + 1;
  let bestSlope = Number.POSITIVE_INFINITY;
  for (let i = half + 1; i <= iMin; i++) {
    const slope = (avg[i] - avg[i - 1]) / (Math.log10(lrs[i]) - Math.log10(lrs[i - 1]));
    if (slope < bestSlope) [best, bestSlope] = [i, slope];
  }
  return lrs[best];
}

async function rangeTest(page: Page, shot: string) {
  const panel = page.getByTestId('lr-range');
  await panel.scrollIntoViewIfNeeded();
  const button = panel.getByRole('button', { name: 'LR range test' });
  await expect(button).toBeEnabled({ timeout: 60_000 });
  await button.click();
  const plot = panel.locator('svg.lr-range-plot');
  await expect(plot).toBeVisible({ timeout: 120_000 });
  const lrs = JSON.parse((await plot.getAttribute('data-lrs')) ?? '[]') as number[];
  const losses = JSON.parse((await plot.getAttribute('data-losses')) ?? '[]') as number[];
  const mark = plot.locator('line.mark-steepest');
  await expect(mark).toHaveAttribute('data-rule', 'steepest');
  const suggested = Number(await mark.getAttribute('data-lr'));
  await expect(panel.getByTestId('lr-range-caption')).toContainText('steepest descent of the smoothed loss');
  const fastest = fastestFall(lrs, losses);
  console.log(
    `[lr-range] ${shot}: ${lrs.length} steps, suggested ${suggested.toPrecision(3)}, fastest fall ${fastest.toPrecision(3)}`,
  );
  expect(lrs.length).toBeGreaterThan(40);
  expect(Math.abs(Math.log10(suggested) - Math.log10(fastest))).toBeLessThanOrEqual(0.5);
  await panel.screenshot({ path: `docs/screenshots/lr-range-${shot}.png` });
  return { panel, suggested };
}

test('range test on circle: suggestion within half a decade of the fastest fall; use this lr applies it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('./?backend=cpu#data=circle');
  const { panel, suggested } = await rangeTest(page, 'circle');
  await panel.getByRole('button', { name: /Use this lr/ }).click();
  await expect(page).toHaveURL(new RegExp(`lr=${Number(suggested.toPrecision(2))}(&|$)`));
});

test('range test on digits: suggestion within half a decade of the fastest fall', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('./?backend=cpu#data=digits&n=1000');
  await rangeTest(page, 'digits');
});
