// A tablet in the classroom (issue 16 §3): the layout at 1024x768 and 768x1024 has no sideways
// scroll and nothing cut off in the top bar, for the playground, a lesson and the arena; a touch
// sets the arena's start point and moves a slider. Screenshots go to test-results/.
import { expect, type Page, test } from '@playwright/test';
import { answerLessonQuestion } from './predictAnswer';

const SIZES = [
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
];

/** Elements wider than the viewport or reaching past its right edge (what makes a page scroll sideways). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > w)
      out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${w}`);
    for (const el of document.querySelectorAll<HTMLElement>('.topbar button, .topbar a, .sidebar, .views, .lessons')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > w + 1 || r.left < -1))
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} [${el.textContent?.trim().slice(0, 20)}] ${r.left}..${r.right}`,
        );
    }
    return out;
  });

for (const size of SIZES) {
  test.describe(`${size.width}x${size.height}`, () => {
    test.use({ viewport: size, hasTouch: true, isMobile: false });

    test('playground, lesson and arena fit without sideways scroll', async ({ page }, info) => {
      await page.goto('./');
      await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
      await expect(page.getByTestId('loss-chart')).toBeVisible();
      expect(await overflow(page)).toEqual([]);
      await page.screenshot({ path: info.outputPath(`playground-${size.width}x${size.height}.png`) });

      await page.getByTestId('lessons-button').click();
      await page.locator('.lesson-card[data-lesson="momentum"]').click();
      await answerLessonQuestion(page);
      expect(await overflow(page)).toEqual([]);
      await page.screenshot({ path: info.outputPath(`lesson-${size.width}x${size.height}.png`) });

      await page.getByRole('button', { name: 'Arena' }).click();
      await expect(page.getByTestId('arena-plot')).toBeVisible();
      expect(await overflow(page)).toEqual([]);
      await page.screenshot({ path: info.outputPath(`arena-${size.width}x${size.height}.png`) });
    });
  });
}

test.describe('touch', () => {
  test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

  test('a tap sets the arena start point and a drag moves a slider', async ({ page }) => {
    await page.goto('./');
    await page.getByRole('button', { name: 'Arena' }).click();
    const hit = page.getByTestId('arena-hit');
    await expect(hit).toBeVisible({ timeout: 60_000 });
    const plot = page.getByTestId('arena-plot');
    const before = await plot.getAttribute('data-start');
    const box = await hit.boundingBox();
    if (!box) throw new Error('no arena box');
    await page.touchscreen.tap(box.x + box.width * 0.3, box.y + box.height * 0.7);
    await expect(plot).not.toHaveAttribute('data-start', before ?? '');
    // A second tap right of and above the first: the start point's x and y both grow (y points up).
    const [x1, y1] = ((await plot.getAttribute('data-start')) ?? '').split(',').map(Number);
    await page.touchscreen.tap(box.x + box.width * 0.7, box.y + box.height * 0.3);
    await expect(plot).not.toHaveAttribute('data-start', `${x1},${y1}`);
    const [x2, y2] = ((await plot.getAttribute('data-start')) ?? '').split(',').map(Number);
    expect(x2).toBeGreaterThan(x1);
    expect(y2).toBeGreaterThan(y1);

    // A slider of the playground, dragged by a finger (touch events, not the mouse).
    await page.goto('./');
    const slider = page.getByRole('slider', { name: /learning rate/i }).first();
    await expect(slider).toBeVisible({ timeout: 60_000 });
    await slider.scrollIntoViewIfNeeded();
    const v0 = await slider.inputValue();
    const s = await slider.boundingBox();
    if (!s) throw new Error('no slider box');
    const y = s.y + s.height / 2;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', s.x + s.width * 0.5);
    for (let i = 1; i <= 5; i++) await touch('touchMove', s.x + s.width * (0.5 + i * 0.08));
    await touch('touchEnd', 0);
    await expect.poll(() => slider.inputValue()).not.toBe(v0);
  });
});
