// Faults and persistence on the real page (the built app, not a harness):
//  - a reload mid-run never loses the config (link and local storage);
//  - kept runs and races survive a reload (IndexedDB), and a full disk is reported on the page;
//  - a GPU device loss, a worker crash and a terminated worker are shown on the page; a restart
//    restores the config;
//  - a CSV of points trains; a CSV with bad rows is refused whole, each bad row named by line.
// The faults are injected from inside the worker (Playwright's worker handle): a message to the
// worker's Comlink endpoint calls the test hook, `throw` and `self.close()` are the crash and the kill.
import { expect, type Page, test, type Worker } from '@playwright/test';
import { recordFigures } from '../test-support/figures';

async function openApp(page: Page, url = './#data=xor&opt=adam&lr=0.03&v=1'): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Descent', level: 1 })).toBeVisible();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
}

const stepNow = async (page: Page) => Number(await page.getByTestId('step').textContent());

async function trainSome(page: Page, steps: number): Promise<void> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThan(steps);
  await page.getByTestId('play').click();
}

async function trainerWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes('trainer.worker'))).toBe(true);
  return page.workers().find((w) => w.url().includes('trainer.worker'))!;
}

const figures: Record<string, unknown> = {};

test('a reload mid-run keeps the config, from the link and from local storage', async ({ page }) => {
  await openApp(page);
  await page.locator('label.opt-choice', { hasText: /^RMSprop$/ }).click();
  await expect(page.getByTestId('applied')).toHaveText(/RMSprop/);
  await page.getByTestId('play').click();
  await expect.poll(() => stepNow(page)).toBeGreaterThan(10);
  const hash = new URL(page.url()).hash;
  expect(hash).toContain('opt=rmsprop');
  await page.reload(); // mid-run
  await expect(page.getByTestId('applied')).toHaveText(/RMSprop/, { timeout: 60_000 });
  expect(new URL(page.url()).hash).toBe(hash);
  // A bare address (the link lost): the last config comes back from local storage.
  await openApp(page, './');
  await expect(page.getByTestId('applied')).toHaveText(/RMSprop/);
  expect(new URL(page.url()).hash).toBe(hash);
});

test('kept runs and races survive a reload; a full disk is reported', async ({ page }) => {
  await openApp(page);
  await trainSome(page, 30);
  const kept = page.getByTestId('kept-runs');
  await page.locator('summary', { hasText: 'Kept runs' }).click();
  await kept.getByRole('button', { name: 'Keep this run' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(1);
  await page.locator('[data-view="compare"]').click();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await trainSome(page, 10);
  await kept.getByRole('button', { name: 'Keep this race' }).click();
  await expect(kept.locator('.kept-list li')).toHaveCount(2);
  await page.reload();
  await page.locator('summary', { hasText: 'Kept runs' }).click();
  await expect(page.getByTestId('kept-runs').locator('.kept-list li')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId('kept-runs')).toContainText('6 optimizers');
  await expect(page.getByTestId('kept-runs')).toContainText('Adam ε 0.03 · XOR');
  figures.keptSurvivedReload = 2;

  // The disk is full: every IndexedDB write fails as a real quota error does.
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.reload();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await page.locator('summary', { hasText: 'Kept runs' }).click();
  await page
    .getByTestId('kept-runs')
    .getByRole('button', { name: /Keep this/ })
    .click();
  await expect(page.getByTestId('kept-error')).toContainText('storage for this site is full');
  figures.quotaErrorShown = true;
});

test('a device loss, a worker crash and a terminated worker are shown on the page', async ({ page }) => {
  await openApp(page, './?backend=webgpu#data=xor&opt=adam&lr=0.03&v=1');
  await page.getByTestId('play').click();
  await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThan(20);
  // The device goes: the worker's test hook, called through its own Comlink endpoint.
  const w = await trainerWorker(page);
  await w.evaluate(() =>
    self.dispatchEvent(
      new MessageEvent('message', {
        data: { id: 'robust-lose', type: 'APPLY', path: ['testLoseDevice'], argumentList: [] },
      }),
    ),
  );
  await expect(page.getByTestId('notices')).toContainText('device was lost', { timeout: 60_000 });
  const at = await stepNow(page);
  await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThan(at + 20);
  figures.deviceLossShownAndSurvived = true;

  for (const how of ['crash', 'terminate'] as const) {
    const hash = new URL(page.url()).hash;
    const worker = await trainerWorker(page);
    const t0 = Date.now();
    if (how === 'crash')
      await worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('robust: a crash inside the training worker');
        }, 0);
      });
    else await worker.evaluate(() => (self as unknown as { close: () => void }).close());
    await expect(page.getByTestId('status-text')).toContainText(how === 'crash' ? 'crashed' : 'stopped', {
      timeout: 5_000,
    });
    figures[`${how}ShownMs`] = Date.now() - t0;
    expect(Date.now() - t0).toBeLessThan(2_000); // within a second, plus Playwright's own round trips
    await page.getByRole('button', { name: 'Restart' }).click();
    await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
    await expect(page.getByTestId('applied')).toHaveText(/Adam · ε 0.03/);
    expect(new URL(page.url()).hash).toBe(hash);
    await trainSome(page, 10);
  }
  recordFigures('faults-page', figures);
});

test('a CSV of points trains; a CSV with bad rows is refused whole, naming each line', async ({ page }) => {
  await openApp(page);
  const rows = ['x,y,label'];
  for (let i = 0; i < 200; i++) {
    const a = i * 2.399;
    const r = i % 2 === 0 ? 0.4 : 1.2;
    rows.push(`${(r * Math.cos(a)).toFixed(3)},${(r * Math.sin(a)).toFixed(3)},${i % 2 === 0 ? 'inner' : 'outer'}`);
  }
  const input = page.getByTestId('csv-import').locator('input[type=file]');
  await input.setInputFiles({ name: 'rings.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await expect(page.getByTestId('csv-status')).toContainText('rings.csv: 200 points, 2 classes (inner, outer)');
  await trainSome(page, 50);
  // A bad file: line 3 has no label, line 6 a word for x. Nothing changes.
  const bad = [...rows.slice(0, 2), '0.1,0.2', ...rows.slice(3, 5), 'left,0.3,inner', ...rows.slice(6)];
  await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.join('\n')) });
  const errors = page.getByTestId('csv-errors');
  await expect(errors).toContainText('bad.csv was not imported');
  await expect(errors).toContainText('line 3: expected 3 columns (x, y, label), found 2');
  await expect(errors).toContainText('line 6: x is not a finite number: "left"');
  await expect(page.getByTestId('csv-status')).toContainText('rings.csv');
  figures.csvImported = 200;
  recordFigures('faults-page', figures);
});
