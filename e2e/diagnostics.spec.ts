// Diagnostics in plain words, live: a config with a learning rate of 1e-5 is told its updates are
// far below 1e-3 of the weights, with a suggested lr that "Use lr" applies; the dead-ReLU demo
// config (the panel's "example" link target) is told its ReLUs died; the default config is not.
import { expect, test } from '@playwright/test';
import { trainFor } from './train';

test('a tiny learning rate is diagnosed with a suggested lr; Use lr applies it', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./#lr=0.00001');
  await trainFor(page, 120);
  const panel = page.getByTestId('diagnostics');
  await panel.scrollIntoViewIfNeeded();
  const item = panel.locator('li[data-kind="ratio-low"]').first();
  await expect(item).toContainText('far below 1e-3: the learning rate is likely too low');
  await expect(item.getByRole('link', { name: 'example' })).toHaveAttribute('href', /lr=0?\.?0*1e-5|lr=0\.00001/);
  const button = item.getByRole('button', { name: /Use lr/ });
  const lr = Number((await button.textContent())?.match(/Use lr (\S+)/)?.[1]);
  expect(lr).toBeGreaterThan(1e-4);
  await button.click();
  // the link carries it as the lr, or (the run paused mid-way) as a change recorded at its step: chg=N:lr:value
  await expect(page).toHaveURL(new RegExp(`(lr=|chg=\\d+:lr:)${lr}(&|$|,)`));
  await panel.screenshot({ path: 'docs/screenshots/diagnostics-ratio-low.png' });
});

test('the dead-ReLU demo config is diagnosed; the default config is not', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('./#hidden=8:relu,8:relu&lr=3');
  await trainFor(page, 300);
  const panel = page.getByTestId('diagnostics');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.locator('li[data-kind="dead"]').first()).toContainText('of its ReLUs are dead');
  await panel.screenshot({ path: 'docs/screenshots/diagnostics-dead-relu.png' });
  // Another config in the hash: the fields it does not name take their defaults (the default net).
  await page.goto('./#hidden=8:tanh,8:tanh&lr=0.1');
  await page.reload();
  await trainFor(page, 300);
  await expect(page.getByTestId('diagnostics-ok')).toBeVisible();
});

test('a lesson links to the diagnostic it is about: the link opens a config the panel diagnoses', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./#lesson=update-ratio');
  const links = page.getByTestId('lesson-diagnostics');
  await expect(links).toBeVisible({ timeout: 30_000 });
  await links.getByRole('link', { name: 'updates far below 1e-3' }).click();
  await expect(page.getByTestId('play')).toBeVisible();
  await trainFor(page, 120);
  await expect(page.getByTestId('diagnostics').locator('li[data-kind="ratio-low"]').first()).toBeVisible();
});
