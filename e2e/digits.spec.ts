// The shipped MNIST subset loads in the browser from the site itself (no other host), is
// inflated by DecompressionStream and gives the same bytes as in Node (src/engine/data/digits.test.ts).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

test('digits load offline from the static site, identical to the file in the repository', async ({ page }) => {
  const external: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1') {
      external.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  await page.goto('./e2e/pages/digits.html');
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  const path = await page.evaluate(() => window.digitsHarness.path);
  // The test page lives two folders below the site root, where public/ is copied.
  const got = await page.evaluate((p) => window.digitsHarness.load(`../../${p}`), path);

  const raw = gunzipSync(readFileSync(new URL('../public/data/digits.bin', import.meta.url)));
  let inkSum = 0;
  for (let i = 20; i < 20 + 5000 * 784; i++) inkSum += raw[i];
  expect(got.nTrain).toBe(5000);
  expect(got.nVal).toBe(1000);
  expect(got.inkSum).toBe(inkSum);
  expect(got.counts).toEqual(new Array(10).fill(500));
  expect([got.dsTrain, got.dsVal, got.maxX]).toEqual([480, 120, 1]);
  expect(external).toEqual([]);
});
