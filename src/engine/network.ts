// The multi-layer perceptron over a flat theta (layout.ts): forward, backward, loss and gradient.
//
// Legend: B batch, I / O a layer's input / output features, C classes (or O regression targets).
// One hidden layer, in order:
//   z = X W^T + b  ->  [batch norm: u = gamma xhat + beta, else u = z]  ->  h = f(u)  ->  [dropout: out = h m]
// The output layer is z = X W^T + b only: logits for softmax cross-entropy, predictions for MSE.
// Backward walks the same chain in reverse; every step's formula is in its own module.
// With batch norm, dL/db = 0 exactly (z - mean_B(z) cancels b), so backward writes 0 there instead of
// the column sum of dZ, which is only float32 rounding noise that adaptive optimizers (Adagrad, Adam,
// AdamW) would rescale into lr-sized random steps, different on every backend. b stays at its 0 init.
import { activationBackward, activationForward } from './activations';
import {
  type BatchNormCache,
  batchNormBackward,
  batchNormEval,
  batchNormForward,
  updateRunningStats,
} from './batchnorm';
import { type DenseOps, tsDenseOps } from './dense';
import { dropoutBackward, dropoutForward, dropoutMask } from './dropout';
import { allocLike, type FloatArray } from './floatArray';
import type { ParamLayout } from './layout';
import { meanSquaredError, softmaxCrossEntropy } from './losses';
import {
  activationL1Penalty,
  activationL1PenaltyGrad,
  type DecayMask,
  l1Penalty,
  l2Penalty,
  l2PenaltyGrad,
} from './regularizers';
import type { LossName, ModelConfig, RegConfig } from './types';

export interface ForwardOptions {
  /** Training mode: batch-norm batch statistics and dropout masks. Evaluation: running statistics, no dropout. */
  train: boolean;
  /** Dropout rates per hidden layer, dropout kind and batch-norm epsilon (the architecture is in the layout). */
  model: ModelConfig;
  /** Dropout stream seed (rng.ts streamSeed(seed, 'dropout')). */
  dropoutSeed: number;
  /** Global 0-based training step: the dropout mask's step coordinate. */
  step: number;
  /** The dense products (default: the engine's, dense.ts tsDenseOps). */
  ops?: DenseOps;
  /**
   * Buffers reused from one training step to the next (a Run keeps one): the step's activations,
   * activation gradients and gradient are written into them instead of fresh arrays, so a step
   * allocates (and the collector frees) almost nothing. Float32 only; the arrays of a
   * lossAndGrad result are valid until the next call with the same scratch.
   */
  scratch?: StepScratch;
}

/** Float32 buffers by name, reused while the requested length stays the same (ForwardOptions.scratch). */
export class StepScratch {
  private readonly bufs = new Map<string, Float32Array>();

  /** A buffer of n floats for `key` (its old contents, or zeros when new). */
  take(key: string, n: number): Float32Array {
    let b = this.bufs.get(key);
    if (!b || b.length !== n) {
      b = new Float32Array(n);
      this.bufs.set(key, b);
    }
    return b;
  }

  /** Floats held (tests). */
  get size(): number {
    let n = 0;
    for (const b of this.bufs.values()) n += b.length;
    return n;
  }

  /**
   * Allocate here every buffer `like` holds (same names and lengths) that this one lacks, its pages
   * written once: the first step that takes them then pays no allocation or first-touch page faults
   * (a warm-up at build, workers/cpu/warm.ts). Contents do not matter: every step overwrites them.
   */
  reserveLike(like: StepScratch): void {
    for (const [key, b] of like.bufs) if (this.bufs.get(key)?.length !== b.length) this.take(key, b.length).fill(0);
  }
}

/** The scratch when it may hold these arrays (float32 parameters), else undefined. */
const scratchFor = (theta: FloatArray, s: StepScratch | undefined) => (theta instanceof Float32Array ? s : undefined);

/** What backward needs from one dense layer's forward pass. */
export interface LayerCache {
  /** Input X[B, I]. */
  x: FloatArray;
  /** Pre-activation u[B, O] (after batch norm when present; = z otherwise and for the output layer). */
  u: FloatArray;
  /** Batch-norm training cache, null without batch norm or in evaluation mode. */
  bn: BatchNormCache | null;
  /** Post-activation h[B, O] (before dropout). */
  h: FloatArray;
  /** Dropout mask[B, O], null when no dropout was applied. */
  mask: FloatArray | null;
}

export interface ForwardResult {
  /** Network output [B, outputDim]: logits or predictions. */
  out: FloatArray;
  layers: LayerCache[];
}

/** Labels Int32Array[B] for classification, targets FloatArray[B, O] for regression. */
export type Targets = Int32Array | FloatArray;

const slice = (theta: FloatArray, off: number, n: number) => theta.subarray(off, off + n);

/** Forward pass of a batch X[B, inputDim]. Arrays take theta's precision. */
export function forward(
  layout: ParamLayout,
  theta: FloatArray,
  bnStats: FloatArray,
  X: FloatArray,
  B: number,
  opts: ForwardOptions,
): ForwardResult {
  if (X.length !== B * layout.inputDim)
    throw new Error(`forward: X has ${X.length} entries, expected B*inputDim = ${B * layout.inputDim}`);
  const caches: LayerCache[] = [];
  const ops = opts.ops ?? tsDenseOps;
  const scratch = scratchFor(theta, opts.scratch);
  let a: FloatArray = X;
  for (const L of layout.layers) {
    const I = L.inDim;
    const O = L.outDim;
    // The activation is fused into the product unless batch norm comes between them.
    const fused = L.hidden && !L.batchNorm ? L.activation : null;
    const out = scratch && {
      z: scratch.take(`z${L.index}`, B * O),
      h: fused ? scratch.take(`h${L.index}`, B * O) : undefined,
    };
    const { z, h: hz } = ops.forward(a, slice(theta, L.w, O * I), slice(theta, L.b, O), B, I, O, fused, out);
    if (!L.hidden) {
      caches.push({ x: a, u: z, bn: null, h: z, mask: null });
      return { out: z, layers: caches };
    }
    let u = z;
    let bn: BatchNormCache | null = null;
    if (L.batchNorm) {
      const gamma = slice(theta, L.gamma, O);
      const beta = slice(theta, L.beta, O);
      if (opts.train) {
        bn = batchNormForward(z, gamma, beta, B, O, opts.model.bnEps);
        u = bn.y;
      } else {
        const runMean = slice(bnStats, L.stats, O);
        const runVar = slice(bnStats, L.stats + O, O);
        u = batchNormEval(z, gamma, beta, runMean, runVar, B, O, opts.model.bnEps);
      }
    }
    const h = fused ? hz : activationForward(u, L.activation);
    const q = opts.model.hidden[L.index]?.dropout ?? 0;
    const mask =
      opts.train && q > 0
        ? dropoutMask(theta, opts.model.dropoutKind, q, opts.dropoutSeed, opts.step, L.index, B, O)
        : null;
    caches.push({ x: a, u, bn, h, mask });
    a = mask ? dropoutForward(h, mask) : h;
  }
  throw new Error('forward: layout has no output layer');
}

/**
 * Backward pass from dOut = dLoss/dOut[B, outputDim] to the gradient over theta[P].
 * l1Act (zeta2) adds the activation-sparsity gradient at each hidden layer's h. Needs a
 * training-mode forward when the network has batch norm.
 */
export function backward(
  layout: ParamLayout,
  theta: FloatArray,
  fwd: ForwardResult,
  dOut: FloatArray,
  B: number,
  l1Act: number,
  ops: DenseOps = tsDenseOps,
  scratchIn?: StepScratch,
): FloatArray {
  const scratch = scratchFor(theta, scratchIn);
  const grad = scratch ? scratch.take('grad', layout.size).fill(0) : allocLike(theta, layout.size);
  let d = dOut;
  // d is already dL/du of layer l (the op applied the activation's derivative: backwardXAct)
  let through = false;
  for (let l = layout.layers.length - 1; l >= 0; l--) {
    const L = layout.layers[l];
    const c = fwd.layers[l];
    const I = L.inDim;
    const O = L.outDim;
    let dZ = d;
    if (L.hidden) {
      if (!through) {
        // through dropout (the mask is a constant of the step), then the activation-L1 term at h
        const dh = c.mask ? dropoutBackward(d, c.mask) : d;
        activationL1PenaltyGrad(c.h, B, l1Act, dh);
        // (dh may be the previous op's scratch view: dZ goes to a buffer of its own)
        dZ = activationBackward(dh, c.u, c.h, L.activation, scratch?.take(`dz${l}`, B * O));
      }
      if (L.batchNorm) {
        if (!c.bn) throw new Error('backward: batch norm needs a training-mode forward pass');
        const r = batchNormBackward(dZ, c.bn.xhat, slice(theta, L.gamma, O), c.bn.invStd, B, O);
        grad.set(r.dGamma, L.gamma);
        grad.set(r.dBeta, L.beta);
        dZ = r.dZ;
      }
    }
    const { dW, db } = ops.backwardW(dZ, c.x, B, I, O);
    grad.set(dW, L.w);
    if (!L.batchNorm) grad.set(db, L.b); // with batch norm, dL/db = 0 exactly (header); grad is zero-filled
    if (l === 0) break;
    const W = slice(theta, L.w, O * I);
    // The layer below's activation derivative fused into the product where the ops have it and
    // nothing comes between (no dropout mask, no activation-L1 term): dL/du of that layer at once.
    const below = fwd.layers[l - 1];
    const fusedDz =
      !below.mask && l1Act === 0 && ops.backwardXAct
        ? ops.backwardXAct(dZ, W, B, I, O, below.u, layout.layers[l - 1].activation, scratch?.take(`dz${l - 1}`, B * I))
        : undefined;
    through = fusedDz !== undefined;
    d = fusedDz ?? ops.backwardX(dZ, W, B, I, O);
  }
  return grad;
}

/**
 * The data loss of an output batch and its gradient.
 *   softmaxCE: labels Int32Array[B]; correct counts arg-max hits.
 *   mse:       regression targets [B, O]; or, with Int32Array labels, one-hot targets on the raw
 *              outputs (the classic "MSE for classification"), correct by arg-max. NaN correct for regression.
 */
export function outputLoss(
  loss: LossName,
  out: FloatArray,
  targets: Targets,
  B: number,
  O: number,
): { loss: number; dOut: FloatArray; correct: number } {
  if (loss === 'softmaxCE') {
    if (!(targets instanceof Int32Array))
      throw new Error('model.loss: softmaxCE needs class labels (a classification dataset)');
    const r = softmaxCrossEntropy(out, targets, B, O);
    return { loss: r.loss, dOut: r.dLogits, correct: r.correct };
  }
  if (targets instanceof Int32Array) {
    const onehot = allocLike(out, B * O);
    let correct = 0;
    for (let n = 0; n < B; n++) {
      onehot[n * O + targets[n]] = 1;
      if (argmax(out, n * O, O) === targets[n]) correct++;
    }
    const r = meanSquaredError(out, onehot, B, O);
    return { loss: r.loss, dOut: r.dPred, correct };
  }
  const r = meanSquaredError(out, targets, B, O);
  return { loss: r.loss, dOut: r.dPred, correct: Number.NaN };
}

export function argmax(a: FloatArray, off: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[off + j] > a[off + best]) best = j;
  return best;
}

export interface LossAndGrad {
  /** dataLoss + regLoss */
  loss: number;
  dataLoss: number;
  regLoss: number;
  /** Correct predictions in the batch (NaN for regression). */
  correct: number;
  /** dLoss/dtheta [P], regularization included except the weights' L1 (taken by l1Prox.ts). */
  grad: FloatArray;
  fwd: ForwardResult;
}

/**
 * Loss = data loss + eta ||w||^2 + zeta1 ||w||_1 + zeta2 sum_l (1/B) ||h_l||_1, and the gradient of
 * its smooth part (everything but zeta1 ||w||_1, whose proximal step l1Prox.ts takes after the
 * optimizer step). Weight penalties act where mask = 1 (layout.ts decayMask).
 */
export function lossAndGrad(
  layout: ParamLayout,
  theta: FloatArray,
  bnStats: FloatArray,
  X: FloatArray,
  targets: Targets,
  B: number,
  opts: ForwardOptions,
  reg: RegConfig,
  mask: DecayMask,
): LossAndGrad {
  const fwd = forward(layout, theta, bnStats, X, B, opts);
  const data = outputLoss(opts.model.loss, fwd.out, targets, B, layout.outputDim);
  const grad = backward(layout, theta, fwd, data.dOut, B, reg.l1Act, opts.ops, opts.scratch);
  let regLoss = l2Penalty(theta, mask, reg.l2) + l1Penalty(theta, mask, reg.l1);
  for (let l = 0; l < layout.layers.length - 1; l++) regLoss += activationL1Penalty(fwd.layers[l].h, B, reg.l1Act);
  l2PenaltyGrad(theta, mask, reg.l2, grad);
  return { loss: data.loss + regLoss, dataLoss: data.loss, regLoss, correct: data.correct, grad, fwd };
}

/** Folds one training-mode forward's batch statistics into the running statistics (after each step). */
export function updateBatchNormStats(
  layout: ParamLayout,
  bnStats: FloatArray,
  fwd: ForwardResult,
  momentum: number,
  B: number,
): void {
  for (const L of layout.layers) {
    const bn = fwd.layers[L.index].bn;
    if (!L.batchNorm || !bn) continue;
    const O = L.outDim;
    const runMean = slice(bnStats, L.stats, O);
    const runVar = slice(bnStats, L.stats + O, O);
    updateRunningStats(runMean, runVar, bn.mean, bn.var, momentum, B);
  }
}
