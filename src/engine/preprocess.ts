// Input preprocessing (the lecture's "normalizing, and possibly whitening your data").
// Statistics are fitted on the training split only and then applied unchanged to the training
// split, the validation split and any other point (decision-boundary grid), so no information
// from validation leaks into training.
//
//   standardize   x'_j = (x_j - mean_j) / std_j                  per feature; std 0 -> 1 (left centred)
//   whiten (PCA)  x'   = diag(1/sqrt(lambda_k + eps)) U^T (x - mean)
//                 with Cov = U diag(lambda) U^T of the training inputs (1/n normalization),
//                 components ordered by decreasing variance, eps = 1e-5 * lambda_max so that
//                 directions with almost no variance are not blown up without bound.
//                 Features that are constant over the training split (e.g. border pixels of the
//                 digits) are left out of the eigenproblem and, as in standardize, only centred
//                 (appended after the principal components): a validation image with ink there
//                 is not multiplied by 1/sqrt(eps).
// With these definitions the training split has exactly mean 0 and variance 1 per feature
// (standardize), or mean 0 and covariance diag(lambda/(lambda+eps)) ~ I (whiten; 0 for the
// constant features).
import { symmetricEigen } from './eigen';

export type Preprocessor =
  | {
      kind: 'standardize';
      dim: number;
      /** [D] training means. */
      mean: Float64Array;
      /** [D] 1/std per feature (1 where std is 0). */
      invStd: Float64Array;
    }
  | {
      kind: 'whiten';
      dim: number;
      /** [D] training means. */
      mean: Float64Array;
      /**
       * [D, D] input-major: matrix[j*D + k] = u_k[j] / sqrt(lambda_k + eps), so that
       * x'_k = sum_j matrix[j*D + k] * x_j - shift_k (input-major lets the product skip zero pixels).
       */
      matrix: Float64Array;
      /** [D] shift_k = sum_j matrix[j*D + k] * mean_j. */
      shift: Float64Array;
      /** [D] lambda_k, decreasing (the PCA spectrum; the UI may plot it); 0 for constant features. */
      eigenvalues: Float64Array;
      eps: number;
    };

/** Relative floor added to every eigenvalue before whitening (see header). */
export const WHITEN_EPS = 1e-5;

function featureMeans(x: ArrayLike<number>, n: number, D: number): Float64Array {
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) mean[j] += x[r * D + j];
  for (let j = 0; j < D; j++) mean[j] /= n;
  return mean;
}

/**
 * Covariance [D, D] with 1/n normalization. Accumulates the uncentred X^T X skipping zero inputs
 * (digit images are ~80% zeros, which makes the 784x784 case fast) and subtracts n*mean*mean^T
 * in float64; inputs are O(1), so the cancellation costs no meaningful precision.
 */
export function covariance(x: ArrayLike<number>, n: number, D: number, mean: Float64Array): Float64Array {
  const C = new Float64Array(D * D);
  for (let r = 0; r < n; r++) {
    const off = r * D;
    for (let i = 0; i < D; i++) {
      const xi = x[off + i];
      if (xi === 0) continue;
      const row = i * D;
      for (let j = i; j < D; j++) C[row + j] += xi * x[off + j];
    }
  }
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      const c = C[i * D + j] / n - mean[i] * mean[j];
      C[i * D + j] = c;
      C[j * D + i] = c;
    }
  }
  return C;
}

/** Fit a preprocessor on the training inputs x[n, D]. */
export function fitPreprocess(
  kind: 'standardize' | 'whiten',
  x: ArrayLike<number>,
  n: number,
  D: number,
): Preprocessor {
  if (!(n >= 1)) throw new Error(`fitPreprocess: need at least one training sample, got ${n}`);
  if (x.length !== n * D) throw new Error(`fitPreprocess: x has ${x.length} entries, expected ${n}x${D}`);
  const mean = featureMeans(x, n, D);
  if (kind === 'standardize') {
    const invStd = new Float64Array(D);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < D; j++) {
        const d = x[r * D + j] - mean[j];
        invStd[j] += d * d;
      }
    }
    for (let j = 0; j < D; j++) {
      const sd = Math.sqrt(invStd[j] / n);
      invStd[j] = sd > 1e-12 ? 1 / sd : 1;
    }
    return { kind, dim: D, mean, invStd };
  }
  if (kind !== 'whiten') throw new Error(`data.preprocess: unknown '${kind as string}' (none, standardize, whiten)`);
  const C = covariance(x, n, D, mean);
  // Constant features (zero variance, hence zero covariance with everything) stay out of the eigenproblem.
  let maxVar = 0;
  for (let j = 0; j < D; j++) maxVar = Math.max(maxVar, C[j * D + j]);
  const active: number[] = [];
  const constant: number[] = [];
  for (let j = 0; j < D; j++) (C[j * D + j] > 1e-12 * maxVar ? active : constant).push(j);
  const A = active.length;
  const sub = new Float64Array(A * A);
  for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) sub[a * A + b] = C[active[a] * D + active[b]];
  const { values, vectors } = symmetricEigen(sub, A);
  // values ascending -> components by decreasing variance; clamp tiny negative roundoff to 0.
  const eps = WHITEN_EPS * Math.max(A > 0 ? values[A - 1] : 0, 0) + 1e-12;
  const matrix = new Float64Array(D * D);
  const eigenvalues = new Float64Array(D);
  for (let k = 0; k < A; k++) {
    const src = A - 1 - k;
    const lambda = Math.max(values[src], 0);
    eigenvalues[k] = lambda;
    const s = 1 / Math.sqrt(lambda + eps);
    for (let a = 0; a < A; a++) matrix[active[a] * D + k] = vectors[a * A + src] * s;
  }
  constant.forEach((j, c) => {
    matrix[j * D + A + c] = 1;
  });
  const shift = new Float64Array(D);
  for (let j = 0; j < D; j++) for (let k = 0; k < D; k++) shift[k] += matrix[j * D + k] * mean[j];
  return { kind, dim: D, mean, matrix, shift, eigenvalues, eps };
}

/** x'[n, D] = transform of x[n, D], into a new array or `out` (which may be x itself: rows are read before written). */
export function applyPreprocess(
  p: Preprocessor,
  x: ArrayLike<number>,
  n: number,
  out: Float32Array = new Float32Array(n * p.dim),
): Float32Array {
  const D = p.dim;
  if (x.length < n * D) throw new Error(`applyPreprocess: x has ${x.length} entries, expected at least ${n}x${D}`);
  if (p.kind === 'standardize') {
    for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) out[r * D + j] = (x[r * D + j] - p.mean[j]) * p.invStd[j];
    return out;
  }
  const acc = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < D; k++) acc[k] = -p.shift[k];
    for (let j = 0; j < D; j++) {
      const xj = x[r * D + j];
      if (xj === 0) continue; // digits are ~80% background: skip whole rows of the product
      const row = j * D;
      for (let k = 0; k < D; k++) acc[k] += p.matrix[row + k] * xj;
    }
    for (let k = 0; k < D; k++) out[r * D + k] = acc[k];
  }
  return out;
}
