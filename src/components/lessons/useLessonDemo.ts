// Runs a lesson's demo in the lesson worker (lesson.worker.ts) and holds the latest snapshot.
// One worker for the page, created at start-up (prewarmLessons), so a demo also runs when the
// network is gone after the first load; a page only listens to snapshots of its own lesson.
import { useCallback, useEffect, useState } from 'react';
import type { LessonCommand, LessonEvent } from '../../lessons/lessonProtocol';
import type { ArenaSnapshot, LessonSnapshot } from '../../lessons/snapshot';

export interface DemoState {
  running: boolean;
  snapshot: LessonSnapshot | null;
  arena: ArenaSnapshot | null;
  error: string | null;
}

let worker: Worker | null = null;

function lessonWorker(): Worker {
  worker ??= new Worker(new URL('../../lessons/lesson.worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

/** KaTeX faces the lesson formulas use: loaded now, so they are there offline later. */
const KATEX_FACES = ['KaTeX_Main', 'italic 1em KaTeX_Math', 'KaTeX_Size1', 'KaTeX_Size2', 'KaTeX_AMS'];

/** Start the lesson worker, load the digits and the formula fonts while the network is there. */
export function prewarmLessons(): void {
  const c: LessonCommand = { type: 'prefetch', digitsUrl: new URL('./data/digits.bin', document.baseURI).href };
  lessonWorker().postMessage(c);
  if (typeof document !== 'undefined' && document.fonts)
    for (const f of KATEX_FACES) void document.fonts.load(f.includes('1em') ? f : `1em ${f}`).catch(() => undefined);
}

export function useLessonDemo(lessonId: string) {
  const [state, setState] = useState<DemoState>({ running: false, snapshot: null, arena: null, error: null });

  useEffect(() => {
    const w = lessonWorker();
    let mine = false; // only after this page pressed "Run": snapshots of an earlier run are ignored
    const onMessage = (ev: MessageEvent<LessonEvent>) => {
      const e = ev.data;
      if (e.type === 'snapshot') {
        if (!mine || e.snapshot.lessonId !== lessonId) return;
        setState((s) => ({ ...s, snapshot: e.snapshot, running: !e.snapshot.done, error: null }));
      } else if (e.type === 'arena') {
        if (mine) setState((s) => ({ ...s, arena: e.arena }));
      } else if (e.type === 'error') {
        if (mine) setState((s) => ({ ...s, error: e.message, running: false }));
      }
    };
    const onStart = () => {
      mine = true;
    };
    w.addEventListener('message', onMessage);
    addEventListener(`lesson-start:${lessonId}`, onStart);
    return () => {
      w.removeEventListener('message', onMessage);
      removeEventListener(`lesson-start:${lessonId}`, onStart);
      const stop: LessonCommand = { type: 'stop' };
      if (mine) w.postMessage(stop);
    };
  }, [lessonId]);

  const start = useCallback(() => {
    dispatchEvent(new Event(`lesson-start:${lessonId}`));
    setState((s) => ({ ...s, running: true, snapshot: null, arena: null, error: null }));
    const c: LessonCommand = {
      type: 'start',
      lessonId,
      digitsUrl: new URL('./data/digits.bin', document.baseURI).href,
    };
    lessonWorker().postMessage(c);
  }, [lessonId]);
  const stop = useCallback(() => {
    const c: LessonCommand = { type: 'stop' };
    lessonWorker().postMessage(c);
    setState((s) => ({ ...s, running: false }));
  }, []);
  return { ...state, start, stop };
}
