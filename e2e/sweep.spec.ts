// The hyperparameter sweep view: a 3 optimizer x 8 lr sweep on the circle set (24 runs trained
// together in one CPU backend) finishes; every heatmap cell carries its run's value (diverged
// ones none, and marked), its colour follows its value on the legend's scale, the best cell of each
// optimizer is outlined; a cell opened in the playground, trained alone, ends at exactly the
// cell's value; the link reproduces the sweep after a reload (same values); the CSV has one row
// per cell; bad parts of a link are named.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';

// The CPU engine for both the sweep and the single run, so "the same run alone" is the same arithmetic.
const SWEEP = 'sgd,momentum,adam:lr_0.001_10_8:ep_10:final';
const URL = `./?backend=cpu#n=200&view=sweep&sweep=${SWEEP}&v=1`;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface Cell {
  i: number;
  optimizer: string;
  lr: number;
  value: string;
  diverged: boolean;
  best: boolean;
  fill: string;
  state: string;
}

async function readCells(page: Page): Promise<Cell[]> {
  return page.getByTestId('sweep-cell').evaluateAll((els) =>
    els.map((e) => ({
      i: Number(e.getAttribute('data-i')),
      optimizer: e.getAttribute('data-optimizer') ?? '',
      lr: Number(e.getAttribute('data-lr')),
      value: e.getAttribute('data-value') ?? '',
      diverged: e.getAttribute('data-diverged') === '1',
      best: e.getAttribute('data-best') === '1',
      fill: e.getAttribute('data-fill') ?? '',
      state: e.getAttribute('data-state') ?? '',
    })),
  );
}

/** Relative luminance of '#rrggbb' or 'rgb(r, g, b)'. */
function luminance(c: string): number {
  const m = c.startsWith('#')
    ? [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16))
    : (c.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  const [r, g, b] = m.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function download(page: Page, trigger: () => Promise<void>) {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

async function trainSweep(page: Page) {
  const status = page.getByTestId('sweep-status');
  await expect(page.getByTestId('sweep-train')).toBeEnabled({ timeout: 90_000 });
  const t0 = Date.now();
  await page.getByTestId('sweep-train').click();
  await expect(status).toHaveAttribute('data-ended', '24', { timeout: 240_000 });
  console.log(`sweep of 24 runs trained in ${((Date.now() - t0) / 1000).toFixed(1)} s (wall, loaded machine)`);
}

const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(','));

test('a 3 x 8 sweep: heatmap cells, best outlines, tooltip, exports, reload, open a cell in the playground', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  await page.goto(URL);
  await expect(page.getByTestId('sweep-view')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('sweep-batch-note')).toContainText('Batch size is not an axis');
  await expect(page.getByTestId('sweep-size')).toHaveText('24 runs');
  await expect(page.getByTestId('sweep-cell')).toHaveCount(24);
  await expect(page.getByTestId('sweep-lr-max')).toHaveValue('10');
  await trainSweep(page);
  await expect(page.getByTestId('sweep-status')).toContainText('24 runs trained together on CPU engine');

  // Every cell: a finished run with a value, or a diverged one marked and without a value.
  const cells = await readCells(page);
  expect(cells.map((c) => c.i)).toEqual([...Array(24).keys()]);
  expect(cells.map((c) => c.optimizer)).toEqual([
    ...Array(8).fill('sgd'),
    ...Array(8).fill('momentum'),
    ...Array(8).fill('adam'),
  ]);
  for (const c of cells) {
    if (c.diverged) {
      expect(c.state, `cell ${c.i}`).toBe('diverged');
      expect(c.value, `cell ${c.i}`).toBe('');
    } else {
      expect(c.state, `cell ${c.i}`).toBe('finished');
      expect(Number.isFinite(Number(c.value)) && c.value !== '', `cell ${c.i}`).toBe(true);
    }
  }
  // The grid reaches from too small to too large: the largest lrs diverge, most cells have a value.
  expect(cells.filter((c) => c.diverged).length).toBeGreaterThan(0);
  expect(cells.filter((c) => !c.diverged).length).toBeGreaterThan(12);
  await expect(page.getByTestId('sweep-cell').filter({ has: page.locator('path') })).toHaveCount(
    cells.filter((c) => c.diverged).length,
  );

  // Colour = value: a lower loss is never darker than a higher one (viridis, low is bright).
  const valued = cells.filter((c) => c.value !== '').sort((a, b) => Number(a.value) - Number(b.value));
  for (let k = 1; k < valued.length; k++)
    expect(luminance(valued[k].fill), `cell ${valued[k].i} vs ${valued[k - 1].i}`).toBeLessThanOrEqual(
      luminance(valued[k - 1].fill) + 1e-9,
    );

  // Best cell per optimizer: the lowest value of its row (ties: the smaller lr), outlined.
  const bestIdx: number[] = [];
  for (const o of ['sgd', 'momentum', 'adam']) {
    const mine = cells.filter((c) => c.optimizer === o && c.value !== '');
    const min = Math.min(...mine.map((c) => Number(c.value)));
    const want = mine.filter((c) => Number(c.value) === min).sort((a, b) => a.lr - b.lr)[0];
    bestIdx.push(want.i);
    expect(
      cells.filter((c) => c.optimizer === o && c.best).map((c) => c.i),
      o,
    ).toEqual([want.i]);
  }
  const outlined = await page
    .getByTestId('sweep-best')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-i'))));
  expect(outlined.sort((a, b) => a - b)).toEqual([...bestIdx].sort((a, b) => a - b));

  // Hover: the cell's numbers.
  const momBest = cells[bestIdx[1]];
  await page.locator(`[data-testid="sweep-cell"][data-i="${momBest.i}"]`).hover();
  const tip = page.getByTestId('sweep-tooltip');
  await expect(tip).toContainText('Momentum');
  await expect(tip).toContainText(`lr ${momBest.lr}`);
  await expect(tip).toContainText('final val. loss');
  await expect(tip).toContainText('finished (10 epochs)');

  // CSV: a header and one row per cell, equal to the heatmap's values.
  const csv = await download(page, () => page.getByTestId('sweep-csv').click());
  expect(csv.name).toBe('sweep.csv');
  const rows = csvRows(csv.bytes.toString('utf8'));
  expect(rows[0]).toEqual(['optimizer', 'lr', 'extra', 'final_val_loss', 'diverged']);
  expect(rows).toHaveLength(25);
  for (const c of cells)
    expect(rows[c.i + 1], `row ${c.i + 1}`).toEqual([c.optimizer, String(c.lr), '', c.value, c.diverged ? '1' : '0']);

  // SVG and PNG of the heatmap: vector cells, a PNG file.
  const svg = await download(page, () => page.getByTestId('sweep-svg').click());
  expect(svg.name).toBe('sweep-heatmap.svg');
  const svgText = svg.bytes.toString('utf8');
  expect(svgText).toMatch(/^<\?xml[\s\S]*<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svgText.match(/data-testid="sweep-cell"/g)).toHaveLength(24);
  expect(svgText).not.toContain('<image');
  const png = await download(page, () => page.getByTestId('sweep-png').click());
  expect(png.name).toBe('sweep-heatmap.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG);

  // A taller window for the pictures (docs/screenshots), the whole view in one frame.
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.mouse.move(0, 0);
  await page.getByTestId('sweep-view').screenshot({ path: testInfo.outputPath('sweep-heatmap.png') });

  // The line view: one line per optimizer, the same best points ringed; in the link.
  await page.getByTestId('show-lines').click();
  await expect(page.getByTestId('sweep-line')).toHaveCount(3);
  await expect(page.locator('[data-testid="sweep-lines"] circle[data-best="1"]')).toHaveCount(3);
  await expect(page).toHaveURL(/sweep=sgd,momentum,adam:lr_0\.001_10_8:ep_10:final:lines/);
  await page.getByTestId('sweep-view').screenshot({ path: testInfo.outputPath('sweep-lines.png') });
  const linesSvg = await download(page, () => page.getByTestId('sweep-svg').click());
  expect(linesSvg.name).toBe('sweep-lines.svg');

  // Reload: the same sweep, the same display, and trained again the same values.
  await page.reload();
  await expect(page.getByTestId('show-lines')).toHaveAttribute('aria-pressed', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('sweep-size')).toHaveText('24 runs');
  await expect(page.getByTestId('sweep-epochs')).toHaveValue('10');
  await expect(page.getByTestId('sweep-lr-count')).toHaveValue('8');
  await trainSweep(page);
  await page.getByTestId('show-heatmap').click();
  expect((await readCells(page)).map((c) => [c.value, c.diverged])).toEqual(cells.map((c) => [c.value, c.diverged]));

  // Click the best momentum cell: the playground gets its config and, trained alone, ends at its value.
  await page.locator(`[data-testid="sweep-cell"][data-i="${momBest.i}"]`).click();
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page).not.toHaveURL(/view=sweep/);
  await expect(page).toHaveURL(new RegExp(`opt=momentum&.*lr=${String(momBest.lr).replace('.', '\\.')}(&|$)`));
  await expect(page).toHaveURL(/epochs=10(&|$)/);
  await expect(page.getByTestId('applied')).toHaveText(`Momentum · ε ${momBest.lr}`, { timeout: 60_000 });
  const t1 = Date.now();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('status-text')).toHaveText('finished at epoch 10', { timeout: 120_000 });
  console.log(`the cell alone trained in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const metrics = await download(page, async () => {
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-csv').click();
  });
  const m = csvRows(metrics.bytes.toString('utf8'));
  const col = m[0].indexOf('valLoss');
  const epochs = m.filter((r) => r[2] === 'epoch');
  expect(epochs).toHaveLength(10);
  expect(epochs[9][col]).toBe(momBest.value);
});

test('a bad sweep link is named part by part and the rest is kept', async ({ page }) => {
  await page.goto('./?backend=cpu#view=sweep&sweep=sgd,foo:lr_0.001_10_40:mom_0.5_0.9:ep_10:final');
  await expect(page.getByTestId('sweep-view')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/sweep\.optimizers.*"foo" is not an optimizer/)).toBeVisible();
  await expect(
    page.getByText(/sweep\.lrCount.*40 is not a whole number of learning rates from 6 to 16; using 8/),
  ).toBeVisible();
  await expect(page.getByText(/sweep\.extra.*none of sgd uses momentum; no extra axis/)).toBeVisible();
  await expect(page.getByTestId('sweep-size')).toHaveText('8 runs');
  await expect(page.getByTestId('sweep-lr-max')).toHaveValue('10');
  // A bad edit is refused with its field; the sweep in use stays.
  await page.getByTestId('sweep-lr-count').fill('20');
  await expect(page.getByRole('alert').filter({ hasText: 'sweep.lrCount: 20 is not a whole number' })).toBeVisible();
  await expect(page.getByTestId('sweep-size')).toHaveText('8 runs');
  await expect(page).toHaveURL(/sweep=sgd:lr_0\.001_10_8:ep_10:final/);
});
