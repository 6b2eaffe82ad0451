// The lesson demo's worker: trains a lesson's presets side by side (LessonRunner) off the main
// thread and posts a snapshot about ten times a second, the heavy measures (boundary, weight and
// activation statistics) about twice a second. Messages: see lessonProtocol.ts.

import type { DigitsData } from '../../src/engine/data/digits';
import { loadDigits } from '../digits';
import type { LessonCommand, LessonEvent, LessonJob } from './protocol';
import { LessonRunner } from './runner';
import { arenaSnapshot, snapshot } from './snapshot';

let runner: LessonRunner | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let generation = 0;
/** The digits, loaded once per URL and kept for later lessons (the engine keeps nothing). */
let digits: { url: string; data: Promise<DigitsData> } | null = null;
const digitsAt = (url: string) => {
  if (digits?.url !== url) digits = { url, data: loadDigits(url) };
  const d = digits;
  d.data.catch(() => {
    if (digits === d) digits = null; // a failed load is retried next time
  });
  return d.data;
};

const post = (e: LessonEvent) => postMessage(e);

function stop(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

async function start(lesson: LessonJob, digitsUrl: string): Promise<void> {
  stop();
  const gen = ++generation;
  try {
    const data = lesson.presets.some((p) => p.config.data.name === 'digits') ? await digitsAt(digitsUrl) : undefined;
    if (gen !== generation) return;
    runner = new LessonRunner(lesson, { stride: 1, digits: data });
  } catch (e) {
    return post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
  post({ type: 'arena', arena: arenaSnapshot(lesson) ?? null });
  let lastHeavy = 0;
  const tick = () => {
    if (!runner || gen !== generation) return;
    const t0 = performance.now();
    while (!runner.done && performance.now() - t0 < 80) runner.advance(4);
    const heavy = runner.done || performance.now() - lastHeavy > 400;
    if (heavy) lastHeavy = performance.now();
    post({ type: 'snapshot', snapshot: snapshot(runner, heavy) });
    if (!runner.done) timer = setTimeout(tick, 0);
    else timer = null;
  };
  tick();
}

addEventListener('message', (ev: MessageEvent<LessonCommand>) => {
  const c = ev.data;
  if (c.type === 'start') void start(c.job, c.digitsUrl);
  else if (c.type === 'prefetch')
    void digitsAt(c.digitsUrl).catch(() => undefined); // retried at start
  else if (c.type === 'stop') {
    generation++;
    stop();
  }
});
