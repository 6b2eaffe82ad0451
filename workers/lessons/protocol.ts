// Messages between the lesson demo (page: src/trainer/lessonClient.ts) and lesson.worker.ts, and
// the job a demo runs. The page resolves a catalogue Lesson (src/lessons) into a LessonJob: every
// preset's full config, already checked by the config schema; the worker needs no catalogue.
// Shared by both sides like workers/protocol.ts (types only).
import type { TestFunctionName, TestFunctionParams } from '../../src/engine/data/testFunctions';
import type { TrainConfig } from '../../src/engine/types';
import type { ArenaSnapshot, LessonSnapshot } from './snapshot';

export type { ArenaSnapshot, LessonSnapshot, PresetSnapshot } from './snapshot';

/** A deep partial of TrainConfig as JSON (a live phase's change). */
export type ConfigPatch = { [key: string]: unknown };

export interface JobPreset {
  id: string;
  label: string;
  color: string;
  /** The preset's whole config (the lesson's patch over the defaults, through the schema). */
  config: TrainConfig;
  /** Live changes: after `atEpoch` completed epochs the patch is written over the run's config. */
  phases?: { atEpoch: number; note: string; config: ConfigPatch }[];
}

/** Optimizer paths on a 2D test function; `optimizer` is a partial OptimizerConfig over the defaults. */
export interface JobArena {
  fn: TestFunctionName;
  params?: TestFunctionParams;
  start: [number, number];
  steps: number;
  runs: { label: string; color: string; optimizer: ConfigPatch }[];
}

/** What the worker trains: a lesson's presets side by side, at most `epochs` epochs each. */
export interface LessonJob {
  id: string;
  epochs: number;
  /** The views the demo shows (they decide which measures a snapshot carries). */
  views: readonly string[];
  presets: JobPreset[];
  arena?: JobArena;
}

export type LessonCommand =
  | { type: 'start'; job: LessonJob; digitsUrl: string }
  | { type: 'stop' }
  /** Load the digits now (page start-up), so digit lessons also run offline later. */
  | { type: 'prefetch'; digitsUrl: string };

export type LessonEvent =
  | { type: 'snapshot'; snapshot: LessonSnapshot }
  | { type: 'arena'; arena: ArenaSnapshot | null }
  | { type: 'error'; message: string };
