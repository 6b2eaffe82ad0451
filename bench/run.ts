// `npm run bench`: builds bench/page.html with its own Vite config, serves it on 127.0.0.1,
// and runs every task in a fresh headless Chromium with WebGPU on (same adapter for Descent,
// TF.js and jax-js), then writes bench/results.json and bench/results.md. Not part of `npm test`.
//
// Options (for development; a filtered run writes bench/out/partial.json, never the results):
//   --impl=descent-gpu,tfjs-webgpu   only these implementations
//   --kind=matmul|train              only these rows
//   --workload=a-sgd,c               only these training workloads
//   --budget=MS                      time budget of each measurement (default 2500)
//   --cpu=NAME                       which CPU implementation the Descent CPU rows measure (default engine)
//   --rounds=N                       rounds (default 3; fewer than 3 counts as a filtered run)
//   --write-results                  write results.json/md even from a filtered or reduced run
//   --render[=FILE]                  only re-summarize FILE (default bench/results.json; an interrupted run
//                                    left bench/out/progress.json) into results.json/md, no measuring
//
// Every task runs once per round, the implementations interleaved in a different order each round
// (planTasks); the report gives medians with min-max over the rounds and marks a target met only
// when its worst round meets it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM_MESSAGE } from '../e2e/chromium';
import { renderMarkdown } from './markdown';
import { planTasks } from './plan';
import { type Meta, type Results, summarize } from './report';
import { type AdapterReport, IMPL_LABEL, type Task, type TaskOutcome } from './tasks';

const PORT = Number(process.env.BENCH_PORT ?? 4188);
const CONFIG = resolve(import.meta.dirname, 'vite.config.ts');
const TASK_TIMEOUT_MS = 240_000;

function describeTask(t: Task): string {
  const what = t.kind === 'matmul' ? `matmul ${t.sizes.join('/')}` : t.workload.title;
  return `round ${t.round + 1}, ${IMPL_LABEL[t.impl]}: ${what}`;
}

/** results.json (or out/partial.json for a filtered run), results.md, and the markdown on stdout. */
function write(results: Results, filtered: boolean): void {
  const jsonPath = resolve(import.meta.dirname, filtered ? 'out/partial.json' : 'results.json');
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  const md = renderMarkdown(results);
  if (!filtered) {
    const mdPath = resolve(import.meta.dirname, 'results.md');
    writeFileSync(mdPath, md);
    // The repository's formatter pads the tables; `npm test` lints the file as committed.
    const fmt = spawnSync('npx', ['biome', 'format', '--write', mdPath], { encoding: 'utf8' });
    if (fmt.status !== 0) console.error(`bench: biome format of results.md failed:\n${fmt.stderr}`);
  }
  console.log(`\n${md}`);
  console.log(
    `bench: wrote ${jsonPath}${filtered ? ' (filtered run: results.json/md untouched)' : ' and bench/results.md'}`,
  );
}

/** Written after every task: an interrupted run can still be rendered (--render=bench/out/progress.json). */
const PROGRESS = resolve(import.meta.dirname, 'out/progress.json');

/** --render[=FILE]: summarize a results file's outcomes again (after a change to the report), no measuring. */
function render(file: string): void {
  const old = JSON.parse(readFileSync(resolve(file), 'utf8')) as Results;
  const { matmul, training, race, targets, failures, outcomes, ...meta } = old;
  write(summarize(outcomes, meta), false);
}

async function main(): Promise<void> {
  const renderArg = process.argv.find((a) => a === '--render' || a.startsWith('--render='));
  if (renderArg) return render(renderArg.slice(9) || resolve(import.meta.dirname, 'results.json'));
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
  const { tasks, filtered, rounds } = planTasks();
  const started = Date.now();
  console.log('bench: building bench/page.html ...');
  await build({ configFile: CONFIG });
  const server = await preview({
    configFile: CONFIG,
    preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
  });
  const url = `http://127.0.0.1:${PORT}/page.html`;
  const outcomes: TaskOutcome[] = [];
  const meta = (): Meta => ({
    date: new Date().toISOString(),
    adapter,
    browser: `Chromium ${browserVersion} (headless, ${CHROMIUM_ARGS.join(' ')})`,
    node: process.version,
    cpus: cpus().length,
    rounds,
    cpu: tasks[0]?.cpu ?? 'engine',
    command: ['npm run bench', ...process.argv.slice(2)].join(' '),
    totalSeconds: (Date.now() - started) / 1000,
  });
  let adapter: AdapterReport | null = null;
  let browserVersion = '';
  try {
    for (const [i, task] of tasks.entries()) {
      // A fresh browser per task: no shader cache, JIT state or leaked memory carries over.
      const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
      browserVersion = browser.version();
      try {
        const page = await browser.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') pageErrors.push(`console error: ${m.text()}`);
        });
        // descent-threads needs SharedArrayBuffer: its page is served cross-origin isolated (vite.config.ts)
        await page.goto(task.impl === 'descent-threads' ? `${url}?isolated=1` : url);
        await page.waitForFunction(() => 'bench' in window);
        adapter ??= await page.evaluate(() => window.bench.adapter());
        const t0 = Date.now();
        const load0 = loadavg();
        const outcome = await Promise.race([
          page.evaluate((t) => window.bench.run(t), task),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`timed out after ${TASK_TIMEOUT_MS} ms`)), TASK_TIMEOUT_MS),
          ),
        ]).catch((e: Error): TaskOutcome => ({ task, ok: false, error: e.message, notes: [] }));
        outcome.notes.push(...pageErrors.slice(0, 5));
        const load1 = loadavg();
        outcome.load = [load0[0], load1[0]];
        outcome.load5 = [load0[1], load1[1]];
        outcomes.push(outcome);
        writeFileSync(PROGRESS, `${JSON.stringify(summarize(outcomes, meta()))}\n`);
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        console.log(
          `bench: [${i + 1}/${tasks.length}] ${describeTask(task)}: ${outcome.ok ? 'ok' : `FAILED (${outcome.error})`} in ${secs} s`,
        );
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  const results = summarize(outcomes, meta());
  write(results, filtered);
  // Vite's build leaves handles open; the bench is done, so end the process explicitly.
  process.exit(outcomes.some((o) => !o.ok) ? 1 : 0);
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
