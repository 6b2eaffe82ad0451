// The playground as a new user meets it: open, train, watch the loss fall and the boundary move,
// change the optimizer and learning rate, edit the network, share the link, open a broken link,
// and a full-page screenshot after 3 s of training (kept in test-results/; with
// UPDATE_SCREENSHOT=1 also copied to docs/screenshot.png for the README).
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';

const lossValue = (page: Page) => page.getByTestId('loss-value');
const readLoss = async (page: Page) => Number((await lossValue(page).textContent()) ?? Number.NaN);
const boundaryPixels = (page: Page) =>
  page.getByTestId('boundary-canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
const params = async (page: Page) =>
  Number(((await page.getByTestId('network').locator('.readout').textContent()) ?? '').replace(/[^0-9]/g, ''));

async function openFresh(page: Page, hash = '') {
  await page.goto(`./${hash}`);
  await expect(page.getByRole('heading', { name: 'Descent', level: 1 })).toBeVisible();
  // Ready once the worker built the run: the play button is enabled and the status says paused.
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
}

test('a new user trains, tunes, edits the network and shares the link', async ({ page, browser }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openFresh(page);
  await expect(page.getByTestId('status-text')).toHaveText('paused');

  // Keyboard: s takes exactly one step while paused.
  await page.getByRole('heading', { name: 'Descent', level: 1 }).click();
  await page.keyboard.press('s');
  await expect(page.getByTestId('step')).toHaveText('1');

  // Play: the displayed loss falls and the decision boundary changes.
  const before = await boundaryPixels(page);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('status-text')).toHaveText('training');
  await expect.poll(() => readLoss(page)).toBeGreaterThan(0);
  const first = await readLoss(page);
  const early = await boundaryPixels(page);
  await expect.poll(() => readLoss(page), { timeout: 60_000 }).toBeLessThan(first * 0.6);
  const later = await boundaryPixels(page);
  expect(later).not.toBe(before);
  expect(later).not.toBe(early);
  console.log(`[playground] displayed loss ${first} -> ${await readLoss(page)}`);

  // Optimizer: Adam, and the learning rate down to 0.01 with the slider's keyboard steps.
  await page.locator('label.opt-choice', { hasText: /^Adam$/ }).click();
  await expect(page.getByRole('radio', { name: 'Adam', exact: true })).toBeChecked();
  await expect(page.getByRole('figure', { name: 'Adam update rule' })).toBeVisible();
  const lr = page.getByRole('slider', { name: 'Learning rate' });
  await lr.focus();
  for (let i = 0; i < 20 && (await lr.getAttribute('aria-valuetext')) !== '0.01'; i++) await lr.press('ArrowLeft');
  await expect(lr).toHaveAttribute('aria-valuetext', '0.01');
  // The run reflects it: the worker's accepted config, and the learning rate its steps report.
  await expect(page.getByTestId('applied')).toHaveText('Adam · ε 0.01');
  await expect(page.getByTestId('lr-value')).toHaveText('0.01');

  // Network: add a layer (the worker rebuilds: more parameters), then dropout and batch norm.
  const p0 = await params(page);
  await page.getByRole('button', { name: '+ Add layer' }).click();
  await expect(page.locator('fieldset.layer-row')).toHaveCount(3);
  await expect.poll(() => params(page)).toBe(p0 + 8 * 8 + 8);
  const layer1 = page.locator('fieldset.layer-row').first();
  await layer1.getByRole('slider', { name: 'drop' }).fill('0.2');
  await layer1.getByRole('checkbox', { name: 'Batch norm on layer 1' }).check();
  // Batch norm adds a scale and a shift per unit of layer 1.
  await expect.poll(() => params(page)).toBe(p0 + 8 * 8 + 8 + 2 * 8);
  await expect(page).toHaveURL(/hidden=8:tanh:d0\.2:bn,8:tanh,8:tanh/);
  await expect(page).toHaveURL(/opt=adam/);

  // Reload from the link in a fresh browser profile (no local storage): same config.
  const link = page.url();
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await expect(fresh.getByRole('radio', { name: 'Adam', exact: true })).toBeChecked();
  await expect(fresh.getByRole('slider', { name: 'Learning rate' })).toHaveAttribute('aria-valuetext', '0.01');
  await expect(fresh.locator('fieldset.layer-row')).toHaveCount(3);
  const l1 = fresh.locator('fieldset.layer-row').first();
  await expect(l1.getByRole('checkbox', { name: 'Batch norm on layer 1' })).toBeChecked();
  await expect(l1.getByRole('slider', { name: 'drop' })).toHaveValue('0.2');
  await expect(fresh.getByTestId('notices')).toHaveCount(0);
  await expect(fresh.getByTestId('applied')).toHaveText('Adam · ε 0.01');
  await context.close();

  // The same page reloaded keeps it too (URL and local storage agree).
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Adam', exact: true })).toBeChecked();
  expect(dialogs).toEqual([]);
});

test('the training order sits by Shuffle: sorted by class goes into the link and survives a reload', async ({
  page,
}) => {
  await openFresh(page);
  const order = page.getByRole('combobox', { name: 'Training order' });
  await expect(order).toBeVisible();
  await expect(order).toHaveValue('random');
  await order.selectOption('byClass');
  await expect(page).toHaveURL(/order=byClass/);
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Training order' })).toHaveValue('byClass');
  await expect(page.getByTestId('notices')).toHaveCount(0);
});

test('a broken link shows a notice naming the bad fields and keeps the good ones', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const bad =
    '#data=xor&lr=abc&batch=-3&hidden=8:tanh,1000000000:relu&opt=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&v=1';
  await openFresh(page, bad);
  const notice = page.getByTestId('notices');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('This link had problems');
  for (const field of ['optimizer.lr', 'batchSize', 'model.hidden[1].units', 'optimizer.name'])
    await expect(notice).toContainText(`${field}:`);
  // Quoted as text, never markup.
  await expect(notice).toContainText('"<img src=x onerror=alert(1)>" is not one of');
  expect(await page.locator('img').count()).toBe(0);
  // Good fields survive: XOR data, the first layer, the rest of the layers list.
  await expect(page.locator('[data-dataset="xor"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('fieldset.layer-row')).toHaveCount(2);
  await expect(page.getByRole('radio', { name: 'SGD', exact: true })).toBeChecked();
  // The repaired link is written back; dismissing hides the notice.
  await expect(page).toHaveURL(/lr=0\.1/);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('full-page screenshot after 3 seconds of training', async ({ page }, testInfo) => {
  await openFresh(page);
  await page.getByRole('heading', { name: 'Descent', level: 1 }).click();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('status-text')).toHaveText('training');
  await page.waitForTimeout(3000);
  const file = testInfo.outputPath('playground.png');
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach('playground', { path: file, contentType: 'image/png' });
  // Space again pauses.
  await page.keyboard.press(' ');
  await expect(page.getByTestId('status-text')).toHaveText('paused');
  if (process.env.UPDATE_SCREENSHOT === '1')
    copyFileSync(file, fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)));
});

test('layout at 1280×720 and 1920×1080, light and dark: main charts above the fold, every control reachable', async ({
  page,
}) => {
  type Box = { x: number; y: number; width: number; height: number };
  const overlaps = (a: Box, b: Box) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const box = async (sel: string) => (await page.locator(sel).first().boundingBox())!;
  await openFresh(page);
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    for (const theme of ['light', 'dark']) {
      const toggle = page.getByRole('button', { name: `Switch to ${theme} theme` });
      if (await toggle.count()) await toggle.click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.evaluate(() => window.scrollTo(0, 0));
      const where = `${width}×${height} ${theme}`;
      // The decision boundary and the loss chart are wholly on the first screen.
      for (const id of ['boundary', 'loss-chart']) {
        const b = (await page.getByTestId(id).boundingBox())!;
        expect(b.y + b.height, `${where}: ${id} bottom`).toBeLessThanOrEqual(height);
        expect(b.x + b.width, `${where}: ${id} right`).toBeLessThanOrEqual(width);
      }
      // Nothing runs off the side of the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), where).toBeLessThanOrEqual(width);
      // The top bar's groups sit side by side without covering each other.
      const tabs = await box('nav.view-tabs');
      expect(overlaps(tabs, await box('.classroom-bar')), `${where}: tabs vs classroom bar`).toBe(false);
      expect(overlaps(await box('.playbar'), await box('.status')), `${where}: play bar vs status`).toBe(false);
      // The sidebar scrolls on its own: the optimizer, learning rate, schedule and regularization
      // controls come into view inside it without scrolling the page.
      for (const name of ['Learning rate', 'Schedule', 'Regularization']) {
        const target =
          name === 'Learning rate'
            ? page.getByRole('slider', { name })
            : page.locator('aside .section > summary', { hasText: new RegExp(`^${name}`, 'i') });
        await target.scrollIntoViewIfNeeded();
        const t = (await target.boundingBox())!;
        const side = await box('aside.sidebar');
        expect(t.y, `${where}: ${name} top`).toBeGreaterThanOrEqual(side.y - 1);
        expect(t.y + t.height, `${where}: ${name} bottom`).toBeLessThanOrEqual(
          Math.min(side.y + side.height, height) + 1,
        );
      }
      expect(await page.evaluate(() => window.scrollY), `${where}: the page itself did not scroll`).toBe(0);
      // A layer's Remove button does not cover its width slider.
      const row = page.locator('fieldset.layer-row').first();
      await row.scrollIntoViewIfNeeded();
      const remove = (await row.getByRole('button', { name: 'Remove layer 1' }).boundingBox())!;
      const units = (await row.getByRole('slider', { name: 'Units of layer 1' }).boundingBox())!;
      expect(overlaps(remove, units), `${where}: Remove over the units slider`).toBe(false);
    }
  }
});

test('a chart alone on the screen (Full) uses the screen and keeps the boundary square', async ({ page }) => {
  await openFresh(page);
  const size = (id: string, sel: string) =>
    page
      .getByTestId(id)
      .locator(sel)
      .first()
      .evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight }));
  const inPage = await size('loss-chart', 'canvas.plot');
  for (const id of ['boundary', 'loss-chart']) {
    await page.getByTestId(id).getByRole('button', { name: 'Full' }).click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid'))).toBe(id);
    if (id === 'boundary') {
      const b = await size(id, 'canvas.boundary');
      expect(Math.abs(b.w - b.h)).toBeLessThanOrEqual(1); // a circle stays a circle
      expect(b.h).toBeGreaterThan(400);
    } else {
      const l = await size(id, 'canvas.plot');
      expect(l.h).toBeGreaterThan(2 * inPage.h);
    }
    await page.evaluate(() => document.exitFullscreen());
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
  }
});

test('Schedule-Free from a link: the schedule panel says it is ignored, and it trains at the constant rate', async ({
  page,
}) => {
  await openFresh(page, '#opt=schedulefree&lr=0.01&sched=cosine&v=1');
  await expect(page.getByRole('radio', { name: 'Schedule-Free AdamW', exact: true })).toBeChecked();
  await expect(page.getByRole('note').filter({ hasText: 'Schedule-Free AdamW ignores this schedule' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Learning-rate schedule preview' })).toHaveCount(0);
  await page.getByTestId('play').click();
  await expect.poll(() => readLoss(page)).toBeGreaterThan(0);
  const first = await readLoss(page);
  await expect.poll(() => readLoss(page), { timeout: 60_000 }).toBeLessThan(first * 0.8);
  await expect(page.getByTestId('lr-value')).toHaveText('0.01'); // the cosine would have lowered it
  await expect(page.getByTestId('notices')).toHaveCount(0);
});
