// Shared by the browser specs: train the playground's run past `steps` steps, then pause.
import { expect, type Page } from '@playwright/test';

export async function trainFor(page: Page, steps: number) {
  const play = page.getByTestId('play');
  await expect(play).toBeEnabled({ timeout: 60_000 });
  await play.click();
  await expect
    .poll(async () => Number((await page.getByTestId('status').textContent())?.match(/step\s*(\d+)/)?.[1] ?? 0), {
      timeout: 90_000,
    })
    .toBeGreaterThan(steps);
  await play.click(); // pause: the views refresh once more where training stopped
}
