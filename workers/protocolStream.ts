// What streams to the page's one listener (part of the contract, workers/protocol.ts): a
// TrainerUpdate at most ~20 times per second, with each run's per-step metrics as columns (the
// fields of src/engine/metricsSchema.ts; per-layer columns [n, L]), its completed epochs, and when
// due the visuals (decision boundaries [res * res, channels], weight histograms [L, bins], current
// weights). Typed arrays in updates are transferred, not copied.
import type { Columns, EpochMetrics, StepMetrics } from '../src/engine/metricsSchema';
import type { TrainerStatus } from './protocolStatus';

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
