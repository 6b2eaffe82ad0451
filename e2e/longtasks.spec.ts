// The page never blocks while training: no main-thread task over 50 ms from Play on, in the
// playground and in compare mode (six racers), on a 2D set and on digits, as a new user meets
// them (the app from a link, Play pressed). Long tasks are observed in the page (PerformanceObserver
// 'longtask'), with the long animation frames' scripts (LoAF) logged to name a culprit. Chromium's
// long tasks count any task over 50 ms, including ones a loaded machine merely slowed down: the
// log gives the machine's load average beside each case and, from a Chromium trace, the longest
// tasks' CPU time on the page's main thread (what the page's code cost, without the waits for a
// core); the assertion is on the wall time, as a user feels it, and its threshold is never raised.
import { loadavg } from 'node:os';
import { type Browser, expect, type Page, test } from '@playwright/test';

const LIMIT_MS = 50;
const TRAIN_MS = 6000;

interface Seen {
  play: number;
  tasks: { start: number; ms: number }[];
  frames: { start: number; ms: number; scripts: string[] }[];
}

declare global {
  interface Window {
    __long: Seen;
  }
}

const CASES = [
  { name: 'playground, xor', hash: '#data=xor&v=1' },
  { name: 'compare mode, xor (six racers)', hash: '#data=xor&view=compare&v=1' },
  { name: 'playground, digits (784-64 relu-10)', hash: '#data=digits&hidden=64:relu&v=1' },
  { name: 'compare mode, digits (six racers, 784-64 relu-10)', hash: '#data=digits&hidden=64:relu&view=compare&v=1' },
];

async function observe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Seen = { play: Number.POSITIVE_INFINITY, tasks: [], frames: [] };
    window.__long = seen;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) seen.tasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    try {
      new PerformanceObserver((l) => {
        for (const e of l.getEntries() as (PerformanceEntry & {
          scripts?: { invoker?: string; sourceURL?: string; sourceFunctionName?: string; duration: number }[];
        })[])
          seen.frames.push({
            start: e.startTime,
            ms: e.duration,
            scripts: (e.scripts ?? []).map(
              (s) =>
                `${s.invoker ?? '?'} ${s.sourceFunctionName ?? ''}@${(s.sourceURL ?? '').split('/').pop()} ${s.duration.toFixed(0)}ms`,
            ),
          });
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // no LoAF in this browser: the long tasks still count
    }
    // The moment Play is pressed (capture phase: before the app's own handler runs).
    document.addEventListener(
      'click',
      (ev) => {
        if ((ev.target as Element | null)?.closest?.('[data-testid="play"]')) seen.play = performance.now();
      },
      true,
    );
  });
}

/** The page main thread's tasks in a Chromium trace, longest first: wall and CPU (thread) time, ms. */
function mainTasks(trace: Buffer): { wall: number; cpu: number }[] {
  const events = (JSON.parse(trace.toString()) as { traceEvents: Record<string, unknown>[] }).traceEvents;
  const main = new Set(
    events
      .filter((e) => e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter((e) => e.ph === 'X' && /RunTask$/.test(String(e.name)) && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wall: Number(e.dur) / 1000, cpu: Number(e.tdur ?? Number.NaN) / 1000 }))
    .sort((a, b) => b.wall - a.wall);
}

async function traced<T>(
  browser: Browser,
  page: Page,
  fn: () => Promise<T>,
): Promise<[T, { wall: number; cpu: number }[]]> {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
  const out = await fn();
  return [out, mainTasks(await browser.stopTracing())];
}

for (const c of CASES) {
  test(`${c.name}: no main-thread task over ${LIMIT_MS} ms from Play on`, async ({ page, browser }) => {
    test.setTimeout(120_000);
    await observe(page);
    await page.goto(`./${c.hash}`);
    const play = page.getByTestId('play');
    await expect(play).toBeEnabled({ timeout: 60_000 });
    await page.waitForTimeout(500); // the page settles after the build
    const load0 = loadavg()[0];
    const [seen, tasks] = await traced(browser, page, async () => {
      await play.click();
      await expect(page.getByTestId('status-text')).toHaveText(/training/, { timeout: 10_000 });
      await page.waitForTimeout(TRAIN_MS);
      return page.evaluate(() => window.__long);
    });
    await play.click(); // pause
    const after = seen.tasks.filter((t) => t.start >= seen.play - 1);
    const long = after.filter((t) => t.ms > LIMIT_MS);
    const frames = seen.frames.filter((f) => f.start >= seen.play - 1 && f.ms > LIMIT_MS);
    const steps = await page
      .getByTestId('step')
      .textContent()
      .catch(() => '?');
    console.log(
      `[longtasks] ${c.name}: ${after.length} tasks over 50 ms? ${long.length}; longest ` +
        `${Math.max(0, ...after.map((t) => t.ms)).toFixed(0)} ms; step ${steps}; load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)} (2 cores)`,
    );
    for (const t of long)
      console.log(`  task ${t.ms.toFixed(0)} ms at +${(t.start - seen.play).toFixed(0)} ms after Play`);
    const cpu = [...tasks].sort((a, b) => b.cpu - a.cpu);
    const fmt = (l: { wall: number; cpu: number }[]) =>
      l
        .slice(0, 5)
        .map((t) => `${t.wall.toFixed(0)}/${t.cpu.toFixed(0)}`)
        .join(', ');
    console.log(`  trace (wall/CPU ms): longest ${fmt(tasks)}; most CPU ${fmt(cpu)}`);
    for (const f of frames.slice(0, 12))
      console.log(`  frame ${f.ms.toFixed(0)} ms at +${(f.start - seen.play).toFixed(0)} ms: ${f.scripts.join('; ')}`);
    expect(Number.isFinite(seen.play), 'the Play click was seen').toBe(true);
    expect(long.map((t) => `${t.ms.toFixed(0)} ms at +${(t.start - seen.play).toFixed(0)} ms`)).toEqual([]);
  });
}
