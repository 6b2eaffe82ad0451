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
