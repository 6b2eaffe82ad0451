// Evaluation-mode passes over whole splits (no dropout, batch-norm running statistics), in
// chunks so memory stays bounded on large sets, plus batch gathering for training steps.
// Legend: n samples, D = inputDim, O = outputDim (C classes for classification).
import type { DenseOps } from './dense';
import type { FloatArray } from './floatArray';
import type { ParamLayout } from './layout';
import { softmax } from './losses';
import { forward, outputLoss, type Targets } from './network';
import type { ModelConfig } from './types';

/** Rows per forward pass when evaluating. */
const CHUNK = 512;

/** Copy rows `idx` of x[n, d] into out[idx.length, d]. */
export function gatherRows(x: FloatArray, d: number, idx: ArrayLike<number>, out = new Float32Array(idx.length * d)) {
  for (let r = 0; r < idx.length; r++) out.set(x.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return out;
}

/** Labels at `idx` (classification) or target rows (regression). */
export function gatherTargets(y: Targets, outputDim: number, idx: ArrayLike<number>): Targets {
  if (y instanceof Int32Array) return Int32Array.from(idx, (i) => y[i]);
  return gatherRows(y, outputDim, idx);
}

/** The forward pass of rows xb[B, D] in evaluation mode (no dropout, running batch-norm statistics). */
function evalForward(
  layout: ParamLayout,
  theta: FloatArray,
  bnStats: FloatArray,
  model: ModelConfig,
  xb: FloatArray,
  B: number,
  ops?: DenseOps,
) {
  return forward(layout, theta, bnStats, xb, B, { train: false, model, dropoutSeed: 0, step: 0, ops });
}

/**
 * Mean data loss (no regularization) and accuracy (NaN for regression) of x[n, D] against y,
 * in evaluation mode. NaN loss for n = 0.
 */
export function evaluateSplit(
  layout: ParamLayout,
  theta: FloatArray,
  bnStats: FloatArray,
  model: ModelConfig,
  x: FloatArray,
  y: Targets,
  n: number,
  ops?: DenseOps,
): { loss: number; acc: number } {
  if (n === 0) return { loss: Number.NaN, acc: Number.NaN };
  const D = layout.inputDim;
  const O = layout.outputDim;
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const B = Math.min(CHUNK, n - start);
    const fwd = evalForward(layout, theta, bnStats, model, x.subarray(start * D, (start + B) * D), B, ops);
    const t = y instanceof Int32Array ? y.subarray(start, start + B) : y.subarray(start * O, (start + B) * O);
    const r = outputLoss(model.loss, fwd.out, t, B, O);
    loss += r.loss * B;
    correct += r.correct;
  }
  return { loss: loss / n, acc: correct / n };
}

/**
 * Model outputs for model inputs x[n, D] (already preprocessed): class probabilities [n, C] for
 * softmax cross-entropy, raw outputs [n, O] for MSE (regression predictions, or class scores).
 */
export function predictOutputs(
  layout: ParamLayout,
  theta: FloatArray,
  bnStats: FloatArray,
  model: ModelConfig,
  x: FloatArray,
  n: number,
  ops?: DenseOps,
): Float32Array<ArrayBuffer> {
  const D = layout.inputDim;
  const O = layout.outputDim;
  if (x.length < n * D) throw new Error(`predict: x has ${x.length} entries, expected n*inputDim = ${n * D}`);
  const out = new Float32Array(n * O);
  for (let start = 0; start < n; start += CHUNK) {
    const B = Math.min(CHUNK, n - start);
    const fwd = evalForward(layout, theta, bnStats, model, x.subarray(start * D, (start + B) * D), B, ops);
    out.set(model.loss === 'softmaxCE' ? softmax(fwd.out, B, O) : fwd.out, start * O);
  }
  return out;
}
