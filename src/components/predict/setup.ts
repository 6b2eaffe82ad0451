// What a question is asked about (the racers, before anything runs) and what it is judged on
// (their per-epoch losses), for the two places a question lives: the playground (one run, or the
// compare set's racers: racer i is run i, the first seed of a seed band) and a lesson demo (its
// presets). Only these adapters know where the numbers come from; the rules do not
// (src/predict/questions.ts), and the lesson adapter reads the demo's result, not its trainer.

import type { TrainerStatus } from '../../../workers/protocol';
import { type CompareConfig, slotLabels } from '../../compare/compareSet';
import { OPTIMIZER_LABELS } from '../../config/labels';
import type { TrainConfig } from '../../engine/types';
import { presetConfig } from '../../lessons/presetConfig';
import type { Lesson } from '../../lessons/types';
import type { QuestionSetup, RacerResult } from '../../predict/questions';
import type { LessonResult } from '../../trainer/lessonClient';
import type { MetricsBuffer } from '../../trainer/metricsBuffer';

export function playgroundSetup(view: string, compare: CompareConfig, config: TrainConfig): QuestionSetup {
  if (view === 'compare') {
    const labels = slotLabels(compare.slots);
    return { racers: compare.slots.map((s, i) => ({ label: labels[i], lr: s.optimizer.lr })) };
  }
  const o = config.optimizer;
  return { racers: [{ label: `${OPTIMIZER_LABELS[o.name]} · ε ${o.lr}`, lr: o.lr }] };
}

const ENDED = new Set(['early-stopped', 'diverged', 'finished']);

/** The racers' results so far from the page's ring buffers and the trainer's status (null before the first batch). */
export function playgroundResults(
  metrics: MetricsBuffer,
  status: TrainerStatus | null,
  racers: number,
): RacerResult[] | null {
  if (!status || metrics.generation !== status.generation) return null;
  const out: RacerResult[] = [];
  for (let i = 0; i < racers; i++) {
    const h = metrics.runs[i];
    const st = status.runs[i];
    if (!st) return null;
    out.push({
      // copies: the buffer's views change with the next batch
      trainLoss: h ? Array.from(h.epoch('trainLoss')) : [],
      valLoss: h ? Array.from(h.epoch('valLoss')) : [],
      ended: ENDED.has(st.state),
      diverged: st.state === 'diverged',
    });
  }
  return out;
}

export function lessonSetup(lesson: Lesson): QuestionSetup {
  return { racers: lesson.presets.map((p) => ({ label: p.label, lr: presetConfig(lesson, p).optimizer.lr })) };
}

/** The demo's presets as results (a result that is `done` has every run ended). */
export function lessonResults(result: LessonResult | null): RacerResult[] | null {
  if (!result) return null;
  return result.presets.map((p) => ({
    // copies of the first n rows: the columns grow in place
    trainLoss: Array.from(p.epochs.cols.trainLoss.subarray(0, p.epochs.n)),
    valLoss: Array.from(p.epochs.cols.valLoss.subarray(0, p.epochs.n)),
    ended: result.done || (p.state !== 'training' && p.state !== 'paused'),
    diverged: p.state === 'diverged',
  }));
}
