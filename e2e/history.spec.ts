// Run history (issue 16 §5-6) as a teacher uses it, on the CPU engine (?backend=cpu: the same
// numbers in every page, so curves can be compared value for value):
//  1. keep a run, reload, overlay it on the live run (toggled in the legend), rename it and write a
//     note, export its bundle, import it back, import a bad file and read what is wrong with it;
//  2. pause, branch with another learning rate: two curves, the branch's from the branch step, and
//     its first step's loss equal to the parent's there (the same state);
//  3. change the learning rate mid-run: a mark on the loss chart and the change in the link; the link
//     opened in a fresh browser shows the same change and replays it: the same per-step losses;
//  4. those views in use have no serious or critical axe violation, light and dark.
// Curves are read from the run bundles the page exports (its ring buffers, as kept).
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

const APP = './?backend=cpu#data=xor&opt=momentum&lr=0.1&v=1';

// Several pages, builds and downloads per test on a shared, loaded machine: generous limits.
test.setTimeout(360_000);

async function openApp(page: Page, url = APP): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Descent', level: 1 })).toBeVisible();
  // A cold worker on a loaded machine can miss its 10 s heartbeat; the page then offers Restart (logged).
  const play = page.getByTestId('play');
  const restart = page.getByRole('button', { name: 'Restart' });
  await expect(play.or(restart).first()).toBeVisible();
  await expect
    .poll(async () => (await play.isEnabled()) || (await restart.isVisible()), { timeout: 120_000 })
    .toBe(true);
  if (!(await play.isEnabled()) && (await restart.isVisible())) {
    console.log('[history] the worker missed its heartbeat at start (loaded machine): Restart');
    await restart.click();
  }
  await expect(play).toBeEnabled({ timeout: 120_000 });
}

const stepNow = async (page: Page) => Number(await page.getByTestId('step').textContent());

/** Play until past `steps`, pause, and wait for the final status: returns the step it paused at. */
async function trainPast(page: Page, steps: number): Promise<number> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThan(steps);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('status-text')).toHaveText('paused');
  return stepNow(page);
}

async function openKept(page: Page) {
  await page.locator('summary', { hasText: 'Kept runs' }).click();
  return page.getByTestId('kept-runs');
}

interface Bundle {
  format: string;
  version: number;
  run: {
    label: string;
    notes: string;
    config: { optimizer: { lr: number } };
    steps: { step: number[]; loss: (number | null)[] };
    params: number[] | null;
    bnStats: number[] | null;
    changes: { step: number; config: { optimizer: { lr: number } } }[];
  };
}

/** Click a kept run's Export and read the file it downloads. */
async function exportBundle(page: Page, row: ReturnType<Page['locator']>): Promise<{ path: string; bundle: Bundle }> {
  const download = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Export' }).click();
  const d = await download;
  const path = await d.path();
  return { path, bundle: JSON.parse(readFileSync(path, 'utf8')) as Bundle };
}

/** Pixels of the loss canvas within 24 of the colour (r, g, b) in every channel. */
const pixelsOf = (page: Page, rgb: [number, number, number]) =>
  page
    .getByTestId('loss-chart')
    .locator('canvas')
    .first()
    .evaluate((c: HTMLCanvasElement, [r, g, b]) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i] - r) < 24 && Math.abs(d[i + 1] - g) < 24 && Math.abs(d[i + 2] - b) < 24) n++;
      return n;
    }, rgb);

test('keep a run, reload, overlay it, rename it, export and import its bundle, refuse a bad file', async ({ page }) => {
  await openApp(page);
  await trainPast(page, 40);
  let kept = await openKept(page);
  await kept.getByRole('button', { name: 'Keep this run' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(1);
  await expect(page.getByTestId('kept-quota')).toContainText(/Storage: .* used of /);

  await page.reload();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 120_000 });
  kept = await openKept(page);
  const row = kept.locator('.kept-list li').first();
  await expect(row).toContainText('Momentum ε 0.1 · XOR');

  // Overlay: its saved curve is drawn on the (fresh) loss chart, and its legend row toggles it.
  const overlay = [42, 157, 143] as [number, number, number]; // the first overlay colour, #2a9d8f
  const before = await pixelsOf(page, overlay); // anti-aliased edges of other curves may come near it
  await row.getByRole('button', { name: 'Overlay' }).click();
  await expect(row.getByRole('button', { name: 'Overlay' })).toHaveAttribute('aria-pressed', 'true');
  const legend = page.getByTestId('loss-chart').getByRole('button', { name: /Momentum ε 0\.1 · XOR/ });
  await expect(legend).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => pixelsOf(page, overlay)).toBeGreaterThan(before + 50);
  await legend.click();
  await expect(legend).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => pixelsOf(page, overlay)).toBeLessThanOrEqual(before);
  await legend.click();
  await expect.poll(() => pixelsOf(page, overlay)).toBeGreaterThan(before + 50);

  // Rename, with a note.
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.getByRole('textbox', { name: 'Name' }).fill('baseline, momentum 0.1');
  await row.getByRole('textbox', { name: 'Notes' }).fill('the class run of Monday');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('baseline, momentum 0.1');
  await expect(row).toContainText('the class run of Monday');
  await expect(legend).toHaveCount(0); // the overlay follows the rename
  await expect(page.getByTestId('loss-chart').getByRole('button', { name: 'baseline, momentum 0.1' })).toBeVisible();

  // Export: a versioned bundle with the curves, the weights and the batch-norm statistics.
  const { path, bundle } = await exportBundle(page, row);
  expect(bundle).toMatchObject({ format: 'descent-run', version: 1 });
  expect(bundle.run.label).toBe('baseline, momentum 0.1');
  expect(bundle.run.notes).toBe('the class run of Monday');
  expect(bundle.run.steps.step.length).toBeGreaterThan(40);
  expect(bundle.run.steps.step.slice(0, 3)).toEqual([0, 1, 2]);
  expect(bundle.run.params?.length).toBe(2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2);
  expect(bundle.run.bnStats).toEqual([]); // no batch-norm layer in this net: no statistics

  // Import it back: a second kept run with the same curve.
  await page.getByTestId('kept-import').setInputFiles(path);
  await expect(kept.locator('.kept-list li')).toHaveCount(2);
  await expect(page.getByText(/Imported “baseline, momentum 0\.1”/)).toBeVisible();
  const again = await exportBundle(page, kept.locator('.kept-list li').nth(0));
  expect(again.bundle.run.steps).toEqual(bundle.run.steps);

  // A damaged file: refused whole, every problem named by its path and why; nothing added.
  // biome-ignore lint/suspicious/noExplicitAny: a file damaged field by field
  const bad = structuredClone(bundle) as unknown as { run: Record<string, any> };
  bad.run.config.optimizer.lr = -1;
  bad.run.steps.loss[3] = 'lots';
  await page.getByTestId('kept-import').setInputFiles({
    name: 'damaged.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  const error = page.getByTestId('kept-error');
  await expect(error).toContainText('“damaged.json” was not imported');
  await expect(error).toContainText('run.config.optimizer.lr: -1 is below the minimum');
  await expect(error).toContainText('run.steps.loss[3]: not a number');
  await expect(kept.locator('.kept-list li')).toHaveCount(2);
  await page.getByTestId('kept-import').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a bundle'),
  });
  await expect(error).toContainText('“notes.txt” was not imported: file: not JSON');
});

test('pause and branch with another learning rate: two curves from the branch step, the same state there', async ({
  page,
}) => {
  await openApp(page);
  const at = await trainPast(page, 30);
  const bar = page.getByTestId('run-history');
  await bar.getByRole('combobox', { name: 'Setting to change' }).selectOption({ label: 'Learning rate' });
  await bar.getByRole('textbox', { name: 'New value' }).fill('0.6');
  await bar.getByRole('button', { name: 'Branch' }).click();
  await expect(page.getByTestId('branch-info')).toContainText(`Branch at step ${at}: Learning rate 0.1 → 0.6`);
  await expect(page.getByTestId('loss-chart')).toContainText(`branch @ step ${at}`);
  await expect(page.getByTestId('status-text')).toHaveText('paused');
  await trainPast(page, at + 30);
  await expect.poll(() => pixelsOf(page, [181, 23, 158])).toBeGreaterThan(30); // the branch's curve, #b5179e

  const kept = await openKept(page);
  await kept.getByRole('button', { name: 'Keep this run' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(1);
  await page.getByTestId('branch-info').getByRole('button', { name: 'Keep the branch' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(2);
  const branch = (await exportBundle(page, kept.locator('.kept-list li').nth(0))).bundle.run;
  const parent = (await exportBundle(page, kept.locator('.kept-list li').nth(1))).bundle.run;
  expect(branch.label).toMatch(`(branch @ step ${at}: Learning rate 0.1 → 0.6)`);
  expect(branch.config.optimizer.lr).toBe(0.6);
  expect(parent.config.optimizer.lr).toBe(0.1);
  // The parent's curve runs from step 0; the branch's starts at the branch step.
  expect(parent.steps.step[0]).toBe(0);
  expect(branch.steps.step[0]).toBe(at);
  expect(branch.steps.step.length).toBeGreaterThan(25);
  // Same state at the branch step: its first loss (taken before the update) is the parent's there.
  const i = parent.steps.step.indexOf(at);
  expect(i).toBe(at);
  expect(branch.steps.loss[0]).toBe(parent.steps.loss[i]);
  // Then the larger step size takes it elsewhere.
  expect(branch.steps.loss.slice(5, 20)).not.toEqual(parent.steps.loss.slice(i + 5, i + 20));

  // Dropping the branch leaves the parent alone, going on.
  await page.getByTestId('branch-info').getByRole('button', { name: 'Drop branch' }).click();
  await expect(page.getByTestId('branch-info')).toHaveCount(0);
  await expect(page.getByTestId('loss-chart')).not.toContainText('branch @ step');
});

test('a mid-run change of the learning rate: a mark, the link carries it, the link replays the same curve', async ({
  page,
  browser,
}) => {
  await openApp(page);
  const at = await trainPast(page, 30);
  const lr = page.getByRole('slider', { name: 'Learning rate' });
  await lr.focus();
  for (let k = 0; k < 30 && (await lr.getAttribute('aria-valuetext')) !== '0.03'; k++) await lr.press('ArrowLeft');
  await expect(lr).toHaveAttribute('aria-valuetext', '0.03');
  const marks = page.getByTestId('change-marks');
  await expect(marks).toHaveText(`Δ1 step ${at}: Learning rate 0.1 → 0.03`);
  await expect(page).toHaveURL(new RegExp(`chg=${at}:lr:0\\.03`));
  await expect(page).toHaveURL(/[#&]lr=0\.1&/); // the link's config is the one the run started with
  const end = await trainPast(page, at + 40);
  const link = page.url();

  let kept = await openKept(page);
  await kept.getByRole('button', { name: 'Keep this run' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(1);
  const live = (await exportBundle(page, kept.locator('.kept-list li').first())).bundle.run;
  expect(live.changes.map((c) => [c.step, c.config.optimizer.lr])).toEqual([[at, 0.03]]);

  // The link in a fresh browser profile: the same change listed before training, then replayed.
  const context = await browser.newContext();
  const other = await context.newPage();
  other.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[link page ${m.type()}] ${m.text()}`);
  });
  await openApp(other, link);
  await expect(other.getByTestId('change-marks')).toHaveText(`Δ1 step ${at}: Learning rate 0.1 → 0.03`);
  // planned in the worker (the note changes once it is): then it applies before exactly that step
  await expect(other.getByTestId('run-history')).toContainText('The link in the address bar replays');
  await expect(other.getByRole('slider', { name: 'Learning rate' })).toHaveAttribute('aria-valuetext', '0.1');
  await trainPast(other, end);
  // the controls follow the replayed change
  await expect(other.getByRole('slider', { name: 'Learning rate' })).toHaveAttribute('aria-valuetext', '0.03');
  await expect(other.getByTestId('change-marks')).toHaveText(`Δ1 step ${at}: Learning rate 0.1 → 0.03`);
  expect(new URL(other.url()).hash).toBe(new URL(link).hash);
  kept = await openKept(other);
  await kept.getByRole('button', { name: 'Keep this run' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(1);
  const replay = (await exportBundle(other, kept.locator('.kept-list li').first())).bundle.run;
  const n = live.steps.step.length;
  expect(replay.steps.step.slice(0, n)).toEqual(live.steps.step);
  expect(replay.steps.loss.slice(0, n)).toEqual(live.steps.loss); // the same curve, value for value
  await context.close();
});

// The new views in use (the branch bar with a branch, the change list, the kept-runs panel with an
// overlaid run and its rename form open): no serious or critical axe violation, light and dark.
for (const theme of ['light', 'dark'] as const)
  test(`run history views, ${theme} theme: no serious or critical axe violations`, async ({ page }) => {
    await page.addInitScript((t) => localStorage.setItem('descent.ui', JSON.stringify({ theme: t })), theme);
    await openApp(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const at = await trainPast(page, 30);
    const bar = page.getByTestId('run-history');
    await bar.getByRole('combobox', { name: 'Setting to change' }).selectOption({ label: 'Learning rate' });
    await bar.getByRole('textbox', { name: 'New value' }).fill('0.6');
    await bar.getByRole('button', { name: 'Branch' }).click();
    await expect(page.getByTestId('branch-info')).toContainText(`Branch at step ${at}`);
    const kept = await openKept(page);
    await kept.getByRole('button', { name: 'Keep this run' }).click();
    await expect(kept.locator('.kept-list li')).toHaveCount(1);
    const row = kept.locator('.kept-list li').first();
    await row.getByRole('button', { name: 'Overlay' }).click();
    await expect(row.getByRole('button', { name: 'Overlay' })).toHaveAttribute('aria-pressed', 'true');
    await row.getByRole('button', { name: 'Rename' }).click();
    await expect(row.getByRole('textbox', { name: 'Notes' })).toBeVisible();
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const detail = bad.flatMap((v) =>
      v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')} — ${n.any[0]?.message ?? n.failureSummary}`),
    );
    expect(detail, detail.join('\n')).toEqual([]);
  });
