import { expect, test } from '@playwright/test';

test('the page opens with its title and reports whether WebGPU gave an adapter', async ({ page }) => {
  await page.goto('./');
  await expect(page).toHaveTitle(/Descent/);
  await expect(page.getByRole('heading', { name: 'Descent', level: 1 })).toBeVisible();
  const adapter = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return 'no navigator.gpu';
    const a = await navigator.gpu.requestAdapter();
    if (!a) return 'navigator.gpu present, requestAdapter() returned null';
    const info = a.info;
    return `adapter: ${info.vendor} ${info.architecture} (fallback: ${String(info.isFallbackAdapter)})`;
  });
  console.log(`[webgpu] ${adapter}`);
  test.info().annotations.push({ type: 'webgpu', description: adapter });
  // CI has an adapter (SwiftShader); its absence there is a failure, not a skip.
  expect(adapter).toMatch(/^adapter: /);
});

// The preview server sends COOP/COEP (vite.config.ts), as the README asks of a static host: the page
// is cross-origin isolated, so the CPU engine shares its matrix products between threads and the
// status line says how many; nothing the page or its workers fetch is blocked by require-corp.
test('the page is cross-origin isolated and the CPU engine names its threads', async ({ page }) => {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  await page.goto('./');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // the automatic choice keeps a small net on the CPU on this machine's software adapter; Play trains it
  await page.getByTestId('play').click();
  const status = page.locator('.backend');
  const want =
    cores >= 2 ? `CPU engine (WebAssembly SIMD, ${Math.min(cores, 4)} threads)` : 'CPU engine (WebAssembly SIMD)';
  await expect(status).toContainText(want, { timeout: 60_000 });
  expect(failed).toEqual([]);
});
