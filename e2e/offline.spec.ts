// Offline and installable (issue 16 §3): after one visit the service worker has cached the whole
// site, so with the network off a reload, a lesson and the exports still work; a newly deployed
// version is announced and waits for the user's reload instead of replacing the running page.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { answerLessonQuestion } from './predictAnswer';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Opens the page and waits until the service worker controls it with every file cached. */
async function visitUntilCached(page: Page, url = './') {
  await page.goto(url);
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await expect(page.locator('html')).toHaveAttribute('data-offline', 'ready', { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

async function download(page: Page, trigger: () => Promise<void>) {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

test('after one visit, a reload, a lesson and the exports work with the network off', async ({ page, context }) => {
  const manifest = await (await page.request.get('./manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ short_name: 'Descent', display: 'standalone', start_url: './' });
  await visitUntilCached(page);

  await context.setOffline(true);
  const failed: string[] = [];
  const notFromCache: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => {
    const u = r.url();
    if (u.startsWith('http') && !r.fromServiceWorker()) notFromCache.push(u);
  });
  await page.reload();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });

  // The playground's exports: the PyTorch script (and the config) are written in the page.
  const py = await download(page, async () => {
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-pytorch').click();
  });
  expect(py.name).toMatch(/\.py$/);
  expect(py.bytes.toString('utf8')).toContain('import torch');

  // A lesson: its code, KaTeX and fonts, the lesson worker and its demo, all from the cache.
  await page.getByTestId('lessons-button').click();
  await page.locator('.lesson-card[data-lesson="softmax"]').click();
  await expect(page.locator('.katex').first()).toBeVisible();
  await answerLessonQuestion(page);
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('lesson-demo')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  const png = await download(page, () => page.getByTestId('chart-loss').getByRole('button', { name: 'PNG' }).click());
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG);
  expect(await page.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true);

  // The tab icon is the browser's own request (Chromium asks again whenever the hash changes).
  const appOnly = (urls: string[]) => urls.filter((u) => !u.endsWith('/favicon.svg'));
  expect(appOnly(failed)).toEqual([]);
  expect(appOnly(notFromCache)).toEqual([]);
});

// A static host of the built site whose sw.js can be changed, as a new deployment changes it.
const DIST = join(import.meta.dirname, '..', `dist-e2e-${process.env.E2E_PORT ?? 4179}`);
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};
function host(swSuffix: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    try {
      let body: Buffer | string = readFileSync(file);
      if (path === '/sw.js') body = body.toString('utf8') + swSuffix();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      done({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
    }),
  );
}

test('a new deployed version is announced and waits for "Reload to update"', async ({ page }) => {
  let version = '';
  const { server, url } = await host(() => version);
  try {
    await visitUntilCached(page, url);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    // The running demo: training, and a marker that a reload would wipe.
    await page.getByTestId('play').click();
    await page.evaluate(() => {
      (window as unknown as { __same: boolean }).__same = true;
    });
    version = '\n// the next deployment\n';
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByTestId('update-banner')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('update-banner')).toContainText('Reload to update');
    // Not swapped: same page, still training, the old worker still in control.
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    const step = Number(await page.getByTestId('step').textContent());
    await expect.poll(async () => Number(await page.getByTestId('step').textContent())).toBeGreaterThan(step);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(
      true,
    );
    // The user's choice: the new version takes over and the page reloads on it.
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBeUndefined();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  } finally {
    server.close();
  }
});
