import { expect, type Page, test } from '@playwright/test';
import { LESSONS } from '../src/lessons/index';

// Which chart each lesson view shows (test ids of LessonDemo's frames).
const VIEW_CHART: Record<string, string> = {
  loss: 'chart-loss',
  accuracy: 'chart-accuracy',
  lr: 'chart-lr',
  updateRatio: 'chart-ratio',
  weights: 'chart-weights',
  boundary: 'chart-boundary',
  activations: 'chart-activations',
  arena: 'chart-arena',
};

async function openLessonList(page: Page) {
  await page.goto('./');
  await page.getByTestId('lessons-button').click();
  await expect(page.getByTestId('lesson-list')).toBeVisible();
}

test('a new user opens every lesson, runs its demo and sees its charts', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLessonList(page);
  await expect(page.locator('.lesson-card')).toHaveCount(LESSONS.length);
  for (const lesson of LESSONS) {
    await page.locator(`.lesson-card[data-lesson="${lesson.id}"]`).click();
    const article = page.getByTestId('lesson-page');
    await expect(article.getByRole('heading', { level: 2 })).toContainText(lesson.title);
    // the formulas are typeset by KaTeX (bundled): MathML + HTML output per formula
    await expect(article.locator('.katex')).toHaveCount(lesson.formulas.length);
    await page.getByTestId('run-demo').click();
    const demo = page.getByTestId('lesson-demo');
    await expect(demo).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
    for (const view of lesson.views) {
      const chart = page.getByTestId(VIEW_CHART[view]);
      await expect(chart, `${lesson.id}: ${view}`).toBeVisible();
      const svg = chart.locator('svg').first();
      await expect(svg).toBeVisible();
    }
    // every preset's curve is drawn (validation loss paths have data)
    if (lesson.views.includes('loss')) {
      const paths = page.getByTestId('chart-loss').locator('path.series:not(.faint)');
      await expect(paths).toHaveCount(lesson.presets.length);
      for (const d of await paths.evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? '')))
        expect(d, lesson.id).toMatch(/^M[-\d.]+,[-\d.]+/);
    }
    if (lesson.id === 'softmax') await expect(page.getByTestId('initial-loss')).toContainText('ln C = ln 4 = 1.386');
    if (lesson.id === 'l2-l1') {
      const near = Number(await page.getByTestId('weights-l1').getAttribute('data-near-zeros'));
      const none = Number(await page.getByTestId('weights-none').getAttribute('data-near-zeros'));
      expect(near).toBeGreaterThan(10 * Math.max(1, none));
    }
    await page.getByRole('button', { name: '← All lessons' }).click();
    await expect(page.getByTestId('lesson-list')).toBeVisible();
  }
  expect(errors).toEqual([]);
});

test('a lesson link opens that lesson', async ({ page }) => {
  await page.goto('./#lesson=dropout');
  await expect(page.getByTestId('lesson-page').getByRole('heading', { level: 2 })).toContainText('Dropout');
});
