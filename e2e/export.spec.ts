// Exports as a user gets them: each one downloads a file with the right content type and
// non-empty, valid content; importing an exported config restores it. (Offline use: offline.spec.ts.)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { answerLessonQuestion } from './predictAnswer';

async function openReady(page: Page, hash = '') {
  await page.goto(`./${hash}`);
  // A lesson page has its own demo button instead of the play bar.
  // (after answering the question the demo asks first)
  if (hash.includes('lesson=')) await answerLessonQuestion(page);
  else await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
  // Record the MIME type of every Blob the page turns into a download URL.
  await page.evaluate(() => {
    const w = window as unknown as { __blobTypes: string[] };
    w.__blobTypes = [];
    const orig = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (o: Blob | MediaSource) => {
      if (o instanceof Blob) w.__blobTypes.push(o.type);
      return orig(o);
    };
  });
}

const lastBlobType = (page: Page) =>
  page.evaluate(() => (window as unknown as { __blobTypes: string[] }).__blobTypes.at(-1) ?? '');

/** Clicks `trigger`, returns the downloaded file's name, bytes and the Blob's MIME type. */
async function download(page: Page, trigger: () => Promise<void>) {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path), type: await lastBlobType(page) };
}

async function fromMenu(page: Page, testId: string) {
  return download(page, async () => {
    await page.getByTestId('export-menu').click();
    await page.getByTestId(testId).click();
  });
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('config, metrics, weights, PyTorch and chart exports download valid files', async ({ page }) => {
  await openReady(page, '#lr=0.05&opt=momentum&v=1');
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number(await page.getByTestId('step').textContent()), { timeout: 60_000 })
    .toBeGreaterThan(200);
  await page.getByTestId('play').click(); // pause

  const cfg = await fromMenu(page, 'export-config');
  expect(cfg.type).toMatch(/^application\/json/);
  const config = JSON.parse(cfg.bytes.toString('utf8'));
  expect(config.version).toBe(1);
  expect(config.optimizer).toMatchObject({ name: 'momentum', lr: 0.05 });

  const csv = await fromMenu(page, 'export-csv');
  expect(csv.type).toMatch(/^text\/csv/);
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  expect(lines[0]).toMatch(/^run,label,series,step,epoch,loss/);
  expect(lines.length).toBeGreaterThan(10);
  expect(lines.filter((l) => l.split(',')[2] === 'epoch').length).toBeGreaterThan(0);

  const json = await fromMenu(page, 'export-json');
  expect(json.type).toMatch(/^application\/json/);
  const metrics = JSON.parse(json.bytes.toString('utf8'));
  expect(metrics.format).toBe('descent-metrics');
  expect(metrics.runs[0].steps.loss.length).toBeGreaterThan(10);
  expect(metrics.runs[0].steps.loss.every((v: number | null) => v === null || Number.isFinite(v))).toBe(true);

  const w = await fromMenu(page, 'export-weights');
  expect(w.type).toMatch(/^application\/json/);
  const weights = JSON.parse(w.bytes.toString('utf8'));
  expect(weights.format).toBe('descent-weights');
  expect(weights.layers).toHaveLength(config.model.hidden.length + 1);
  expect(weights.layers[0].W).toHaveLength(config.model.hidden[0].units);
  expect(weights.layers[0].W[0]).toHaveLength(weights.inputDim);

  const py = await fromMenu(page, 'export-pytorch');
  expect(py.type).toMatch(/^text\/x-python/);
  const script = py.bytes.toString('utf8');
  expect(script).toContain('optimizer = LectureMomentum(net.parameters(), lr=LR0, momentum=MOMENTUM, nesterov=False)');
  const parsed = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], {
    input: script,
    encoding: 'utf8',
  });
  expect(parsed.status, parsed.stderr).toBe(0);

  // A live (canvas) chart as PNG and SVG.
  const loss = page.getByRole('region', { name: /loss/i }).first();
  const png = await download(page, () => loss.getByRole('button', { name: 'PNG' }).click());
  expect(png.type).toBe('image/png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG);
  const svg = await download(page, () => loss.getByRole('button', { name: 'SVG' }).click());
  expect(svg.type).toMatch(/^image\/svg\+xml/);
  expect(svg.bytes.toString('utf8')).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<image /);
});

test('importing an exported config restores it; a bad file is refused with a notice', async ({ page }, info) => {
  await openReady(page, '#lr=0.003&opt=adam&hidden=12:relu,6:tanh:bn&batch=32&v=1');
  const exported = await fromMenu(page, 'export-config');
  await openReady(page, '#v=1');
  await page.evaluate(() => localStorage.clear());
  await openReady(page, '');
  const file = info.outputPath('config.json');
  writeFileSync(file, exported.bytes);
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page).toHaveURL(/opt=adam/);
  const again = await fromMenu(page, 'export-config');
  expect(JSON.parse(again.bytes.toString('utf8'))).toEqual(JSON.parse(exported.bytes.toString('utf8')));

  const bad = info.outputPath('bad.json');
  const broken = JSON.parse(exported.bytes.toString('utf8'));
  broken.optimizer.lr = -5;
  writeFileSync(bad, JSON.stringify(broken));
  await page.getByTestId('import-file').setInputFiles(bad);
  await expect(page.getByText(/optimizer\.lr/)).toBeVisible();
});

// The lesson demo draws with the compare view's canvas charts (issue 12: one pipeline), so its SVG is
// the card's title as text with the plot embedded as an image, like every canvas card's.
test('a lesson chart exports as SVG and PNG, named after the lesson', async ({ page }) => {
  await openReady(page, '#lesson=softmax');
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('lesson-demo')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  const frame = page.getByTestId('chart-loss');
  const svg = await download(page, () => frame.getByRole('button', { name: 'SVG' }).click());
  expect(svg.name).toBe('softmax-loss.svg');
  expect(svg.type).toMatch(/^image\/svg\+xml/);
  const text = svg.bytes.toString('utf8');
  expect(text).toContain('>Loss');
  expect(text).toMatch(/<image [^>]*href="data:image\/png;base64,/);
  const png = await download(page, () => frame.getByRole('button', { name: 'PNG' }).click());
  expect(png.type).toBe('image/png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG);
  const csv = await download(page, () => page.getByRole('button', { name: 'Metrics CSV' }).click());
  // the playground's metrics format (the same ring buffers): every step and epoch field, per layer where per layer
  const header = csv.bytes.toString('utf8').split('\n')[0].split(',');
  expect(header.slice(0, 6)).toEqual(['run', 'label', 'series', 'step', 'epoch', 'loss']);
  for (const f of ['lr', 'updateRatio0', 'gradNorm0', 'trainLoss', 'valLoss', 'trainAcc', 'valAcc', 'bestEpoch'])
    expect(header).toContain(f);
});
