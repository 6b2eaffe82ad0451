// The ONLY contract between the page and the training worker (workers/trainer.worker.ts).
// The page reaches it through src/trainer/client.ts (Comlink.wrap) and src/trainer/bridge.ts;
// nothing else on the page imports the worker. Types (and one constant), plain data: everything here crosses
// postMessage (structured clone), and typed arrays in updates are transferred, not copied.
//
// Flow: the page registers ONE long-lived listener (`subscribe(Comlink.proxy(fn))`). The worker
// trains in a paced loop and calls the listener with a `TrainerUpdate` at most ~20 times per
// second whatever the training speed: batched per-step metrics as columns, completed epochs,
// the coarse status, and (every `intervalMs` when enabled) decision boundaries, weight
// histograms and current weights. Nothing flows while paused (one final status update only).
//
// Errors are values: a bad config comes back as `{ ok: false, problems }` naming each field;
// divergence, early stopping and GPU device loss show up in the status, never as exceptions.
//
// The data types are in three parts, re-exported here so that this file stays the one contract
// the page imports: protocolStatus.ts (backend and run status), protocolSetup.ts (setup, options,
// config errors, planned and regrouped changes), protocolStream.ts (the streamed updates).
import type { ActivationStats } from '../src/engine/diagnostics';
import type { RangeTestOptions, RangeTestResult } from '../src/engine/lrRange';
import type { RunSnapshot } from '../src/engine/snapshot';
import type { TrainConfig } from '../src/engine/types';
import type { CreateOptions, PlannedChange, RegroupRun, Result, RunSetup, SetConfigResult } from './protocolSetup';
import type { BackendChoice, BackendStatus, Speed, TrainerStatus } from './protocolStatus';
import type { BoundaryGrid, TrainerListener, VisualOptions, WeightSnapshots } from './protocolStream';

export * from './protocolSetup';
export type * from './protocolStatus';
export type * from './protocolStream';

// ---------------------------------------------------------------- lesson demos

/**
 * A lesson demo as the page hands it to the lesson runner (workers/lessons/runner.ts), which trains
 * it through this same API: every preset's whole config (the catalogue's patch resolved on the page by
 * src/lessons/job.ts through the config schema) and its live changes. Presets that may share a
 * compare set (data, architecture, seed) train together; the others after them, on the same backend.
 */
export interface LessonJob {
  id: string;
  /** Epochs every preset trains at most (its maxEpochs is capped to this). */
  epochs: number;
  presets: LessonJobPreset[];
}

export interface LessonJobPreset {
  id: string;
  label: string;
  /** '#rrggbb', the preset's colour in every chart of the demo. */
  color: string;
  config: TrainConfig;
  /** Live changes (no rebuild): after `atEpoch` completed epochs the patch is merged over the config. */
  phases?: { atEpoch: number; note: string; config: Record<string, unknown> }[];
}
// ---------------------------------------------------------------- the API the worker exposes

export interface TrainerApi {
  /** Register the page's single long-lived listener (pass one Comlink.proxy); replaces the previous one. */
  subscribe(listener: TrainerListener): Promise<void>;
  /**
   * Build runs from configs: one for the normal view, several for compare mode. Compare runs must
   * share data, architecture and seed (they differ in optimizer, schedule, regularization, dropout
   * rate): otherwise rejected naming the field. Replaces any previous runs.
   */
  create(configs: TrainConfig[], options?: CreateOptions): Promise<Result<RunSetup>>;
  /** Live change of one run: hyperparameters apply at the next step; architecture/data/seed rebuild all runs. */
  setConfig(run: number, config: TrainConfig): Promise<Result<SetConfigResult>>;
  /** Replace the whole compare set (same rules; a different count rebuilds). */
  setConfigs(configs: TrainConfig[]): Promise<Result<SetConfigResult>>;
  /**
   * Pause, then rebuild the runs as `runs` says, each continuing from the whole state of an existing
   * run (branch from here: [{from: 0, ...}, {from: 0, config: changed}]; drop a branch: [{from: 0}]).
   * The generation stays: the page keeps the histories of the runs that continue; a run that copies
   * a state already taken by an earlier entry starts its curve at the branch step. A change that
   * needs a rebuild (architecture, data, seed) is refused naming the field.
   */
  regroup(runs: RegroupRun[]): Promise<Result<RunSetup>>;
  /**
   * Replace run `run`'s planned changes (sorted by step, each step at or after the run's current
   * step). They apply exactly at their steps whatever the pacing; a live setConfig of that run
   * drops the changes not yet applied. Resolves with the number planned.
   */
  setPlan(run: number, plan: PlannedChange[]): Promise<Result<number>>;
  /** Run `run`'s whole state (weights, batch-norm statistics, optimizer memory, loop), or null. */
  exportState(run: number): Promise<RunSnapshot | null>;
  start(): Promise<TrainerStatus>;
  pause(): Promise<TrainerStatus>;
  /** Pause, then advance every still-training run by n steps (single-step is n = 1). */
  step(n: number): Promise<TrainerStatus>;
  /** Back to step 0 with the same initial weights and data; keeps running if it was. */
  reset(): Promise<TrainerStatus>;
  setSpeed(speed: Speed): Promise<void>;
  /** Switch backend; training continues from the current parameters. */
  setBackend(choice: BackendChoice): Promise<BackendStatus | null>;
  setVisuals(options: Partial<VisualOptions>): Promise<VisualOptions>;
  getStatus(): Promise<TrainerStatus>;
  /** Decision boundary now (null for non-2D data or no runs). */
  getBoundary(run: number, res?: number): Promise<BoundaryGrid | null>;
  getSnapshots(run: number): Promise<WeightSnapshots | null>;
  getParams(run: number): Promise<Float32Array | null>;
  /** Model outputs over a whole split ([n, C] probabilities or [n, O] predictions): confusion matrices, digit grids. */
  predictSplit(run: number, split: 'train' | 'val'): Promise<Float32Array | null>;
  evaluate(run: number, split: 'train' | 'val'): Promise<{ loss: number; acc: number } | null>;
  /** Data loss at k parameter vectors thetas[k, P] (loss landscapes); call in small slices to keep training smooth. */
  lossAt(thetas: Float32Array, k: number, split: 'train' | 'val'): Promise<Float32Array | null>;
  /**
   * Learning-rate range test (src/engine/lrRange.ts) from a copy of run `run`'s whole state, on the
   * CPU engine; the run itself is only read. A bad option is rejected naming its field; null: no run.
   */
  lrRangeTest(run: number, options?: Partial<RangeTestOptions>): Promise<Result<RangeTestResult> | null>;
  /** Dead / saturated fractions of run `run`'s hidden layers on a probe batch (src/engine/diagnostics.ts). */
  activationStats(run: number): Promise<ActivationStats[] | null>;
  /** Stop training and free every backend resource. */
  dispose(): Promise<void>;
  /** Test hook: destroy the GPU device as a real loss would. False when not on WebGPU. */
  testLoseDevice(): Promise<boolean>;
  /**
   * Hold the Web Lock `name` for the rest of the worker's life (true once held; false without
   * navigator.locks). The page then requests the same lock, which it is granted the moment the
   * worker is gone (terminated, closed, killed by the browser): no heartbeat can tell that fast.
   */
  holdLifeLock(name: string): Promise<boolean>;
  /** Test hook: throw inside the worker's event loop, as a crash would. */
  testCrash(): Promise<void>;
}
