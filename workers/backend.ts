// The interface every training backend implements (CPU over the engine, WebGPU). The worker
// talks only to this; the page never sees it (the page sees workers/protocol.ts).
//
// A backend holds R >= 1 runs that share one architecture, one dataset and one minibatch order
// (and one initial weight vector, unless a seed band gives each run its own); they differ only in non-architectural settings (optimizer,
// learning rate and schedule, regularization strengths, dropout rate). Compare mode is R > 1.
import type { Dataset, EpochMetrics, RunSnapshot, RunStatus, Series, StepMetrics } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';

/** Initial weights: one vector every run starts from, or one per run. */
export type Inits = Float32Array | readonly Float32Array[];

/** Run r's initial weights. */
export function initOf(init: Inits, r: number): Float32Array {
  if (init instanceof Float32Array) return init;
  const v = init[r];
  if (!v) throw new Error(`init: no initial weights for run ${r} (have ${init.length})`);
  return v;
}

export interface BackendInfo {
  kind: 'cpu' | 'webgpu';
  /**
   * Human-readable: "CPU engine (WebAssembly SIMD)" / "CPU engine (TypeScript)" or the adapter's vendor/architecture/description.
   * A reason goes last inside the parentheses after ": " ("..., 1 worker: spreading over 2 did not pay)"): the top bar
   * shows the name without it and the reason in its tooltip (src/state/backendLabel.ts).
   */
  name: string;
  /** True for software adapters such as SwiftShader (isFallbackAdapter). */
  fallbackAdapter: boolean;
}

/** What one run did in a train() call: its steps and epoch ends as metric columns (src/engine/metricsSchema.ts). */
export interface RunProgress {
  steps: Series<StepMetrics>;
  epochs: Series<EpochMetrics>;
  status: RunStatus;
  /** Step at which status left 'ok' (divergence, early stop), else -1. */
  statusStep: number;
  stepCount: number;
}

export interface BackendCounters {
  /** Live GPU buffers (0 on the CPU) and their bytes: must stay flat over a long run. */
  buffers: number;
  bytes: number;
  /** Per training step, averaged over the last train() call. */
  dispatchesPerStep: number;
  submitsPerStep: number;
}

export interface TrainingBackend {
  readonly info: BackendInfo;
  /**
   * Build R runs. `init` is the initial parameter vector (engine initParams), so every backend
   * starts alike: one shared by all runs, or one per run (a seed band: model.initSeed differs).
   */
  build(cfgs: TrainConfig[], dataset: Dataset, init: Inits): Promise<void>;
  /**
   * Advance every run whose status is 'ok' by up to n steps. `early`, when given, may be called once
   * before the promise settles with the progress of the runs that finished first (a race spread over
   * workers: those of this thread's shard, while the others' answers are still on their way); the
   * result still holds every run, those same objects included.
   */
  train(n: number, early?: (part: (RunProgress | undefined)[]) => void): Promise<RunProgress[]>;
  /** Live change of non-architectural settings of one run. */
  setHyper(run: number, cfg: TrainConfig): void;
  /** Back to the initial weights, step 0, fresh optimizer state; same data. */
  reset(): Promise<void>;
  evaluate(run: number, split: 'train' | 'val'): Promise<{ loss: number; acc: number }>;
  readParams(run: number): Promise<Float32Array>;
  /**
   * lossBaseline: the data loss of the run's first step when it continues a run begun on another
   * backend (device loss, switch), so its blow-up rule keeps that reference (TrainLoop.firstLoss).
   */
  writeParams(run: number, theta: Float32Array, lossBaseline?: number): Promise<void>;
  /**
   * Run `run`'s whole state (src/engine/snapshot.ts: weights, batch-norm statistics, optimizer t and
   * buffers, the loop's counters, schedule clock, plateau and early-stopping state, the best weights,
   * the loss baseline), as plain structured-clone-able data owned by the caller.
   */
  exportState(run: number): Promise<RunSnapshot>;
  /**
   * Continue run `run` as the run `snapshot` was exported from (on this or another backend, built
   * from the same config). Throws naming the field when the snapshot does not fit; nothing changes then.
   */
  importState(run: number, snapshot: RunSnapshot): Promise<void>;
  /** Model outputs (probabilities [n, C] or predictions [n, O]) at n input points x[n, inputDim]. */
  predict(run: number, x: Float32Array, n: number): Promise<Float32Array>;
  /** Data loss (without regularization) of the training split at each of K parameter vectors (loss landscapes). */
  lossAt(thetas: Float32Array[], split: 'train' | 'val'): Promise<Float32Array>;
  counters(): BackendCounters;
  dispose(): void;
}
