// Batch normalization (Ioffe & Szegedy 2015) between a layer's linear map and its activation.
//
// Legend: B batch, O features.  z[B, O]  y[B, O]  gamma[O]  beta[O]  mean[O]  var[O]  invStd[O]  xhat[B, O]
//
// Training (batch statistics, biased variance as in the paper's normalization step):
//   mean_o = (1/B) sum_n z_no         var_o = (1/B) sum_n (z_no - mean_o)^2
//   xhat_no = (z_no - mean_o) / sqrt(var_o + eps)         y_no = gamma_o xhat_no + beta_o
// Backward (the mean and variance depend on every z in the batch, hence the two sums):
//   dbeta_o = sum_n dy_no      dgamma_o = sum_n dy_no xhat_no      dxhat_no = dy_no gamma_o
//   dz_no = invStd_o / B * (B dxhat_no - sum_m dxhat_mo - xhat_no sum_m dxhat_mo xhat_mo)
// Evaluation (running statistics, no dependence between samples):
//   y_no = gamma_o (z_no - runMean_o) / sqrt(runVar_o + eps) + beta_o
import { allocLike, type FloatArray } from './floatArray';

export interface BatchNormCache {
  y: FloatArray;
  mean: FloatArray;
  /** Biased batch variance. */
  var: FloatArray;
  invStd: FloatArray;
  xhat: FloatArray;
}

/** Training-mode forward with the batch's own statistics. */
export function batchNormForward(
  z: FloatArray,
  gamma: FloatArray,
  beta: FloatArray,
  B: number,
  O: number,
  eps: number,
): BatchNormCache {
  const y = allocLike(z, B * O);
  const xhat = allocLike(z, B * O);
  const mean = allocLike(z, O);
  const variance = allocLike(z, O);
  const invStd = allocLike(z, O);
  for (let o = 0; o < O; o++) {
    let s = 0;
    for (let n = 0; n < B; n++) s += z[n * O + o];
    const mu = s / B;
    let v = 0;
    for (let n = 0; n < B; n++) {
      const d = z[n * O + o] - mu;
      v += d * d;
    }
    v /= B;
    const is = 1 / Math.sqrt(v + eps);
    mean[o] = mu;
    variance[o] = v;
    invStd[o] = is;
    for (let n = 0; n < B; n++) {
      const k = n * O + o;
      const xh = (z[k] - mu) * is;
      xhat[k] = xh;
      y[k] = gamma[o] * xh + beta[o];
    }
  }
  return { y, mean, var: variance, invStd, xhat };
}

/** Backward of the training-mode forward. */
export function batchNormBackward(
  dY: FloatArray,
  xhat: FloatArray,
  gamma: FloatArray,
  invStd: FloatArray,
  B: number,
  O: number,
): { dZ: FloatArray; dGamma: FloatArray; dBeta: FloatArray } {
  const dZ = allocLike(dY, B * O);
  const dGamma = allocLike(dY, O);
  const dBeta = allocLike(dY, O);
  for (let o = 0; o < O; o++) {
    let sdy = 0;
    let sdyx = 0;
    for (let n = 0; n < B; n++) {
      const k = n * O + o;
      sdy += dY[k];
      sdyx += dY[k] * xhat[k];
    }
    dBeta[o] = sdy;
    dGamma[o] = sdyx;
    // sum dxhat = gamma sum dy and sum dxhat xhat = gamma sum dy xhat
    const g = gamma[o];
    const c = (g * invStd[o]) / B;
    for (let n = 0; n < B; n++) {
      const k = n * O + o;
      dZ[k] = c * (B * dY[k] - sdy - xhat[k] * sdyx);
    }
  }
  return { dZ, dGamma, dBeta };
}

/**
 * Exponential moving averages for evaluation: run = m run + (1 - m) batch.
 * The running variance uses the unbiased batch estimate var * B / (B - 1) (as PyTorch does),
 * because at evaluation it stands for the population variance.
 */
export function updateRunningStats(
  runMean: FloatArray,
  runVar: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  momentum: number,
  B: number,
): void {
  const unbias = B > 1 ? B / (B - 1) : 1;
  for (let o = 0; o < runMean.length; o++) {
    runMean[o] = momentum * runMean[o] + (1 - momentum) * mean[o];
    runVar[o] = momentum * runVar[o] + (1 - momentum) * variance[o] * unbias;
  }
}

/** Evaluation-mode forward with the running statistics. */
export function batchNormEval(
  z: FloatArray,
  gamma: FloatArray,
  beta: FloatArray,
  runMean: FloatArray,
  runVar: FloatArray,
  B: number,
  O: number,
  eps: number,
): FloatArray {
  const y = allocLike(z, B * O);
  for (let o = 0; o < O; o++) {
    const a = gamma[o] / Math.sqrt(runVar[o] + eps);
    const mu = runMean[o];
    const bt = beta[o];
    for (let n = 0; n < B; n++) {
      const k = n * O + o;
      y[k] = a * (z[k] - mu) + bt;
    }
  }
  return y;
}
