// The output losses, each beside its gradient with respect to the network output.
//
// Legend: B batch, C classes, O regression targets.
//   logits[B, C]  labels[B] (Int32Array, 0..C-1)  pred[B, O]  target[B, O]
// Both losses are means over the batch, so every gradient carries a 1/B and the dense
// backward (matmulBackwardW) only sums.
import { allocLike, type FloatArray } from './floatArray';

export interface ClassificationLoss {
  /** Mean negative log-likelihood over the batch. */
  loss: number;
  /** dLoss/dlogits[B, C] = (softmax - onehot) / B. */
  dLogits: FloatArray;
  /** Samples whose arg-max logit equals the label. */
  correct: number;
}

/**
 * Softmax + cross-entropy (the lecture's E_nll = -log y_{c_t}) for any C >= 2.
 *   y_j = e^{x_j} / sum_k e^{x_k}
 *   loss_n = -log y_{c} = logsumexp(x) - x_c           (stable: logsumexp(x) = m + log sum e^{x_k - m}, m = max x)
 *   dloss_n/dx_j = y_j - [j = c]                       (then / B for the batch mean)
 * Never overflows: every exponent is <= 0.
 */
export function softmaxCrossEntropy(logits: FloatArray, labels: Int32Array, B: number, C: number): ClassificationLoss {
  const dLogits = allocLike(logits, B * C);
  const { loss, correct } = softmaxCrossEntropyInto(logits, labels, B, C, dLogits);
  return { loss, dLogits, correct };
}

/**
 * softmaxCrossEntropy with dLogits[B, C] written into the caller's array (a race's fused step,
 * workers/cpu/raceFused.ts, writes it straight into the kernels' memory): the same numbers.
 */
export function softmaxCrossEntropyInto(
  logits: FloatArray,
  labels: Int32Array,
  B: number,
  C: number,
  dLogits: FloatArray,
): { loss: number; correct: number } {
  let total = 0;
  let correct = 0;
  for (let n = 0; n < B; n++) {
    const off = n * C;
    let m = logits[off];
    let arg = 0;
    for (let j = 1; j < C; j++) {
      if (logits[off + j] > m) {
        m = logits[off + j];
        arg = j;
      }
    }
    // e^0 = 1 exactly (Math.exp(+-0) === 1): the row's maximum, and every logit tied with it, skip
    // the call (one of C + 1 + C per row; a NaN or infinite m gives NaN differences, never 0)
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const d = logits[off + j] - m;
      sum += d === 0 ? 1 : Math.exp(d);
    }
    const lse = m + Math.log(sum);
    const c = labels[n];
    total += lse - logits[off + c];
    if (arg === c) correct++;
    for (let j = 0; j < C; j++) {
      const y = Math.exp(logits[off + j] - lse);
      dLogits[off + j] = (y - (j === c ? 1 : 0)) / B;
    }
  }
  return { loss: total / B, correct };
}

/** Row-wise softmax probabilities [B, C] (stable), for predictions. */
export function softmax(logits: FloatArray, B: number, C: number): FloatArray {
  const y = allocLike(logits, B * C);
  for (let n = 0; n < B; n++) {
    const off = n * C;
    let m = logits[off];
    for (let j = 1; j < C; j++) if (logits[off + j] > m) m = logits[off + j];
    let sum = 0;
    for (let j = 0; j < C; j++) sum += Math.exp(logits[off + j] - m);
    for (let j = 0; j < C; j++) y[off + j] = Math.exp(logits[off + j] - m) / sum;
  }
  return y;
}

export interface RegressionLoss {
  /** (1/B) sum_n sum_o 0.5 (pred - target)^2 */
  loss: number;
  /** dLoss/dpred[B, O] = (pred - target) / B */
  dPred: FloatArray;
}

/**
 * Mean squared error with the conventional 1/2, so the gradient is the plain residual:
 *   loss = (1/B) sum_n sum_o 0.5 (p_no - t_no)^2        dloss/dp_no = (p_no - t_no) / B
 */
export function meanSquaredError(pred: FloatArray, target: FloatArray, B: number, O: number): RegressionLoss {
  const dPred = allocLike(pred, B * O);
  let total = 0;
  for (let k = 0; k < B * O; k++) {
    const r = pred[k] - target[k];
    total += 0.5 * r * r;
    dPred[k] = r / B;
  }
  return { loss: total / B, dPred };
}
