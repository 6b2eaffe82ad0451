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
import type { ImportedPoints } from '../src/engine/data/points';
import type { ActivationStats } from '../src/engine/diagnostics';
import type { RangeTestOptions, RangeTestResult } from '../src/engine/lrRange';
import type { Columns, EpochMetrics, StepMetrics } from '../src/engine/metricsSchema';
import type { RunSnapshot } from '../src/engine/snapshot';
import type { TrainConfig } from '../src/engine/types';

// ---------------------------------------------------------------- backend choice and status

/** 'auto' starts on the CPU engine and moves to WebGPU when measured faster (workers/handoff.ts); the others force one. */
export type BackendChoice = 'auto' | 'cpu' | 'webgpu';

/** Why the current backend is the one in use (machine-readable; `BackendStatus.message` says it in words). */
export type BackendReason =
  | 'forced' // the config/URL/user asked for this backend
  | 'calibrated' // auto: measured faster on this machine for this config
  | 'fallback-adapter' // auto: the only adapter is a software one (SwiftShader), not worth measuring on a small net
  | 'no-webgpu' // this browser has no navigator.gpu
  | 'adapter-failed' // requestAdapter() gave null, or requestDevice() failed
  | 'device-lost' // the GPU device was lost and could not be re-created
  | 'gpu-error' // the WebGPU backend refused or failed this config (message says why)
  | 'measuring'; // auto: started on the CPU engine at once; WebGPU is being measured on the side (workers/handoff.ts)

export interface Calibration {
  /** Measured training steps per second on the CPU engine for this config. */
  cpuStepsPerSec: number;
  /** Same on WebGPU; null when WebGPU was not measured (unavailable or failed). */
  gpuStepsPerSec: number | null;
  /** Wall time the calibration took, ms (both backends, including building). */
  ms: number;
}

export interface BackendStatus {
  kind: 'cpu' | 'webgpu';
  /** "CPU engine (WebAssembly SIMD)" / "CPU engine (TypeScript)" or the adapter's vendor/architecture/description. */
  name: string;
  /** True for software adapters such as SwiftShader (GPUAdapterInfo.isFallbackAdapter). */
  fallbackAdapter: boolean;
  /** What was asked for. */
  requested: BackendChoice;
  reason: BackendReason;
  /** One sentence for the status line, e.g. "CPU engine: 8.2x faster than WebGPU (google swiftshader, software adapter) on this net". */
  message: string;
  /** Speeds measured by the last 'auto' calibration, else null. */
  calibration: Calibration | null;
  /** GPU device losses survived since the runs were created. */
  deviceLosses: number;
  /** 'auto' moved the runs from the CPU engine to WebGPU at this step (the page's count), when it did. */
  movedAtStep?: number;
}

// ---------------------------------------------------------------- run status

/** `Speed`: steps per second (> 0), or 'max' for as fast as the backend goes. */
export type Speed = number | 'max';

/** What one run is doing. 'paused' includes "built, not started yet" (step 0). */
export type RunState = 'training' | 'paused' | 'early-stopped' | 'diverged' | 'finished';

export interface RunStatusInfo {
  state: RunState;
  /** Training steps taken so far. */
  step: number;
  /** Fractional epochs so far. */
  epoch: number;
  /** Step at which the run diverged / stopped early / finished, else -1. */
  statusStep: number;
  /** Completed epochs when it stopped early or finished, else -1 ("early-stopped at epoch N"). */
  statusEpoch: number;
  /** Best validation loss so far and its epoch (1-based; 0 before the first epoch ends). */
  bestValLoss: number;
  bestEpoch: number;
  /** Planned changes (setPlan) applied to this run so far. */
  planApplied: number;
}

export interface TrainerStatus {
  /** Increments on every create / rebuild / reset: the page clears its history when it changes. */
  generation: number;
  /** The training loop is running (start() called, not paused, at least one run still training). */
  running: boolean;
  speed: Speed;
  /** Measured steps per second over the last second (per run; 0 when paused). */
  stepsPerSec: number;
  /** Null before the first successful create(). */
  backend: BackendStatus | null;
  runs: RunStatusInfo[];
  /** Latest event worth telling the user (device loss survived, backend switched), else null. */
  notice: string | null;
  /**
   * Counts regroup() calls (branch, drop a branch). An update with a higher count than the page
   * has seen is the first with the regrouped runs: the page maps its histories over then.
   */
  regroups: number;
}

// ---------------------------------------------------------------- setup returned by create()

/** One dense layer of the built network; offsets index the flat parameter vector theta. */
export interface LayerInfo {
  inputs: number;
  units: number;
  /** 'linear' for the output layer. */
  activation: string;
  batchNorm: boolean;
  dropout: number;
  /** W: [units, inputs] row-major at theta[wOffset .. wOffset + units*inputs). */
  wOffset: number;
  /** b: [units] at theta[bOffset ..). */
  bOffset: number;
}

/** The data as the page draws it: raw coordinates (before preprocessing), or digit pixels. */
export interface DatasetInfo {
  name: string;
  kind: 'classification' | 'regression';
  inputDim: number;
  outputDim: number;
  classes: number;
  nTrain: number;
  nVal: number;
  /** 2D sets: [xMin, xMax, yMin, yMax] of the raw inputs (the boundary grid covers these); else null. */
  bounds: [number, number, number, number] | null;
  /** Image sets (digits): each input row is a [height, width] image in [0, 1]; else null. */
  image: { width: number; height: number } | null;
  /**
   * Rows of xTrain / xVal sent: all of them for 2D and regression sets, the first IMAGE_ROWS_SHOWN for
   * image sets (enough for sample grids; a digits split is megabytes). Labels are always complete.
   */
  shownTrain: number;
  shownVal: number;
  /** xTrain: [shownTrain, inputDim] raw; yTrain: labels [nTrain] (classification) or targets [nTrain, outputDim]. */
  xTrain: Float32Array;
  yTrain: Int32Array | Float32Array;
  xVal: Float32Array;
  yVal: Int32Array | Float32Array;
}

/** Image rows per split included in DatasetInfo. */
export const IMAGE_ROWS_SHOWN = 256;

export interface RunSetup {
  generation: number;
  runs: number;
  /** Total trainable parameters P of one run. */
  params: number;
  /** Hidden layers then the output layer. */
  layers: LayerInfo[];
  dataset: DatasetInfo;
  backend: BackendStatus;
}

// ---------------------------------------------------------------- config errors as values

export interface ConfigProblem {
  /** Dotted path, e.g. "optimizer.lr", "model.hidden[2].units", "runs[1].model" (compare sets). */
  field: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; message: string; problems: ConfigProblem[] };

export interface CreateOptions {
  /** Default 'auto'. */
  backend?: BackendChoice;
  /** Start training right away (default false: built and paused at step 0). */
  start?: boolean;
  /**
   * Absolute URL of the digits file (the worker has no page base URL): the bridge passes
   * `new URL('data/digits.bin', document.baseURI).href`. Needed only for the digits dataset.
   */
  digitsUrl?: string;
  /**
   * Imported labelled 2D points (a CSV, src/config/pointsCsv.ts): the runs train on these instead of the
   * generated set named by data.name (whose split and preprocessing settings still apply). Kept
   * for rebuilds by setConfig(s); a create() without them goes back to generated data.
   */
  points?: ImportedPoints | null;
  /**
   * The most workers a race on the CPU engine is spread over, 1..16 (default: one per core,
   * navigator.hardwareConcurrency). Each holds whole runs; the results are the same bit for bit.
   */
  cpuWorkers?: number;
}

export interface SetConfigResult {
  /** True when the change needed a rebuild (architecture, data or seed): history restarts. */
  rebuilt: boolean;
  /** The new setup after a rebuild, else null. */
  setup: RunSetup | null;
  /**
   * The step the change applies at: the 0-based index of the next step the runs take (0 before
   * any training; after a rebuild always 0). The page records mid-run changes with it.
   */
  atStep: number;
}

/**
 * A hyperparameter change planned at a step (a shared link's change list replayed): before the
 * run takes step `step` (0-based), it continues with `config` (whole config, no architecture change).
 */
export interface PlannedChange {
  step: number;
  config: TrainConfig;
}

/**
 * One run of a regrouped session (`regroup`): it continues from run `from`'s whole current state
 * (weights, optimizer memory, schedule, data position, batch-norm statistics, counters) with
 * `config`, which may change hyperparameters only. A branch is the current runs plus one more
 * continuing from the same state.
 */
export interface RegroupRun {
  from: number;
  config: TrainConfig;
}

// ---------------------------------------------------------------- streamed metrics

/**
 * Completed epochs of one run within a batch, as columns of length n: the epoch fields of
 * src/engine/metricsSchema.ts in their wire types (epoch, step, trainLoss, trainAcc, valLoss,
 * valAcc, lr, bestEpoch, improved as 0/1).
 */
export type EpochColumns = Columns<EpochMetrics>;

/**
 * Per-step metrics of one run since the previous batch, as columns of length n: the step fields of
 * src/engine/metricsSchema.ts in their wire types (step, epoch, loss, dataLoss, batchAcc, lr, and
 * the per-layer updateRatio [n, L], gradNorm [n, L]), plus the epochs completed meanwhile.
 */
export type RunMetrics = Columns<StepMetrics> & {
  run: number;
  /** L = dense layers (hidden + output): the width of the per-layer columns. */
  layers: number;
  epochs: EpochColumns;
};

/**
 * Decision boundary / prediction surface of a 2D dataset over a res x res grid in the raw
 * input bounds (through the run's preprocessing). Cell (i, j) (column i, row j, row 0 at yMin)
 * is centred at x = xMin + (i + 0.5) (xMax - xMin) / res, y = yMin + (j + 0.5) (yMax - yMin) / res.
 */
export interface BoundaryGrid {
  run: number;
  step: number;
  res: number;
  bounds: [number, number, number, number];
  /** C class probabilities (classification) or O predictions (regression) per cell. */
  channels: number;
  /** [res * res, channels], row j then column i. */
  values: Float32Array;
}

/** Histograms of each layer's weight matrix W (biases excluded). */
export interface WeightHistograms {
  run: number;
  step: number;
  bins: number;
  /** [L] lower/upper edge of each layer's histogram (its min and max weight). */
  lo: Float32Array;
  hi: Float32Array;
  /** [L, bins] counts. */
  counts: Uint32Array;
}

/** Flat parameter vectors kept every `every` steps (bounded: thinned by 2 when full), step 0 first. */
export interface WeightSnapshots {
  run: number;
  params: number; // P
  count: number; // k
  steps: Float64Array; // [k]
  thetas: Float32Array; // [k, P]
}

export interface VisualOptions {
  /** Stream decision boundaries (2D data only). */
  boundary: boolean;
  /** Grid resolution, 8..256 (default 64). */
  boundaryRes: number;
  histograms: boolean;
  /** Bins per layer histogram, 4..200 (default 30). */
  histogramBins: number;
  /** Stream each run's current theta (network diagram); only for P <= 200,000. */
  weights: boolean;
  /** Period of the visual updates while training, ms (>= 100, default 300). */
  intervalMs: number;
}

export interface Visuals {
  boundaries: BoundaryGrid[];
  histograms: WeightHistograms[];
  weights: { run: number; step: number; theta: Float32Array }[];
}

/** One message to the page's listener. */
export interface TrainerUpdate {
  generation: number;
  status: TrainerStatus;
  /** One entry per run that stepped since the last update (may be empty). */
  metrics: RunMetrics[];
  /** Present when a visual tick is due (or after a step/reset while paused). */
  visuals: Visuals | null;
}

export type TrainerListener = (update: TrainerUpdate) => void;

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
