// Seed bands: four racers on five seeds each (20 runs trained together in one backend). The loss
// chart draws each racer's mean with a min-max band in its colour (counted in the canvas's own
// pixels: the band is the only thing drawn at the band's alpha), shows the seeds' own curves on
// hover, and the race table gives mean ± spread. A bad seed count in a link is named.
import { expect, type Locator, test } from '@playwright/test';

const RACE =
  './#view=compare&compare=sgd:lr_0.1,momentum:lr_0.03:mom_0.9,rmsprop:lr_0.01:rho_0.9:eps_1e-8,' +
  'adam:lr_0.01:b1_0.9:b2_0.999:eps_1e-8,target_0.3,seeds_5&epochs=40&v=1';
const COLORS = ['#4e79a7', '#f28e2c', '#e15759', '#59a14f']; // the first four slot colours (src/compare/colors.ts)

/** Pixels of the canvas drawn in `hex` at about the band's alpha (0.2 of 255, over transparent). */
async function bandPixels(canvas: Locator, hex: string): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement, color) => {
    const rgb = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 44 || d[i + 3] > 60) continue;
      if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) <= 24) n++;
    }
    return n;
  }, hex);
}

test('a 4-racer x 5-seed race draws a band per racer, the seeds on hover, mean ± spread in the table', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(RACE);
  const play = page.getByTestId('play');
  await expect(play).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Seeds per racer')).toHaveValue('5');
  await play.click();
  const loss = page.getByTestId('compare-loss').locator('canvas');
  await expect(loss).toHaveAttribute('data-runs', '4', { timeout: 60_000 });
  await expect(loss).toHaveAttribute('data-bands', '4', { timeout: 60_000 });

  // Let every racer's seeds part a little, then pause for a still picture.
  const table = page.getByTestId('compare-table');
  await expect
    .poll(async () => Number((await table.locator('tbody tr td:first-of-type').first().textContent()) ?? 0), {
      timeout: 120_000,
    })
    .toBeGreaterThan(150);
  await play.click();

  // Each racer's band is on the canvas in its own colour (a single seed would draw none): shown
  // alone through the legend, so no other band covers it.
  const legend = page.getByTestId('compare-loss').locator('.run-legend button');
  for (let i = 0; i < COLORS.length; i++) {
    for (let j = 0; j < COLORS.length; j++) if (j !== i) await legend.nth(j).click();
    await expect(loss).toHaveAttribute('data-bands', '1');
    expect(await bandPixels(loss, COLORS[i]), `band pixels of racer ${i}`).toBeGreaterThan(300);
    for (let j = 0; j < COLORS.length; j++) if (j !== i) await legend.nth(j).click();
  }
  await expect(loss).toHaveAttribute('data-bands', '4');

  // Hover: the 4 x 5 seeds' own curves appear.
  const box = (await loss.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  await expect(loss).toHaveAttribute('data-members', '20');
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height + 80);
  await expect(loss).toHaveAttribute('data-members', '0');

  // The table: best validation accuracy as mean ± sd over the 5 seeds, its range in the title.
  const acc = table.locator('tbody tr td:nth-of-type(4)');
  await expect(acc).toHaveCount(4);
  for (const t of await acc.allTextContents()) expect(t).toMatch(/^\d+\.\d% ± \d+\.\d$/);
  expect(await acc.first().getAttribute('title')).toMatch(/over 5 of 5 seeds; min \d+\.\d%, max \d+\.\d%/);
  const reached = await table.locator('tbody tr td:nth-of-type(5)').allTextContents();
  for (const t of reached) expect(t).toMatch(/^(step \d+ ± \d+( \(\d\/5\))?|– \(0\/5\))$/);

  await page.getByTestId('compare-view').screenshot({ path: testInfo.outputPath('seed-bands.png') });
  await loss.screenshot({ path: testInfo.outputPath('seed-bands-loss.png') });

  // One seed: no bands. A bad count in a link is named and one seed is used.
  await page.getByLabel('Seeds per racer').fill('1');
  await expect(loss).toHaveAttribute('data-bands', '0', { timeout: 30_000 });
  await page.getByLabel('Seeds per racer').fill('40');
  await expect(page.getByRole('alert').filter({ hasText: 'seeds: 40 is not a whole number' })).toBeVisible();
  await page.goto('about:blank'); // a fresh load of the link (not a hash change)
  await page.goto(RACE.replace('seeds_5', 'seeds_40'));
  await expect(page.getByText(/compare\.seeds.*40 is not a whole number of seeds from 1 to 16/)).toBeVisible();
  await expect(page.getByLabel('Seeds per racer')).toHaveValue('1');
});
