// Regularization terms of the lecture, each a penalty added to the loss beside its gradient.
//   (1) L2 weight decay       eta   ||w||_2^2     gradient  2 eta w
//   (2) L1 on weights         zeta1 ||w||_1       subgradient zeta1 sign(w)     (0 at w = 0)
//       training does not follow this subgradient: it takes the penalty's proximal step (soft
//       threshold) after the optimizer step (l1Prox.ts), so weights stop at exactly 0
//   (3) L1 on activations     zeta2 ||h||_1       gradient  zeta2 sign(h) / B   (h averaged over the batch)
// The weight penalties act only where `mask[k] = 1` (the network's decay mask: weight matrices,
// and also biases and batch-norm gamma/beta when reg.decayBiases is on). Gradients are
// accumulated into an existing gradient (`grad += ...`), the way the loss terms add.
import type { FloatArray } from './floatArray';

/** Which entries of theta are regularized: 1 = decayed (weights), 0 = exempt (biases, BN params). */
export type DecayMask = Uint8Array;

/** eta * sum_k mask_k w_k^2 */
export function l2Penalty(theta: FloatArray, mask: DecayMask, eta: number): number {
  if (eta === 0) return 0;
  let s = 0;
  for (let k = 0; k < theta.length; k++) if (mask[k]) s += theta[k] * theta[k];
  return eta * s;
}

/** grad_k += 2 eta w_k where mask_k = 1 */
export function l2PenaltyGrad(theta: FloatArray, mask: DecayMask, eta: number, grad: FloatArray): void {
  if (eta === 0) return;
  for (let k = 0; k < theta.length; k++) if (mask[k]) grad[k] += 2 * eta * theta[k];
}

/** zeta1 * sum_k mask_k |w_k| */
export function l1Penalty(theta: FloatArray, mask: DecayMask, zeta1: number): number {
  if (zeta1 === 0) return 0;
  let s = 0;
  for (let k = 0; k < theta.length; k++) if (mask[k]) s += Math.abs(theta[k]);
  return zeta1 * s;
}

/**
 * grad_k += zeta1 sign(w_k) where mask_k = 1 (the subgradient 0 at w_k = 0). Not used by training
 * (l1Prox.ts replaces it); it is the derivative of l1Penalty away from 0, for gradient checks.
 */
export function l1PenaltyGrad(theta: FloatArray, mask: DecayMask, zeta1: number, grad: FloatArray): void {
  if (zeta1 === 0) return;
  for (let k = 0; k < theta.length; k++) if (mask[k]) grad[k] += zeta1 * Math.sign(theta[k]);
}

/**
 * Activation sparsity over one hidden layer's post-activation values h[B, O]:
 *   zeta2 * (1/B) * sum_{n,o} |h_no|
 * The 1/B makes the strength independent of the batch size (like the data loss's mean).
 */
export function activationL1Penalty(h: FloatArray, B: number, zeta2: number): number {
  if (zeta2 === 0) return 0;
  let s = 0;
  for (let k = 0; k < h.length; k++) s += Math.abs(h[k]);
  return (zeta2 * s) / B;
}

/** dH_k += zeta2 sign(h_k) / B */
export function activationL1PenaltyGrad(h: FloatArray, B: number, zeta2: number, dH: FloatArray): void {
  if (zeta2 === 0) return;
  const c = zeta2 / B;
  for (let k = 0; k < h.length; k++) dH[k] += c * Math.sign(h[k]);
}
