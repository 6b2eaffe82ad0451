// TensorBoard's scalar smoothing: a debiased exponential moving average.
//   last_k = w * last_{k-1} + (1 - w) * y_k,  last_0 = 0
//   smoothed_k = last_k / (1 - w^k)            (k = finite samples seen so far)
// Without the division the curve would start near 0 (the EMA's zero start biases it low);
// dividing by 1 - w^k, the total weight given so far, removes that bias exactly, so the first
// smoothed value equals the first sample. Non-finite samples pass through and do not poison it.

export function debiasedEma(ys: ArrayLike<number>, weight: number, out?: Float64Array): Float64Array {
  const n = ys.length;
  const res = out && out.length >= n ? out.subarray(0, n) : new Float64Array(n);
  if (weight <= 0) {
    for (let i = 0; i < n; i++) res[i] = ys[i];
    return res;
  }
  let last = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      res[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    k++;
    res[i] = last / (1 - weight ** k);
  }
  return res;
}

/**
 * Points where the learning rate dropped abruptly (step decay, plateau reductions): indices i
 * with lr[i] < ratio * lr[i-1]. Smooth decays (exponential, 1/(1+Kt), cosine) change by far
 * less than 10% between neighbouring points and are not marked.
 */
export function annealingEvents(lr: ArrayLike<number>, ratio = 0.9): number[] {
  const out: number[] = [];
  for (let i = 1; i < lr.length; i++) {
    if (lr[i - 1] > 0 && lr[i] < ratio * lr[i - 1]) {
      // A drop split across two merged points would mark twice: keep the first.
      if (out.length === 0 || out[out.length - 1] !== i - 1) out.push(i);
    }
  }
  return out;
}
