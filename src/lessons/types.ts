// A lesson is plain data: a teacher writes a new one without touching components. Presets are
// partial configs merged onto the defaults and validated by the same schema as the URL
// (config/schema.ts parseConfig); a preset with a bad field is a broken lesson (lessons.test.ts).
import type { TestFunctionName, TestFunctionParams } from '../engine/data/testFunctions';

import type { DiagnosticKind } from '../engine/diagnostics';
import type { Question } from '../predict/questions';
/** A deep partial of TrainConfig as JSON: only the fields the lesson changes. */
export type ConfigPatch = { [key: string]: unknown };

export interface LessonPreset {
  /** Stable id within the lesson, used in links (`lesson=dropout&preset=with`). */
  id: string;
  /** Legend label, e.g. "Without dropout". */
  label: string;
  /** '#rrggbb' used for this preset in every chart of the demo. */
  color: string;
  /** Fields that differ from DEFAULT_CONFIG; model.hidden, when present, is the whole layer list. */
  config: ConfigPatch;
  /**
   * Live changes during the run (non-architectural, as Run.setHyper allows): after `atEpoch`
   * completed epochs the patch is applied on top of the preset, e.g. momentum switched off.
   */
  phases?: { atEpoch: number; note: string; config: ConfigPatch }[];
}

/** The views a lesson demo shows; everything else is hidden (presenter mode shows only these). */
export type LessonView =
  | 'loss' // train (faint) and validation loss per preset, best-epoch markers
  | 'accuracy' // validation accuracy per preset
  | 'lr' // the learning rate per preset over time, drawn under the loss
  | 'updateRatio' // ||dW||/||W|| of the first layer per preset, log scale, 1e-3 band
  | 'weights' // weight histogram per preset with the exact-zero count and ||w||
  | 'boundary' // decision boundary per preset with train/validation points (and noise ghosts)
  | 'activations' // per-layer mean and std of hidden activations per preset
  | 'arena'; // optimizer trajectories on a 2D test function (Lesson.arena)

/** Optimizer paths on a 2D test function (engine/arena.ts), for the "ball on a surface" picture. */
export interface LessonArena {
  fn: TestFunctionName;
  params?: TestFunctionParams;
  start: [number, number];
  steps: number;
  /** `optimizer` is a partial OptimizerConfig over the defaults. */
  runs: { label: string; color: string; optimizer: ConfigPatch }[];
}

export interface Lesson {
  /** URL slug, e.g. 'dropout'. */
  id: string;
  /** Order in the lecture, 1-based. */
  number: number;
  title: string;
  /** A few sentences, plain text. */
  text: string[];
  /** Formulas in TeX, typeset by KaTeX. */
  formulas: string[];
  /** One or more presets; with several, they train side by side from the same data and weights. */
  presets: LessonPreset[];
  /** What to watch for, one short line each. */
  watch: string[];
  views: LessonView[];
  arena?: LessonArena;
  /** Epochs the demo trains (the effect shows within this). */
  epochs: number;
  /**
   * Predict, then run: the question the demo asks before it may run (src/predict/questions.ts;
   * kind and parameters only, its choices come from the presets, the outcome from the run;
   * `epochs` at most the lesson's).
   */
  question: Question;
  /** Playground diagnostics this lesson is about: links to their demo configs (engine/diagnosticDemos.ts). */
  diagnostics?: DiagnosticKind[];
}
