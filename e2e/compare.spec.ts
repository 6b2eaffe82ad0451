// Compare mode as a new user meets it: open it from the tab bar, press play, and the six default
// optimizers race on the same network: six coloured curves appear, and their losses part ways.
import { expect, test } from '@playwright/test';

test('open compare mode, start the race: six coloured curves appear and diverge', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  // The view is in the link, with the compare set.
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/view=compare.*|compare=.*view=compare/);
  expect(await page.evaluate(() => location.hash)).toContain('compare=sgd:lr_0.1,momentum:');

  const play = page.getByTestId('play');
  await expect(play).toBeEnabled({ timeout: 60_000 });
  await play.click();

  // Six curves on the loss chart.
  const loss = page.getByTestId('compare-loss').locator('canvas');
  await expect(loss).toHaveAttribute('data-runs', '6', { timeout: 60_000 });

  // The race table fills in; after a few hundred steps the losses have parted ways.
  const table = page.getByTestId('compare-table');
  const losses = async () =>
    (
      await table
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''))
    )
      .map(Number)
      .filter(Number.isFinite);
  await expect.poll(async () => (await losses()).length, { timeout: 60_000 }).toBe(6);
  await expect
    .poll(
      async () => {
        const steps = await table.locator('tbody tr td:first-of-type').allTextContents();
        return Math.min(...steps.map(Number));
      },
      { timeout: 90_000 },
    )
    .toBeGreaterThan(300);
  const l = await losses();
  const spread = Math.max(...l) / Math.min(...l);
  expect(new Set(l.map((v) => v.toPrecision(3))).size).toBeGreaterThanOrEqual(5);
  expect(spread).toBeGreaterThan(1.5);

  // Legend toggles: hiding one optimizer leaves five curves.
  await page.getByTestId('compare-loss').locator('button[data-run="0"]').click();
  await expect(loss).toHaveAttribute('data-runs', '5');
  await page.getByTestId('compare-loss').locator('button[data-run="0"]').click();
  await expect(loss).toHaveAttribute('data-runs', '6');

  await page.getByTestId('play').click(); // pause, so the screenshot is of a still race
  const shot = await page.getByTestId('compare-view').screenshot();
  await testInfo.attach('compare-race', { body: shot, contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath('compare.png'), fullPage: true });
});

test('promote a racer to the playground, and copy the playground into a compare slot', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await expect(page.getByTestId('compare-table')).toBeVisible();
  // Promote Adam (row 6): the playground now trains with Adam at Adam's rate.
  await page.getByTestId('compare-table').locator('tr[data-run="5"] button', { hasText: 'Promote' }).click();
  await expect(page.getByRole('button', { name: 'Playground' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('radio', { name: 'Adam', exact: true })).toBeChecked();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/opt=adam&lr=0\.01&/);
  expect(await page.evaluate(() => location.hash)).not.toMatch(/view=/);
  // Back in compare mode, copy the playground's optimizer into a seventh slot.
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await page.getByRole('button', { name: "+ Copy the playground's optimizer" }).click();
  await expect(page.locator('.slot-list > li')).toHaveCount(7);
  await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(7);
});

test('the status line speaks of the race; the table says which racer diverged and which finished', async ({ page }) => {
  test.setTimeout(120_000);
  // SGD at lr 5 blows up within a few dozen steps; Adam trains on (~3 s) to the 60-epoch limit.
  await page.goto('./#view=compare&compare=sgd:lr_5,adam:lr_0.01&epochs=60&v=1');
  const play = page.getByTestId('play');
  await expect(play).toBeEnabled({ timeout: 60_000 });
  // What races, not run 0's optimizer; each racer's settings in the tooltip.
  const applied = page.getByTestId('applied');
  await expect(applied).toHaveText('2 optimizers');
  await expect(applied.locator('..')).toHaveText('race: 2 optimizers');
  await expect(applied.locator('..')).toHaveAttribute('title', /SGD · ε 5, Adam · ε 0\.01/);
  await play.click();
  const table = page.getByTestId('compare-table');
  const sgd = table.locator('tr[data-run="0"]');
  const adam = table.locator('tr[data-run="1"]');
  await expect(sgd).toHaveAttribute('data-state', 'diverged', { timeout: 60_000 });
  await expect(sgd.getByTestId('run-ended')).toHaveText(/^diverged at step \d+$/);
  const status = page.getByTestId('status-text');
  await expect(status).toHaveText('training · 1 diverged');
  await expect(play).toHaveText(/Pause/);
  // The race goes on without SGD until Adam reaches the epoch limit; then it is over.
  await expect(adam).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(adam.getByTestId('run-ended')).toHaveText('finished at epoch 60');
  await expect(status).toHaveText('race over · 1 diverged, 1 finished');
  await expect(play).toHaveText(/Play/);
  // The step shown is the leader's, not the diverged racer's.
  const sgdStep = Number(await sgd.locator('td').first().textContent());
  expect(Number(await page.getByTestId('step').textContent())).toBeGreaterThan(sgdStep);
});
