// Training diagnostics in plain words, per layer. Inputs: activation statistics of the hidden
// layers on a probe batch (activationStats, evaluation mode), and the recent per-layer gradient
// norms ||dE/dW_l|| and update-to-weight ratios ||dW_l|| / ||W_l|| (the step metrics gradNorm and
// updateRatio, metricsSchema.ts). Each rule, its threshold and why:
//
//   dead ReLU        relu unit whose output is 0 on every probe sample: its incoming weights get no
//                    gradient again (dE/dz = 0 where z < 0); flagged when > DEAD_LIMIT of a layer's units.
//   saturated        tanh |h| > 0.99 or sigmoid h < 0.01 or h > 0.99, where the slope f'(z) is below
//                    0.02 (tanh 1 - h^2 < 0.0199; sigmoid h(1-h) < 0.0099): flagged when > SAT_LIMIT of
//                    a layer's (sample, unit) outputs are there.
//   vanishing        ||g_l|| < VANISH_RATIO x the largest layer's gradient norm (a layer that barely learns
//                    while another does), median over the recent steps.
//   exploding        ||g_l|| > EXPLODE_NORM (median over the recent steps).
//   update ratio     median ||dW|| / ||W|| above RATIO_HIGH or below RATIO_LOW (CS231n's rule of thumb:
//                    about 1e-3). Suggested lr = lr x 1e-3 / ratio: at a fixed state the step of SGD,
//                    momentum and Adam-like rules scales linearly with lr, so this moves the ratio to 1e-3.
import type { Dataset } from './data/dataset';
import {
  DEAD_LIMIT,
  EXPLODE_NORM,
  RATIO_HIGH,
  RATIO_LOW,
  RATIO_TARGET,
  SAT_LIMIT,
  VANISH_RATIO,
} from './diagnosticLimits';
import type { ParamLayout } from './layout';
import { forward } from './network';
import type { ModelConfig } from './types';

// The thresholds live in diagnosticLimits.ts (the page's update-ratio chart reads two of them).
export { DEAD_LIMIT, EXPLODE_NORM, RATIO_HIGH, RATIO_LOW, RATIO_TARGET, SAT_LIMIT, VANISH_RATIO };
/** Rows of the training set the activation statistics are taken on. */
export const PROBE_ROWS = 256;

export interface ActivationStats {
  /** 0-based hidden layer. */
  layer: number;
  activation: string;
  /** relu only (NaN otherwise): fraction of units with zero output on every probe sample. */
  deadFraction: number;
  /** tanh/sigmoid only (NaN otherwise): fraction of outputs in the flat tails. */
  saturatedFraction: number;
  /** Mean and standard deviation of the layer's outputs over the probe rows (the batch-norm lesson's spread). */
  mean: number;
  std: number;
}

/** Saturation test of one output h for the activations that saturate, else null. */
const SATURATED: Record<string, ((h: number) => boolean) | undefined> = {
  tanh: (h) => Math.abs(h) > 0.99,
  sigmoid: (h) => h < 0.01 || h > 0.99,
};

/** Dead and saturated fractions of every hidden layer on the first PROBE_ROWS training rows (evaluation mode). */
export function activationStats(
  layout: ParamLayout,
  theta: Float32Array,
  bnStats: Float32Array,
  model: ModelConfig,
  ds: Dataset,
): ActivationStats[] {
  const n = Math.min(PROBE_ROWS, ds.nTrain);
  if (n === 0) return [];
  const x = ds.xTrain.subarray(0, n * ds.inputDim);
  const fwd = forward(layout, theta, bnStats, x, n, { train: false, model, dropoutSeed: 0, step: 0 });
  return layout.layers
    .filter((l) => l.hidden)
    .map((l) => {
      const h = fwd.layers[l.index].h;
      const O = l.outDim;
      let dead = Number.NaN;
      if (l.activation === 'relu') {
        let count = 0;
        for (let o = 0; o < O; o++) {
          let alive = false;
          for (let b = 0; b < n && !alive; b++) alive = h[b * O + o] > 0;
          if (!alive) count++;
        }
        dead = count / O;
      }
      const sat = SATURATED[l.activation];
      let saturated = Number.NaN;
      if (sat) {
        let count = 0;
        for (let k = 0; k < n * O; k++) if (sat(h[k])) count++;
        saturated = count / (n * O);
      }
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < n * O; k++) {
        s1 += h[k];
        s2 += h[k] * h[k];
      }
      const mean = s1 / (n * O);
      const std = Math.sqrt(Math.max(0, s2 / (n * O) - mean * mean));
      return { layer: l.index, activation: l.activation, deadFraction: dead, saturatedFraction: saturated, mean, std };
    });
}

export type DiagnosticKind = 'dead' | 'saturated' | 'vanishing' | 'exploding' | 'ratio-high' | 'ratio-low';

export interface Diagnostic {
  kind: DiagnosticKind;
  /** 0-based layer (hidden layers, then the output layer). */
  layer: number;
  /** One sentence in plain words. */
  text: string;
  /** A suggested learning rate (update-ratio rules only). */
  suggestedLr?: number;
}

export interface DiagnoseInput {
  stats: ActivationStats[];
  /** Per layer: the recent steps' gradient norms and update ratios (any length; medians are used). */
  gradNorms: number[][];
  updateRatios: number[][];
  lr: number;
}

function median(xs: readonly number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;
const num = (v: number) => v.toPrecision(2);
const layerName = (l: number, L: number) => (l === L - 1 ? 'Output layer' : `Layer ${l + 1}`);

/** The diagnostics that fire, in layer order. */
export function diagnose(input: DiagnoseInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const L = Math.max(input.gradNorms.length, input.updateRatios.length, input.stats.length + 1);
  for (const s of input.stats) {
    const name = layerName(s.layer, L);
    if (s.deadFraction > DEAD_LIMIT)
      out.push({
        kind: 'dead',
        layer: s.layer,
        text: `${name}: ${pct(s.deadFraction)} of its ReLUs are dead (zero on every one of ${PROBE_ROWS} training samples), so their weights no longer learn. A smaller learning rate, He initialisation or leaky ReLU keeps them alive.`,
      });
    if (s.saturatedFraction > SAT_LIMIT)
      out.push({
        kind: 'saturated',
        layer: s.layer,
        text: `${name}: ${pct(s.saturatedFraction)} of its ${s.activation} outputs sit in the flat tails (slope below 0.02), where the gradient through them all but vanishes. Smaller initial weights (init scale) or batch norm bring them back to the slope.`,
      });
  }
  const g = input.gradNorms.map(median);
  const gMax = Math.max(...g.filter(Number.isFinite));
  g.forEach((v, l) => {
    if (v > EXPLODE_NORM)
      out.push({
        kind: 'exploding',
        layer: l,
        text: `${layerName(l, L)}: the gradient norm is ${num(v)}, above ${EXPLODE_NORM}: exploding gradients. Lower the learning rate, clip the gradient norm, or shrink the initial weights.`,
      });
    else if (v < VANISH_RATIO * gMax)
      out.push({
        kind: 'vanishing',
        layer: l,
        text: `${layerName(l, L)}: its gradient norm ${num(v)} is under ${VANISH_RATIO} of the largest layer's (${num(gMax)}): vanishing gradients, this layer barely learns. ReLU instead of sigmoid/tanh, batch norm or He initialisation help.`,
      });
  });
  input.updateRatios.map(median).forEach((r, l) => {
    if (!(r > 0)) return;
    const lr = (input.lr * RATIO_TARGET) / r;
    if (r > RATIO_HIGH)
      out.push({
        kind: 'ratio-high',
        layer: l,
        suggestedLr: lr,
        text: `${layerName(l, L)}: each step changes the weights by ${num(r)} of their size, far above 1e-3: the learning rate is likely too high; about ${num(lr)} would bring it to 1e-3.`,
      });
    else if (r < RATIO_LOW)
      out.push({
        kind: 'ratio-low',
        layer: l,
        suggestedLr: lr,
        text: `${layerName(l, L)}: each step changes the weights by only ${num(r)} of their size, far below 1e-3: the learning rate is likely too low; about ${num(lr)} would bring it to 1e-3.`,
      });
  });
  return out;
}
