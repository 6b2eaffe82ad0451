// The top bar's status line keeps the backend readable at common screen sizes: a compare race on
// the CPU engine spread over the workers (the longest name the status line shows; a race brought
// back to one worker shows "CPU engine (WebAssembly SIMD, 1 worker)", no longer, with its reason
// in the tooltip: src/state/backendLabel.ts) is neither cut by its own box nor by the status line.
import { expect, test } from '@playwright/test';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
];

test('the backend label is not clipped at 1280x720, 1024x768 and 768x1024', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(SIZES[0]);
  await page.goto('./?backend=cpu#view=compare&compare=sgd:lr_0.1,momentum:lr_0.05,adam:lr_0.01,rmsprop:lr_0.005&v=1');
  const backend = page.getByTestId('status').locator('.backend');
  await expect(backend).toHaveText(/^CPU engine \(WebAssembly SIMD, \d+ workers?\)$/, { timeout: 60_000 });
  // the tooltip carries the worker's message (and the whole name when it holds a reason)
  expect(await backend.getAttribute('title')).toMatch(/CPU engine/);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const box = await backend.evaluate((el) => {
      const status = el.closest('[data-testid="status"]') as HTMLElement;
      const r = el.getBoundingClientRect();
      const s = status.getBoundingClientRect();
      return {
        text: el.textContent,
        scroll: el.scrollWidth,
        client: el.clientWidth,
        right: r.right,
        statusRight: s.right,
        width: r.width,
        viewport: window.innerWidth,
      };
    });
    const at = `${size.width}x${size.height}: ${JSON.stringify(box)}`;
    expect(box.width, at).toBeGreaterThan(0);
    expect(box.scroll, at).toBeLessThanOrEqual(box.client);
    expect(box.right, at).toBeLessThanOrEqual(box.statusRight + 0.5);
    expect(box.right, at).toBeLessThanOrEqual(box.viewport);
    if (size.width === 1280) await page.screenshot({ path: '/work/team/screens/status-line-1280.png' });
  }
});
