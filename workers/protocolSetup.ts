// What create / setConfig(s) / regroup / setPlan exchange (part of the contract, workers/protocol.ts):
// the setup of the built runs (layers with their offsets into theta, the data as the page draws
// it), the options of create, config errors as values ({ ok: false, problems } naming each field),
// and the changes planned at steps or regrouped from a run's state. Plain data (structured clone).
import type { ImportedPoints } from '../src/engine/data/points';
import type { TrainConfig } from '../src/engine/types';
import type { BackendChoice, BackendStatus } from './protocolStatus';

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
