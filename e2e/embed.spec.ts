// The embed driven from a parent page on another origin (issue 16 §2): docs/embed-example.html
// loads Descent in an iframe with ?embed=1 and talks to it through the postMessage API.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', 'docs', 'embed-example.html'));
let server: Server;
let parentUrl = '';
test.beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(EXAMPLE);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const a = server.address();
  parentUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/embed-example.html`;
});
test.afterAll(() => server.close());

type Msg = Record<string, unknown> & { type: string };
const send = (page: Page, cmd: object) =>
  page.evaluate((c) => (window as unknown as { descent: { send(c: object): Promise<Msg> } }).descent.send(c), cmd);
const events = (page: Page) =>
  page.evaluate(() => (window as unknown as { descent: { events: Msg[] } }).descent.events);

test('a parent page drives the embed: play, pause, step, reset, setConfig, getMetrics and events', async ({
  page,
  baseURL,
}) => {
  await page.setViewportSize({ width: 900, height: 700 });
  await page.goto(`${parentUrl}?descent=${encodeURIComponent(baseURL ?? '')}`);
  const frame = page.frameLocator('#descent');
  await expect(frame.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await expect.poll(async () => (await events(page)).some((e) => e.type === 'ready')).toBe(true);
  // Minimal chrome: the chosen panels, no sidebar, no view tabs.
  await expect(frame.getByTestId('loss-chart')).toBeVisible();
  await expect(frame.locator('.sidebar')).toHaveCount(0);
  await expect(frame.getByRole('button', { name: 'Arena' })).toHaveCount(0);

  // Bad commands are answered with what is wrong.
  expect(await send(page, { type: 'jump' })).toMatchObject({ type: 'error', error: expect.stringContaining('"jump"') });
  const bad = await send(page, { type: 'setConfig', config: { 'optimizer.lr': 'fast' } });
  expect(bad).toMatchObject({ type: 'error', error: expect.stringContaining('optimizer.lr') });

  expect(await send(page, { type: 'setConfig', config: { 'optimizer.lr': 0.05 } })).toMatchObject({ type: 'ok' });
  await expect(frame.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  expect(await send(page, { type: 'play' })).toMatchObject({ type: 'ok' });
  await expect.poll(async () => (await events(page)).some((e) => e.type === 'epoch'), { timeout: 60_000 }).toBe(true);
  expect((await events(page)).some((e) => e.type === 'step')).toBe(true);
  await send(page, { type: 'pause' });
  await page.waitForTimeout(500);
  const m1 = await send(page, { type: 'getMetrics' });
  expect(m1).toMatchObject({ type: 'metrics', phase: 'paused' });
  expect(m1.step as number).toBeGreaterThan(0);
  expect(Number.isFinite(m1.loss)).toBe(true);
  await send(page, { type: 'step' });
  await expect.poll(async () => (await send(page, { type: 'getMetrics' })).step).toBe((m1.step as number) + 1);
  await send(page, { type: 'reset' });
  await expect.poll(async () => (await send(page, { type: 'getMetrics' })).step).toBe(0);
  // The learning rate set through the API is the one the trainer uses (the status line's "run: SGD · ε 0.05").
  await expect(frame.getByTestId('applied')).toContainText('0.05');
});

test('commands from an origin outside the allow-list are ignored', async ({ page, baseURL }) => {
  await page.goto(`${parentUrl}?descent=${encodeURIComponent(baseURL ?? '')}&origins=https://elsewhere.example`);
  const frame = page.frameLocator('#descent');
  await expect(frame.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  const reply = await page.evaluate(() =>
    Promise.race([
      (window as unknown as { descent: { send(c: object): Promise<unknown> } }).descent.send({ type: 'play' }),
      new Promise((done) => setTimeout(() => done('no reply'), 2000)),
    ]),
  );
  expect(reply).toBe('no reply');
  await expect(frame.getByTestId('step')).toHaveText('0');
});

for (const size of [
  { width: 640, height: 360 },
  { width: 1280, height: 720 },
]) {
  test(`the embed fits a ${size.width}x${size.height} iframe`, async ({ page }, info) => {
    await page.setViewportSize(size);
    await page.goto('./?embed=1&panels=loss,boundary');
    await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
    await page.screenshot({ path: info.outputPath(`embed-${size.width}x${size.height}.png`) });
    const fit = await page.evaluate(() => {
      const d = document.documentElement;
      const boxes = ['[data-testid="loss-chart"]', '.views > .column > .card'].map((s) => {
        const r = document.querySelector(s)?.getBoundingClientRect();
        return r ? { right: r.right, bottom: r.bottom } : null;
      });
      return { sw: d.scrollWidth, sh: d.scrollHeight, w: d.clientWidth, h: d.clientHeight, boxes };
    });
    // No scrolling in either direction: both chosen panels are whole inside the frame.
    expect(fit.sw).toBeLessThanOrEqual(fit.w);
    expect(fit.sh).toBeLessThanOrEqual(fit.h);
    for (const b of fit.boxes) {
      expect(b).not.toBeNull();
      expect(b?.right).toBeLessThanOrEqual(size.width);
      expect(b?.bottom).toBeLessThanOrEqual(size.height);
    }
  });
}

test('the embed has no serious or critical axe violations', async ({ page }) => {
  await page.setViewportSize({ width: 960, height: 540 });
  await page.goto('./?embed=1&panels=loss,boundary,accuracy');
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('play').click();
  await page.waitForTimeout(1500);
  await page.getByTestId('play').click();
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')}`));
  expect(bad, bad.join('\n')).toEqual([]);
});
