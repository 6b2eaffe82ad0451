import { expect, type Page, test } from '@playwright/test';
import { LESSONS } from '../src/lessons/index';
import { answerLessonQuestion } from './predictAnswer';

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
    await answerLessonQuestion(page);
    await page.getByTestId('run-demo').click();
    const demo = page.getByTestId('lesson-demo');
    await expect(demo).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
    for (const view of lesson.views) {
      const chart = page.getByTestId(VIEW_CHART[view]);
      await expect(chart, `${lesson.id}: ${view}`).toBeVisible();
      await expect(chart.locator('svg, canvas').first()).toBeVisible();
    }
    // the curves are the playground's compare charts: every preset's run is drawn
    for (const view of ['loss', 'accuracy', 'lr', 'updateRatio'].filter((v) => lesson.views.includes(v as never)))
      await expect(page.getByTestId(VIEW_CHART[view]).locator('canvas'), `${lesson.id}: ${view}`).toHaveAttribute(
        'data-runs',
        String(lesson.presets.length),
      );
    // the lesson's checks judge the run just shown, and every one holds
    const checks = page.getByTestId('lesson-checks').locator('li');
    expect(await checks.count(), lesson.id).toBeGreaterThan(0);
    await expect(
      checks.and(page.locator('[data-ok="false"]')),
      `${lesson.id}: ${await checks.allTextContents()}`,
    ).toHaveCount(0);
    if (lesson.id === 'softmax') await expect(page.getByTestId('initial-loss')).toContainText('ln C = ln 4 = 1.386');
    if (lesson.id === 'l2-l1') {
      // L1 stops weights at exactly 0 (the proximal step); the unpenalized run has none at 0
      const exact = Number(await page.getByTestId('weights-l1').getAttribute('data-exact-zeros'));
      const none = Number(await page.getByTestId('weights-none').getAttribute('data-exact-zeros'));
      expect(exact).toBeGreaterThan(10 * Math.max(1, none));
    }
    await page.getByRole('button', { name: '← All lessons' }).click();
    await expect(page.getByTestId('lesson-list')).toBeVisible();
  }
  expect(errors).toEqual([]);
});

/** Run `lessonId`'s demo with the playground's backend forced to `backend`; its checks and the backend used. */
async function demoOutcome(page: Page, lessonId: string, backend: 'cpu' | 'webgpu') {
  await page.goto(`./?backend=${backend}#lesson=${lessonId}`);
  await answerLessonQuestion(page); // the demo is locked until its question is answered (predict, then run)
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('lesson-demo')).toHaveAttribute('data-done', 'true', { timeout: 400_000 });
  const kind = await page.getByTestId('lesson-backend').getAttribute('data-kind');
  const checks = await page
    .getByTestId('lesson-checks')
    .locator('li')
    .evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-claim'), l.getAttribute('data-ok')]));
  return { kind, checks };
}

test('a lesson demo forced onto WebGPU (SwiftShader) trains there and its checks come out as on the CPU', async ({
  page,
}) => {
  test.setTimeout(900_000);
  for (const id of ['softmax', 'momentum-off']) {
    const cpu = await demoOutcome(page, id, 'cpu');
    const gpu = await demoOutcome(page, id, 'webgpu');
    expect(cpu.kind, id).toBe('cpu');
    expect(gpu.kind, id).toBe('webgpu');
    expect(cpu.checks.length, id).toBeGreaterThan(0);
    expect(gpu.checks, id).toEqual(cpu.checks);
    expect(
      gpu.checks.every(([, ok]) => ok === 'true'),
      `${id}: ${JSON.stringify(gpu.checks)}`,
    ).toBe(true);
  }
});

test('a lesson link opens that lesson', async ({ page }) => {
  await page.goto('./#lesson=dropout');
  await expect(page.getByTestId('lesson-page').getByRole('heading', { level: 2 })).toContainText('Dropout');
});

test('a link to an unknown lesson says so and opens the playground', async ({ page }) => {
  await page.goto('./#lesson=dropuot&v=1');
  await expect(page.getByTestId('notices')).toContainText('lesson: "dropuot" is not a lesson');
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Playground' })).toHaveAttribute('aria-current', 'page');
});

test('lessons are a place of their own: no view tab is current there, and a tab leaves them', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  const tabs = page.getByRole('navigation', { name: 'View' }).getByRole('button');
  const lessons = page.getByTestId('lessons-button');
  const playground = page.getByRole('button', { name: 'Playground' });
  await expect(playground).toHaveAttribute('aria-current', 'page');
  await expect(lessons).not.toHaveAttribute('aria-current');

  await lessons.click();
  await expect(page.getByTestId('lesson-list')).toBeVisible();
  // Exactly one place is current: the lessons; no tab is pressed or current.
  await expect(lessons).toHaveAttribute('aria-current', 'page');
  await expect(lessons).toHaveAttribute('aria-pressed', 'true');
  for (const tab of await tabs.all()) {
    await expect(tab).toHaveAttribute('aria-pressed', 'false');
    await expect(tab).not.toHaveAttribute('aria-current');
  }
  await expect(page.locator('nav.view-tabs [aria-current]')).toHaveCount(0);
  // The playground's run controls are not on the lesson page (it has its own demo), nor their keys.
  await expect(page.getByTestId('play')).toHaveCount(0);
  await page.locator('.lesson-card[data-lesson="dropout"]').click();
  await page.keyboard.press(' ');
  await expect(tabs.first()).toHaveAttribute('aria-pressed', 'false');

  // A tab leaves the lessons for its view; the link no longer names a lesson.
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Compare optimizers' })).toHaveAttribute('aria-current', 'page');
  await expect(lessons).toHaveAttribute('aria-pressed', 'false');
  await expect(lessons).not.toHaveAttribute('aria-current');
  await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('lesson=');
  // The space key did not start the playground's run behind the lesson.
  await expect(page.getByTestId('step')).toHaveText('0');
});

test('a normal session logs no console error or warning', async ({ page }) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  // Open, play, change a few things, switch views, open a lesson and run its demo.
  await page.goto('./');
  const play = page.getByTestId('play');
  await expect(play).toBeEnabled({ timeout: 60_000 });
  await play.click();
  await expect.poll(async () => Number(await page.getByTestId('step').textContent())).toBeGreaterThan(100);
  await page.locator('[data-dataset="xor"]').click();
  await page.locator('label.opt-choice', { hasText: /^Adam$/ }).click();
  await page.getByRole('button', { name: 'Compare optimizers' }).click();
  await expect(page.getByTestId('compare-loss').locator('canvas')).toHaveAttribute('data-runs', '6', {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Arena' }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(1000);
  await page.getByRole('button', { name: 'Playground' }).click();
  await expect(page.getByTestId('boundary-canvas')).toBeVisible();
  await page.getByTestId('lessons-button').click();
  await page.locator('.lesson-card[data-lesson="momentum"]').click();
  await answerLessonQuestion(page);
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('lesson-demo')).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await page.getByTestId('presenter-toggle').click();
  await page.getByTestId('presenter-toggle').click();
  expect(problems).toEqual([]);
});
