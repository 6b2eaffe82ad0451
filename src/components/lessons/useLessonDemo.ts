// Runs a lesson's demo through the trainer worker (src/trainer/lessonClient.ts) on the backend the
// playground uses ('auto', CPU engine or WebGPU) and holds what the views read: the presets'
// metrics in the page's ring buffers (one run per preset, drawn by the main charts), the runner's
// progress (state, boundaries, final weights) and, once every preset has ended, the lesson's checks.
//
// Run control (stable for wrappers such as a predict-then-run question): `start()` trains the demo
// from the start, `stop()` ends it; `running`, `done`, `result` (every preset's metric columns,
// runner.ts PresetResult) and `checks` say what happened.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { lessonById } from '../../lessons';
import { lessonJob } from '../../lessons/job';
import { useStore } from '../../state/store';
import {
  demoChecks,
  type LessonCheck,
  type LessonResult,
  runLessonDemo,
  stopLessonDemo,
} from '../../trainer/lessonClient';
import { MetricsBuffer } from '../../trainer/metricsBuffer';

export interface DemoState {
  running: boolean;
  /** Every preset trained to its end. */
  done: boolean;
  /** The run so far (null before the first start). */
  result: LessonResult | null;
  /** The lesson's checks on the finished run (null before it finished). */
  checks: LessonCheck[] | null;
  error: string | null;
  /** Increments on every progress report (the views re-render on it). */
  tick: number;
}

const IDLE: DemoState = { running: false, done: false, result: null, checks: null, error: null, tick: 0 };

export function useLessonDemo(lessonId: string) {
  const backend = useStore((s) => s.run.backendChoice);
  const [state, setState] = useState<DemoState>(IDLE);
  // one history per preset, as the playground keeps one per run (sized for a lesson's few thousand steps)
  const metrics = useMemo(() => new MetricsBuffer({ stepCapacity: 2048, epochCapacity: 512 }), []);

  // leaving the lesson (or opening another) ends its demo
  // biome-ignore lint/correctness/useExhaustiveDependencies: lessonId is the trigger
  useEffect(() => {
    setState(IDLE);
    metrics.reset(0, 0);
    return () => stopLessonDemo();
  }, [lessonId, metrics]);

  const start = useCallback(() => {
    const lesson = lessonById(lessonId);
    if (!lesson) {
      setState({ ...IDLE, error: `no lesson '${lessonId}'` });
      return;
    }
    metrics.reset(0, lesson.presets.length);
    setState({ ...IDLE, running: true });
    const fail = (e: unknown) =>
      setState((s) => ({ ...s, running: false, error: e instanceof Error ? e.message : String(e) }));
    try {
      runLessonDemo(lessonJob(lesson), backend, lesson.views.includes('boundary'), {
        metrics: (i, m) => metrics.append(0, lesson.presets.length, [{ ...m, run: i }]),
        progress: (result) => setState((s) => ({ ...s, result, tick: s.tick + 1 })),
      }).then((result) => {
        if (result)
          setState((s) => ({ ...s, running: false, done: true, result, checks: demoChecks(result), tick: s.tick + 1 }));
      }, fail);
    } catch (e) {
      fail(e);
    }
  }, [lessonId, backend, metrics]);

  const stop = useCallback(() => {
    stopLessonDemo();
    setState((s) => ({ ...s, running: false }));
  }, []);
  return { ...state, metrics, start, stop };
}

export type LessonDemoControl = ReturnType<typeof useLessonDemo>;
