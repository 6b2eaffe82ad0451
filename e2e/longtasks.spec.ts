// The page never blocks while training: no main-thread task over 50 ms from Play on, in the
// playground and in compare mode (six racers), on a 2D set and on digits, as a new user meets
// them (the app from a link, Play pressed).
//
// Two measures of each task after Play, both reported per case:
//   - wall time, as a user feels it: Chromium's long tasks (PerformanceObserver 'longtask', every
//     task over 50 ms) and the same tasks in a Chromium trace (RunTask on the page's main thread);
//   - CPU time, what the page's own code cost: the trace's thread time of each task (tdur), without
//     the waits for a core. On this shared 2-core machine a task of 10 ms CPU can take 300 ms of
//     wall when 10 processes compete, so wall time says as much about the machine as about the page.
// The longest task (by CPU) is attributed from the trace's sampled CPU profile: its heaviest
// functions by self time, mapped to the source through the build's source maps (the build under
// LONGTASKS=1 writes hidden source maps, vite.config.ts).
//
// Asserted (robust at any load): the Play click was seen, training ran, and no task after Play
// used over 50 ms of main-thread CPU. The wall-time target (no long task at all) is asserted only
// when the machine was idle through the case (1-minute load average below IDLE_LOAD before and
// after, other than this browser); otherwise the log says it was not asserted and why. The 50 ms
// threshold is never raised.

import { writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { loadavg } from 'node:os';
import { type Browser, expect, type Page, test } from '@playwright/test';

const LIMIT_MS = 50;
/** performance.mark name of the Play click (found again in the trace). */
const PLAY_MARK = 'longtasks-play';
const TRAIN_MS = 6000;
/** Tasks with more main-thread CPU than this (ms) are attributed in the log. */
const ATTRIBUTE_MS = 25;
/**
 * Load average (2 cores) under which the machine counts as idle for the wall-time assertion. The
 * case itself adds about 1 (the worker trains on one core; the page and the GPU process share the
 * other), so below 1.5 no other process competes for long.
 */
const IDLE_LOAD = 1.5;

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
  await page.addInitScript((playMark: string) => {
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
        if ((ev.target as Element | null)?.closest?.('[data-testid="play"]')) {
          seen.play = performance.now();
          performance.mark(playMark); // the same moment in the trace (blink.user_timing)
        }
      },
      true,
    );
  }, PLAY_MARK);
}

type TraceEvent = {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  id?: string;
  args?: Record<string, unknown>;
};

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** The trace event of one task of a thread's task queue (the scheduler's, category 'toplevel'). */
const TASK = 'ThreadControllerImpl::RunTask';

/** A task of the page's main thread, ms; `at` from the Play click. */
interface Task {
  at: number;
  wall: number;
  cpu: number;
  /** Trace time span, µs (for the profile samples). */
  ts: number;
  dur: number;
}

interface TraceFacts {
  /** The main thread's tasks after the Play click, longest wall first. */
  tasks: Task[];
  /** Sampled CPU profile of the main thread: sample times (µs, trace clock) and their stacks' leaf frames. */
  samples: { t: number; stack: CallFrame[] }[];
  /** The main thread's other complete events (FunctionCall, Layout, GC, ...) from Play on, by start. */
  timeline: TraceEvent[];
}

/**
 * A task's CPU by kind of work: each trace event inside it (function call, style, layout, paint,
 * GC, ...) with its own thread time minus that of the events nested in it, summed per name, ms.
 */
function breakdown(task: Task, timeline: TraceEvent[]): string {
  const inside = timeline.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur);
  const self = new Map<string, number>();
  const open: { end: number; name: string }[] = [];
  let covered = 0;
  for (const e of inside) {
    while (open.length > 0 && open[open.length - 1].end <= e.ts) open.pop();
    const cpu = (e.tdur ?? 0) / 1000;
    const parent = open[open.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - cpu);
    else covered += cpu;
    self.set(e.name, (self.get(e.name) ?? 0) + cpu);
    open.push({ end: e.ts + (e.dur ?? 0), name: e.name });
  }
  self.set('(task, outside events)', task.cpu - covered);
  return [...self]
    .filter(([, ms]) => ms >= 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
    .join(', ');
}

/** Parse the trace: the renderer main thread's tasks from the Play click on, and its CPU samples. */
function readTrace(trace: Buffer): TraceFacts {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const key = (e: { pid: number; tid: number }) => `${e.pid}:${e.tid}`;
  const main = new Set(
    events.filter((e) => e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain').map(key),
  );
  const mark = events.find((e) => e.name === PLAY_MARK && main.has(key(e)));
  if (!mark) throw new Error('the trace holds no Play mark');
  const t0 = mark.ts;
  const tasks = events
    .filter((e) => e.ph === 'X' && e.name === TASK && main.has(key(e)) && e.ts + (e.dur ?? 0) >= t0)
    .map((e) => ({
      at: (e.ts - t0) / 1000,
      wall: (e.dur ?? 0) / 1000,
      cpu: (e.tdur ?? Number.NaN) / 1000,
      ts: e.ts,
      dur: e.dur ?? 0,
    }))
    .sort((a, b) => b.wall - a.wall);

  const timeline = events
    .filter((e) => e.ph === 'X' && main.has(key(e)) && e.name !== TASK && e.ts + (e.dur ?? 0) >= t0)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

  // The V8 sampling profiler's events: a 'Profile' (start time, on the profiled thread) and its
  // 'ProfileChunk's (new nodes, samples as node ids, time deltas in µs), joined by id.
  const profiles = new Map<string, { thread: string; t: number }>();
  for (const e of events)
    if (e.name === 'Profile' && e.id)
      profiles.set(`${e.pid}:${e.id}`, {
        thread: key(e),
        t: (e.args as { data: { startTime: number } }).data.startTime,
      });
  const nodes = new Map<string, { frame: CallFrame; parent?: number }>();
  const samples: TraceFacts['samples'] = [];
  const pending: { pid: number; id: string; node: number; t: number }[] = [];
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const p = profiles.get(`${e.pid}:${e.id}`);
    if (!p || !main.has(p.thread)) continue;
    const data = (
      e.args as {
        data: {
          cpuProfile?: { nodes?: { id: number; parent?: number; callFrame: CallFrame }[]; samples?: number[] };
          timeDeltas?: number[];
        };
      }
    ).data;
    for (const n of data.cpuProfile?.nodes ?? [])
      nodes.set(`${e.pid}:${e.id}:${n.id}`, { frame: n.callFrame, parent: n.parent });
    const ids = data.cpuProfile?.samples ?? [];
    const dt = data.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      p.t += dt[i] ?? 0;
      pending.push({ pid: e.pid, id: e.id, node: ids[i], t: p.t });
    }
  }
  for (const s of pending) {
    const stack: CallFrame[] = [];
    for (let n = nodes.get(`${s.pid}:${s.id}:${s.node}`); n; ) {
      stack.push(n.frame);
      n = n.parent === undefined ? undefined : nodes.get(`${s.pid}:${s.id}:${n.parent}`);
    }
    samples.push({ t: s.t, stack });
  }
  return { tasks, samples, timeline };
}

/** Source positions through the build's (hidden) source maps, fetched once per script. */
class Sources {
  private maps = new Map<string, Promise<SourceMap | null>>();

  private map(url: string): Promise<SourceMap | null> {
    let m = this.maps.get(url);
    if (!m) {
      m = fetch(`${url}.map`)
        .then((r) => (r.ok ? r.json() : null))
        .then((j) => (j ? new SourceMap(j) : null))
        .catch(() => null);
      this.maps.set(url, m);
    }
    return m;
  }

  /** "name (src/file.ts:line)" for a profile frame (lines 1-based). */
  async name(f: CallFrame): Promise<string> {
    const fn = f.functionName || '(anonymous)';
    if (!/^https?:/.test(f.url)) return f.url ? `${fn} (${f.url.split('/').pop()})` : fn;
    const m = await this.map(f.url);
    const e = m?.findEntry(f.lineNumber, f.columnNumber) as
      | { originalSource?: string; originalLine?: number; name?: string }
      | undefined;
    if (!e?.originalSource) return `${fn} (${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1})`;
    const src = e.originalSource.replace(/^.*?\/(src|workers|node_modules)\//, '$1/');
    return `${e.name ?? fn} (${src}:${(e.originalLine ?? 0) + 1})`;
  }
}

/**
 * Where a task's CPU went: the functions with the most self samples, and the deepest app frame
 * on the heaviest path (inclusive samples), each with its share of the task's samples.
 */
async function attribute(task: Task, samples: TraceFacts['samples'], src: Sources): Promise<string> {
  const inside = samples.filter((s) => s.t >= task.ts && s.t <= task.ts + task.dur && s.stack.length > 0);
  if (inside.length === 0) return 'no CPU samples in this task';
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const s of inside) {
    const leaf = await src.name(s.stack[0]);
    self.set(leaf, (self.get(leaf) ?? 0) + 1);
    const seen = new Set<string>();
    for (const f of s.stack) {
      if (!/^https?:/.test(f.url)) continue; // the page's scripts only
      const n = await src.name(f);
      if (seen.has(n)) continue;
      seen.add(n);
      incl.set(n, (incl.get(n) ?? 0) + 1);
    }
  }
  const pct = (k: number) => `${Math.round((100 * k) / inside.length)}%`;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([f, k]) => `${pct(k)} ${f}`)
      .join('; ');
  return `${inside.length} samples; self: ${top(self, 4)}\n      inclusive (page scripts): ${top(incl, 6)}`;
}

async function traced<T>(
  browser: Browser,
  page: Page,
  fn: () => Promise<T>,
  saveAs?: string,
): Promise<[T, TraceFacts]> {
  await browser.startTracing(page, {
    categories: [
      'toplevel',
      'blink.user_timing',
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-v8.cpu_profiler',
    ],
  });
  const out = await fn();
  const trace = await browser.stopTracing();
  if (saveAs) writeFileSync(saveAs, trace);
  return [out, readTrace(trace)];
}

for (const c of CASES) {
  test(`${c.name}: no main-thread task over ${LIMIT_MS} ms from Play on`, async ({ page, browser }) => {
    test.setTimeout(150_000);
    await observe(page);
    await page.goto(`./${c.hash}`);
    const play = page.getByTestId('play');
    await expect(play).toBeEnabled({ timeout: 60_000 });
    await page.waitForTimeout(500); // the page settles after the build
    const load0 = loadavg()[0];
    const [seen, trace] = await traced(
      browser,
      page,
      async () => {
        await play.click();
        await expect(page.getByTestId('status-text')).toHaveText(/training/, { timeout: 10_000 });
        await page.waitForTimeout(TRAIN_MS);
        return page.evaluate(() => window.__long);
      },
      process.env.LONGTASKS_TRACE ? test.info().outputPath('trace.json') : undefined,
    );
    const load1 = loadavg()[0];
    await play.click(); // pause
    const after = seen.tasks.filter((t) => t.start >= seen.play - 1);
    const long = after.filter((t) => t.ms > LIMIT_MS);
    const frames = seen.frames.filter((f) => f.start >= seen.play - 1 && f.ms > LIMIT_MS);
    const steps = await page
      .getByTestId('step')
      .textContent()
      .catch(() => '?');
    const { tasks } = trace;
    const byCpu = [...tasks].filter((t) => Number.isFinite(t.cpu)).sort((a, b) => b.cpu - a.cpu);
    const worst = byCpu[0];
    const traceLong = tasks.filter((t) => t.wall > LIMIT_MS);
    const idle = Math.max(load0, load1) < IDLE_LOAD;
    const fmt = (l: Task[]) =>
      l
        .slice(0, 5)
        .map((t) => `${t.wall.toFixed(0)}/${t.cpu.toFixed(0)}@+${t.at.toFixed(0)}`)
        .join(', ');
    // One summary line per case (grep '[longtasks]'): the two numbers the issue tracks.
    console.log(
      `[longtasks] ${c.name}: tasks > ${LIMIT_MS} ms wall: ${long.length} (observer), ${traceLong.length} (trace) ` +
        `of ${tasks.length}; longest task CPU ${worst ? worst.cpu.toFixed(1) : '?'} ms ` +
        `(wall ${worst ? worst.wall.toFixed(0) : '?'} ms, +${worst ? worst.at.toFixed(0) : '?'} ms after Play); ` +
        `longest wall ${Math.max(0, ...after.map((t) => t.ms)).toFixed(0)} ms; step ${steps}; ` +
        `load ${load0.toFixed(1)} -> ${load1.toFixed(1)} (2 cores)`,
    );
    console.log(`  trace (wall/CPU ms @ ms after Play): longest wall ${fmt(tasks)}; most CPU ${fmt(byCpu)}`);
    const src = new Sources();
    // Where the CPU of the heaviest tasks went (every task over ATTRIBUTE_MS of CPU, at most 4).
    for (const t of byCpu.slice(0, 4).filter((t, i) => i === 0 || t.cpu > ATTRIBUTE_MS))
      console.log(
        `  task ${t.wall.toFixed(0)}/${t.cpu.toFixed(1)} ms at +${t.at.toFixed(0)}: ${breakdown(t, trace.timeline)}\n` +
          `      ${await attribute(t, trace.samples, src)}`,
      );
    for (const f of frames.slice(0, 6))
      console.log(`  frame ${f.ms.toFixed(0)} ms at +${(f.start - seen.play).toFixed(0)} ms: ${f.scripts.join('; ')}`);
    expect(Number.isFinite(seen.play), 'the Play click was seen').toBe(true);
    expect(Number(steps?.replace(/\D/g, '') || 0), 'training ran').toBeGreaterThan(0);
    expect(tasks.length, 'the trace holds the main thread tasks').toBeGreaterThan(10);
    expect(
      byCpu.filter((t) => t.cpu > LIMIT_MS).map((t) => `${t.cpu.toFixed(0)} ms CPU at +${t.at.toFixed(0)} ms`),
      `main-thread tasks over ${LIMIT_MS} ms of CPU`,
    ).toEqual([]);
    if (idle)
      expect(
        long.map((t) => `${t.ms.toFixed(0)} ms at +${(t.start - seen.play).toFixed(0)} ms`),
        `tasks over ${LIMIT_MS} ms of wall time on an idle machine (load ${load0.toFixed(1)} -> ${load1.toFixed(1)})`,
      ).toEqual([]);
    else
      console.log(
        `  wall-time target not asserted: load ${load0.toFixed(1)} -> ${load1.toFixed(1)} is not idle (< ${IDLE_LOAD})`,
      );
  });
}
