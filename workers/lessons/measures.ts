// What a lesson check reads of a preset's run (runner.ts PresetResult): its streamed metric
// columns (per epoch, per step, per layer), small statistics over them, and the statistics of its
// final weight matrices. Pure functions of what the worker sent, whichever backend trained.
import type { EpochField } from '../../src/engine/metricsSchema';
import type { LayerInfo } from '../protocol';
import type { PresetResult } from './runner';

/** Epoch field `f` of every completed epoch. */
export function epochCol(p: PresetResult, f: EpochField): number[] {
  return Array.from(p.epochs.cols[f].subarray(0, p.epochs.n));
}

/** Epoch field `f` of the last completed epoch (NaN before the first). */
export function lastEpoch(p: PresetResult, f: EpochField): number {
  return p.epochs.n > 0 ? p.epochs.cols[f][p.epochs.n - 1] : Number.NaN;
}

/** The learning rate of every step. */
export function stepLr(p: PresetResult): number[] {
  return Array.from(p.steps.cols.lr.subarray(0, p.steps.n));
}

/** ||dW||/||W|| of layer l (0 = first) at every step. */
export function ratioCol(p: PresetResult, l = 0): number[] {
  const L = p.steps.layers;
  return Array.from({ length: p.steps.n }, (_, i) => p.steps.cols.updateRatio[i * L + l]);
}

/** Mean training loss of the last k epochs (smooths the bouncing of a high learning rate). */
export function tail(p: PresetResult, k = 5): number {
  const xs = epochCol(p, 'trainLoss').slice(-k);
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface WeightStats {
  /** Entries of all weight matrices (biases and batch-norm parameters excluded). */
  count: number;
  /** Weights that are exactly 0.0. */
  exactZeros: number;
  /** Weights with |w| < 1e-3 ("effectively zero"). */
  nearZeros: number;
  /** ||W||_2 over all weight matrices. */
  l2: number;
  /** Largest |w|. */
  maxAbs: number;
  /** Histogram of w over [-range, range] in `bins.length` equal bins (values outside clamp to the ends). */
  bins: number[];
  range: number;
}

/** Statistics of the weight matrices W[units, inputs] of theta (offsets from the run's setup). */
export function weightStats(theta: Float32Array, layers: readonly LayerInfo[], nBins = 41, range = 0): WeightStats {
  const ws = layers.flatMap((L) => Array.from(theta.subarray(L.wOffset, L.wOffset + L.units * L.inputs)));
  let sq = 0;
  let maxAbs = 0;
  for (const w of ws) {
    sq += w * w;
    maxAbs = Math.max(maxAbs, Math.abs(w));
  }
  const r = range > 0 ? range : Math.max(maxAbs, 1e-6);
  const bins = new Array<number>(nBins).fill(0);
  for (const w of ws) bins[Math.min(nBins - 1, Math.max(0, Math.floor(((w + r) / (2 * r)) * nBins)))]++;
  return {
    count: ws.length,
    exactZeros: ws.filter((w) => w === 0).length,
    nearZeros: ws.filter((w) => Math.abs(w) < 1e-3).length,
    l2: Math.sqrt(sq),
    maxAbs,
    bins,
    range: r,
  };
}
