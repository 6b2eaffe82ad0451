// Where each parameter lives: ONE flat vector theta[P] holds every trainable number, so an
// optimizer step, a clip, a norm or a GPU upload is a single loop or a single buffer. A second,
// non-trainable vector bnStats holds batch norm's running mean and variance.
//
// Per dense layer l, in order:  W[O, I] | b[O] | gamma[O] beta[O] (batch norm only)
// bnStats per batch-norm layer: runMean[O] | runVar[O]
// A batch-norm layer keeps its b[O] (one layout for every layer), but b's gradient is exactly 0 on every
// backend (batch norm subtracts the batch mean, which cancels b; network.ts backward), so b stays 0.
// The output layer is dense only (logits or predictions) and has no batch norm or activation.
import type { ParamSegment } from './optimizers/spec';
import type { Rng } from './rng';
import type { Activation, ModelConfig } from './types';

export interface LayerLayout {
  /** 0-based over all dense layers; hidden layers first, the output layer last. */
  index: number;
  /** False for the output layer. */
  hidden: boolean;
  /** I: input features. */
  inDim: number;
  /** O: output features (units). */
  outDim: number;
  /** Offset of W[O, I] in theta. */
  w: number;
  /** Offset of b[O] in theta. */
  b: number;
  /** Offsets of gamma[O] and beta[O] in theta, -1 without batch norm. */
  gamma: number;
  beta: number;
  /** Offset of runMean[O] in bnStats (runVar[O] follows it), -1 without batch norm. */
  stats: number;
  /** 'linear' for the output layer. */
  activation: Activation;
  batchNorm: boolean;
}

export interface ParamLayout {
  inputDim: number;
  outputDim: number;
  layers: LayerLayout[];
  /** P: length of theta. */
  size: number;
  /** Length of bnStats. */
  statsSize: number;
}

/** The layout of an MLP with model.hidden layers and a dense output of outputDim. */
export function buildLayout(model: ModelConfig, inputDim: number, outputDim: number): ParamLayout {
  if (!(Number.isInteger(inputDim) && inputDim >= 1))
    throw new Error(`buildLayout: inputDim must be >= 1, got ${inputDim}`);
  if (!(Number.isInteger(outputDim) && outputDim >= 1))
    throw new Error(`buildLayout: outputDim must be >= 1, got ${outputDim}`);
  const layers: LayerLayout[] = [];
  let off = 0;
  let stats = 0;
  let I = inputDim;
  const specs = [
    ...model.hidden.map((h, i) => {
      if (!(Number.isInteger(h.units) && h.units >= 1))
        throw new Error(`model.hidden[${i}].units must be a whole number >= 1, got ${h.units}`);
      return { units: h.units, activation: h.activation, batchNorm: h.batchNorm, hidden: true };
    }),
    { units: outputDim, activation: 'linear' as Activation, batchNorm: false, hidden: false },
  ];
  for (const [index, s] of specs.entries()) {
    const O = s.units;
    const w = off;
    off += O * I;
    const b = off;
    off += O;
    let gamma = -1;
    let beta = -1;
    let st = -1;
    if (s.batchNorm) {
      gamma = off;
      beta = off + O;
      off += 2 * O;
      st = stats;
      stats += 2 * O;
    }
    layers.push({
      index,
      hidden: s.hidden,
      inDim: I,
      outDim: O,
      w,
      b,
      gamma,
      beta,
      stats: st,
      activation: s.activation,
      batchNorm: s.batchNorm,
    });
    I = O;
  }
  return { inputDim, outputDim, layers, size: off, statsSize: stats };
}

/**
 * Initial weights from the 'init' stream. W ~ N(0, (scale * s)^2) with
 *   Xavier/Glorot (normal):  s = sqrt(2 / (I + O))   keeps activation and gradient variance for tanh-like units
 *   He:                      s = sqrt(2 / I)         compensates ReLU zeroing half of its inputs
 * b = 0, gamma = 1, beta = 0. `scale` (model.initScale) is the lecture's init demo knob:
 * too small and signals vanish layer by layer, too large and tanh saturates.
 */
export function initParams(layout: ParamLayout, model: ModelConfig, rng: Rng): Float32Array<ArrayBuffer> {
  const theta = new Float32Array(layout.size);
  for (const L of layout.layers) {
    const s = model.init === 'he' ? Math.sqrt(2 / L.inDim) : Math.sqrt(2 / (L.inDim + L.outDim));
    const std = model.initScale * s;
    for (let k = 0; k < L.outDim * L.inDim; k++) theta[L.w + k] = std * rng.gaussian();
    if (L.batchNorm) theta.fill(1, L.gamma, L.gamma + L.outDim);
  }
  return theta;
}

/** Running statistics before any training: mean 0, variance 1 (batch norm starts as gamma z + beta). */
export function initBnStats(layout: ParamLayout): Float32Array<ArrayBuffer> {
  const s = new Float32Array(layout.statsSize);
  for (const L of layout.layers) if (L.batchNorm) s.fill(1, L.stats + L.outDim, L.stats + 2 * L.outDim);
  return s;
}

/**
 * 1 where L2/L1 penalties (and AdamW's decoupled decay) apply. Weight matrices always; biases and
 * batch-norm gamma/beta only with decayBiases (default off: shrinking a bias or a scale toward 0
 * does not smooth the function, it only shifts or silences units).
 */
export function decayMask(layout: ParamLayout, decayBiases: boolean): Uint8Array {
  const m = new Uint8Array(layout.size);
  for (const L of layout.layers) {
    m.fill(1, L.w, L.w + L.outDim * L.inDim);
    if (decayBiases) {
      m.fill(1, L.b, L.b + L.outDim);
      if (L.batchNorm) m.fill(1, L.gamma, L.gamma + 2 * L.outDim);
    }
  }
  return m;
}

/**
 * theta's blocks for per-layer optimizer rules (optimizers/spec.ts): per dense layer its weight
 * matrix W[O, I] (hidden or output), its bias b[O] and, with batch norm, gamma[O] and beta[O] as
 * vectors: one block per parameter tensor, as PyTorch, optax and the GPU plan (plan.ts) have them.
 */
export function paramSegments(layout: ParamLayout): ParamSegment[] {
  const out: ParamSegment[] = [];
  for (const L of layout.layers) {
    out.push({ offset: L.w, rows: L.outDim, cols: L.inDim, role: L.hidden ? 'hiddenWeight' : 'outputWeight' });
    out.push({ offset: L.b, rows: 1, cols: L.outDim, role: 'vector' });
    if (L.batchNorm) {
      out.push({ offset: L.gamma, rows: 1, cols: L.outDim, role: 'vector' });
      out.push({ offset: L.beta, rows: 1, cols: L.outDim, role: 'vector' });
    }
  }
  return out;
}

/** A human-readable one-liner such as "2-8-8-3 (P = 123)". */
export function describeLayout(layout: ParamLayout): string {
  return `${[layout.inputDim, ...layout.layers.map((l) => l.outDim)].join('-')} (P = ${layout.size})`;
}
