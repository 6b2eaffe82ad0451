// Noisy arenas: the sigma slider adds seeded gradient noise; the caption is written from the
// settings (it follows the slider); on the quadratic each racer with a closed-form floor (SGD,
// heavy ball) shows its measured noise floor beside the theoretical one, and they agree to within
// the statistics of 1,500 correlated samples; a new noise seed changes the paths.
import { expect, test } from '@playwright/test';

test('gradient noise on the quadratic: caption follows the slider, measured floor beside theory', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Arena' }).click();
  await page.locator('button[data-fn="quadratic"]').click();
  await page.getByRole('combobox', { name: 'Steps to compute' }).selectOption('3000');
  const panel = page.getByTestId('noise-panel');
  await expect(panel.getByTestId('noise-caption')).toContainText('Exact gradients');
  await panel.getByTestId('sigma-slider').locator('input').fill('250'); // position 250 of 1000: sigma 0.5
  await expect(panel.getByTestId('sigma-slider').locator('.value')).toHaveText('0.5');
  await expect(panel.getByTestId('noise-caption')).toContainText('σ = 0.5 (seed 1');
  await expect(panel.getByTestId('noise-caption')).toContainText('steps 1500–3000');
  const rows = panel.getByTestId('noise-floor').locator('tbody tr');
  const pairs = await rows.evaluateAll((trs) =>
    trs.map((tr) => [Number(tr.getAttribute('data-theory')), Number(tr.getAttribute('data-measured'))]),
  );
  const withTheory = pairs.filter(([t]) => Number.isFinite(t));
  expect(withTheory.length).toBeGreaterThanOrEqual(2); // SGD and momentum racers of the default race
  for (const [theory, measured] of withTheory) {
    expect(theory).toBeGreaterThan(0);
    expect(Math.abs(measured / theory - 1)).toBeLessThan(0.35);
  }
  // A new noise seed: another draw, same settings
  const before = await page.getByTestId('arena-path').first().getAttribute('d');
  await panel.getByRole('button', { name: 'New noise' }).click();
  await expect(panel.getByTestId('noise-caption')).toContainText('(seed 2');
  await page.getByRole('button', { name: /^Play$/ }).click();
  await page.waitForTimeout(500);
  expect(await page.getByTestId('arena-path').first().getAttribute('d')).not.toBe(before);
  await page.getByTestId('arena').screenshot({ path: 'docs/screenshots/noisy-arena-quadratic.png' });
});
