// Presenter mode and sharing as a teacher uses them: toggle presenter mode (large type, thick
// lines), hide panels through the link, full-screen one chart, `?` for shortcuts; copy the link
// and open it in a fresh page to find the same state; the QR code.
import { expect, type Page, test } from '@playwright/test';

async function openReady(page: Page, hash = '') {
  await page.goto(`./${hash}`);
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
}

test('presenter mode toggles large type and thick lines, panels hide by link, one chart goes full screen', async ({
  page,
  browser,
}) => {
  await openReady(page);
  const fontSize = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
  const normal = await fontSize();
  await page.getByTestId('presenter-toggle').click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  expect(await fontSize()).toBeGreaterThan(normal * 1.15);
  await expect(page).toHaveURL(/present=1/);

  // hide panels from the presenter toolbar: the link carries them
  const toggles = page.getByTestId('panel-toggles');
  await toggles.getByLabel('Network').uncheck();
  await toggles.getByLabel('Controls').uncheck();
  await expect(page.getByTestId('network')).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Configuration' })).toHaveCount(0);
  await expect(page).toHaveURL(/hide=[^&]*network/);

  // the same link in a fresh page: presenter on, the same panels hidden
  const fresh = await (await browser.newContext()).newPage();
  await openReady(fresh, new URL(page.url()).hash);
  await expect(fresh.locator('html')).toHaveClass(/presenter/);
  await expect(fresh.getByTestId('network')).toHaveCount(0);
  await expect(fresh.getByRole('complementary', { name: 'Configuration' })).toHaveCount(0);

  // ? lists the shortcuts; Esc closes
  await page.locator('body').click({ position: { x: 640, y: 5 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toBeVisible();
  await expect(page.getByTestId('shortcuts')).toContainText('presenter mode');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts')).toHaveCount(0);

  // one chart alone, full screen
  const loss = page.getByRole('region', { name: /loss/i }).first();
  await loss.getByRole('button', { name: 'Full screen' }).click();
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          document.fullscreenElement?.getAttribute('aria-label') ??
          document.querySelector('.pseudo-fullscreen')?.getAttribute('aria-label') ??
          null,
      ),
    )
    .toMatch(/loss/i);
  await page.evaluate(() => (document.fullscreenElement ? document.exitFullscreen() : undefined));

  // p toggles back
  await page.keyboard.press('p');
  await expect(page.locator('html')).not.toHaveClass(/presenter/);
});

test('copy link, then open it in a fresh page: same config, same lesson; QR code shown', async ({
  page,
  browser,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openReady(page, '#lr=0.02&opt=nesterov&mom=0.95&hidden=10:elu:d0.2,5:tanh&data=moons&v=1');
  await page.getByTestId('lessons-button').click();
  await page.locator('.lesson-card[data-lesson="annealing"]').click();
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('qr')).toBeVisible();
  await page.getByTestId('copy-link').click();
  await expect(page.getByText('Copied to the clipboard.')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());
  expect(link).toContain('lesson=annealing');

  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId('lesson-page').getByRole('heading', { level: 2 })).toContainText('Annealing');
  const configOf = (p: Page) =>
    p.evaluate(() => new URLSearchParams(location.hash.slice(1)).toString().replace(/&?lesson=[^&]*/, ''));
  expect(await configOf(fresh)).toBe(await configOf(page));
  // back in the playground, the controls show the shared optimizer
  await fresh
    .getByRole('button', { name: 'Back to the playground' })
    .or(fresh.getByTestId('lessons-button'))
    .first()
    .click();
  await expect(fresh.getByRole('radio', { name: 'Nesterov', exact: true })).toBeChecked();
});

test('the shared link of a compare race carries the compare set', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openReady(page);
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await expect(page).toHaveURL(/view=compare/);
  await expect(page).toHaveURL(/compare=/);
  await page.getByTestId('share-button').click();
  await page.getByTestId('copy-link').click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole('button', { name: 'Compare optimizers' })).toHaveAttribute('aria-pressed', 'true');
  const hashOf = (p: Page) => p.evaluate(() => location.hash);
  await expect.poll(() => hashOf(fresh)).toBe(new URL(link).hash);
});
