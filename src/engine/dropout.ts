// Dropout (Hinton '12): multiplicative noise on a hidden layer's activations while training,
// identity at evaluation.
//
// Legend: B batch, O units of the layer.   h[B, O]  mask[B, O]  out[B, O] = h * mask
//
// Inverted dropout, and why it is the lecture's "scale by p at test time".
//   Lecture (keep probability p, r ~ Bernoulli(p)): training feeds W (h r) to the next layer,
//   evaluation feeds W (p h), the expectation of the training input since E[h r] = p h.
//   Inverted (this file): training feeds W' (h r / p), evaluation feeds W' h; again
//   E[h r / p] = h, so evaluation sees the training expectation.
//   With W' = p W the two agree exactly:  W' (h r / p) = W (h r)  and  W' h = W (p h).
//   So an inverted network is the lecture's network with the next layer's weights rescaled
//   by p, in training and at evaluation alike; it just needs no special case at evaluation
//   (the GPU evaluates with the training kernels, minus the mask).
//
// Gaussian dropout (Srivastava et al. 2014, section 10): mask ~ N(1, q/p), the same mean 1 and
// the same variance as r/p with r ~ Bernoulli(p): Var(r/p) = p(1-p)/p^2 = q/p.
//
// Masks are a pure function of (dropoutSeed, step, layerIndex, unit, sampleIndexInBatch) through
// the counter-based hash (hash.ts), so the WGSL kernel draws the very same bits: u < q drops.
// `step` is the global 0-based training step, `layerIndex` the 0-based hidden layer.
import { allocLike, type FloatArray } from './floatArray';
import { hashUniform } from './hash';
import type { DropoutKind } from './types';

/**
 * The training mask m[B, O] for a layer with drop probability q (keep p = 1 - q), 0 <= q < 1.
 * Bernoulli: m = [u >= q] / p with u = hashUniform(seed, step, layer, unit, sample).
 * Gaussian:  m = 1 + sqrt(q/p) g, g standard normal by Box-Muller from
 *            u1 = hashUniform(seed, step, layer, unit, sample) and
 *            u2 = hashUniform(seed, step, layer, unit + O, sample)  (unit counter offset by O: a second, disjoint draw);
 *            g = sqrt(-2 ln(1 - u1)) cos(2 pi u2)  (1 - u1 is in (0, 1], so the log is finite).
 */
export function dropoutMask(
  like: FloatArray,
  kind: DropoutKind,
  q: number,
  seed: number,
  step: number,
  layer: number,
  B: number,
  O: number,
): FloatArray {
  if (!(q >= 0 && q < 1)) throw new Error(`dropout: drop probability must be in [0, 1), got ${q}`);
  const m = allocLike(like, B * O);
  const p = 1 - q;
  if (kind === 'bernoulli') {
    const keep = 1 / p;
    for (let n = 0; n < B; n++) {
      for (let o = 0; o < O; o++) m[n * O + o] = hashUniform(seed, step, layer, o, n) >= q ? keep : 0;
    }
  } else {
    const sigma = Math.sqrt(q / p);
    for (let n = 0; n < B; n++) {
      for (let o = 0; o < O; o++) {
        const u1 = hashUniform(seed, step, layer, o, n);
        const u2 = hashUniform(seed, step, layer, o + O, n);
        const g = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        m[n * O + o] = 1 + sigma * g;
      }
    }
  }
  return m;
}

/** out = h * mask (elementwise). */
export function dropoutForward(h: FloatArray, mask: FloatArray): FloatArray {
  const out = allocLike(h, h.length);
  for (let k = 0; k < h.length; k++) out[k] = h[k] * mask[k];
  return out;
}

/** dh = dOut * mask: the mask is a constant of the step, so it scales the gradient the same way. */
export function dropoutBackward(dOut: FloatArray, mask: FloatArray): FloatArray {
  const dh = allocLike(dOut, dOut.length);
  for (let k = 0; k < dOut.length; k++) dh[k] = dOut[k] * mask[k];
  return dh;
}
