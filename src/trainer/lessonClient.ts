// The page's side of the lesson demos: a second trainer worker (the same trainer.worker.ts, API
// and backends as the playground's, so the playground's runs stay as they are while a lesson
// trains), started on the first demo and kept for the next. The lesson runner
// (workers/lessons/runner.ts) drives it over Comlink; the demo's views get the run's metrics
// batch by batch, its progress, and at the end the lesson's checks (workers/lessons/checks.ts).
// Like the trainer's bridge, the only place the page talks to that worker.
import * as Comlink from 'comlink';
import { type LessonCheck, lessonChecks } from '../../workers/lessons/checks';
import { type WeightStats, weightStats } from '../../workers/lessons/measures';
import { type LessonResult, type PresetResult, runLesson } from '../../workers/lessons/runner';
import type { BackendChoice, LessonJob, RunMetrics } from '../../workers/protocol';
import { createTrainerClient, type TrainerClient } from './client';

export type { LessonCheck, LessonResult, PresetResult, WeightStats };

let client: TrainerClient | null = null;
/** The demo being trained; a newer start or a stop ends the older one at its next training call. */
let current = 0;

/** The digits file's address for the worker (it has no page base URL). */
const digitsUrl = () => new URL('./data/digits.bin', document.baseURI).href;

export interface LessonDemoListener {
  /** A batch of preset `preset`'s metrics (its index in the job), as the worker streamed it. */
  metrics(preset: number, m: RunMetrics): void;
  /** After every training call: the presets so far (mutated in place; read, do not keep). */
  progress(r: LessonResult): void;
}

/**
 * Train `job` on `backend` (the playground's choice: 'auto', 'cpu' or 'webgpu'); replaces the demo
 * that was running. Resolves with the result (null when stopped or replaced); rejects with a
 * message naming the problem (a refused config, a worker that failed).
 */
export async function runLessonDemo(
  job: LessonJob,
  backend: BackendChoice,
  boundary: boolean,
  on: LessonDemoListener,
): Promise<LessonResult | null> {
  const mine = ++current;
  client ??= createTrainerClient('descent-lessons');
  const api = client.api;
  const live = () => mine === current;
  const r = await runLesson(api, job, {
    subscribe: (fn) => api.subscribe(Comlink.proxy(fn)),
    backend,
    digitsUrl: digitsUrl(),
    boundary,
    onMetrics: (i, m) => {
      if (live()) on.metrics(i, m);
    },
    onProgress: (res) => {
      if (live()) on.progress(res);
    },
    cancelled: () => !live(),
  });
  return live() && r.done ? r : null;
}

/** Stop the demo that is training (the worker pauses at its next call). */
export function stopLessonDemo(): void {
  current++;
}

/** The lesson's checks on a finished demo: the same function the lesson tests judge a run with. */
export const demoChecks = (r: LessonResult): LessonCheck[] => lessonChecks(r);

/** Statistics of a preset's final weight matrices (null before its run has ended). */
export function presetWeights(p: PresetResult, range = 1.5): WeightStats | null {
  return p.params ? weightStats(p.params, p.layers, 41, range) : null;
}
