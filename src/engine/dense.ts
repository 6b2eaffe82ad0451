// The dense (fully connected) layer: Y = X W^T + b, and its two backward products.
// Names match the WGSL kernels (matmul.wgsl, matmul_backward.wgsl) that are checked against them.
//
// Legend: B batch, I input features, O output features. Row-major.
//   X[B, I]   W[O, I]   b[O]   Y[B, O]   dY[B, O]   dX[B, I]   dW[O, I]   db[O]
// Accumulation is in float64 (a JS number) and rounded once on store, which is what keeps
// float32 results within a few ulps of the float64 reference.
//
// Sparse inputs. Digit images are ~80% zeros and ReLU layers ~50%, so when at most half of X is
// nonzero, the products with X skip its zeros. The sums visit the same terms in the same order
// minus exact zeros (x = 0 contributes +-0), so the result is identical to the dense loop, bit
// for bit, as long as the weights are finite (0 * Inf would be NaN; the Run never keeps
// non-finite weights).
import { activationForward } from './activations';
import { allocLike, type FloatArray } from './floatArray';
import type { UpdateKernels } from './optimizers/spec';
import type { Activation } from './types';

/**
 * The dense layer's three products, injectable so that a faster implementation (the worker's
 * WebAssembly SIMD kernels, workers/cpu/wasmOps.ts) can stand in for the functions below, which
 * stay the reference. forward: z = X W^T + b and h = f(z) (h is z itself when act is null); its
 * arrays are the caller's to keep. The backward results may be scratch views that the next call of
 * any op overwrites: read them (or copy them out) before the next call.
 */
export interface DenseOps {
  forward(
    X: FloatArray,
    W: FloatArray,
    b: FloatArray,
    B: number,
    I: number,
    O: number,
    act: Activation | null,
    /** Buffers [B, O] the results may be written into (a training step's reused arrays); may be ignored. */
    out?: { z: Float32Array; h?: Float32Array },
  ): { z: FloatArray; h: FloatArray };
  backwardX(dY: FloatArray, W: FloatArray, B: number, I: number, O: number): FloatArray;
  /**
   * Optional: backwardX with the layer below's activation derivative applied, dZ = (dY W) * f'(u)
   * (u[B, I] that layer's pre-activation): the same numbers as activationBackward of backwardX, in
   * an array of the caller's (`out` when given); undefined where the implementation does not fuse
   * `act` (the caller then takes the two steps).
   */
  backwardXAct?(
    dY: FloatArray,
    W: FloatArray,
    B: number,
    I: number,
    O: number,
    u: FloatArray,
    act: Activation,
    out?: Float32Array,
  ): FloatArray | undefined;
  backwardW(dY: FloatArray, X: FloatArray, B: number, I: number, O: number): { dW: FloatArray; db: FloatArray };
  /** The same implementation's optimizer loops (a Run passes them to optimizerStep); absent: the rules' own. */
  update?: UpdateKernels;
  /**
   * Optional: a zero-filled float32 array of n entries that these ops read in place (a Run keeps its
   * weights there, so no product copies them in: the WebAssembly kernels' memory); null when there
   * is no room (the caller then allocates its own). release() gives it back (Run.dispose).
   * `state`: an optimizer's state vector (Adam's m and v, a cache), which the update kernels then
   * read in place too; the ops may refuse it sooner, keeping their room for weights and gradients.
   */
  alloc?(n: number, state?: boolean): Float32Array | null;
  release?(a: Float32Array): void;
}

/** The engine's own dense ops: matmul, then the activation; the backward products below. */
export const tsDenseOps: DenseOps = {
  forward(X, W, b, B, I, O, act) {
    const z = matmul(X, W, b, B, I, O);
    return { z, h: act ? activationForward(z, act) : z };
  },
  backwardX: (dY, W, B, I, O) => matmulBackwardX(dY, W, B, I, O),
  backwardW: (dY, X, B, I, O) => matmulBackwardW(dY, X, B, I, O),
};

/** Nonzero column indices of each row of X[B, I] (CSR: row n is idx[start[n] .. start[n+1])). */
interface RowNonzeros {
  idx: Int32Array;
  start: Int32Array;
}

/** The rows' nonzero indices when X is at most half nonzero, else null (use the dense loop). */
function sparseRows(X: FloatArray, B: number, I: number): RowNonzeros | null {
  let nnz = 0;
  for (let k = 0; k < B * I; k++) if (X[k] !== 0) nnz++;
  if (nnz * 2 > B * I) return null;
  const idx = new Int32Array(nnz);
  const start = new Int32Array(B + 1);
  let p = 0;
  for (let n = 0; n < B; n++) {
    start[n] = p;
    for (let i = 0; i < I; i++) if (X[n * I + i] !== 0) idx[p++] = i;
  }
  start[B] = p;
  return { idx, start };
}

/** Y[n, o] = sum_i X[n, i] W[o, i] + b[o]. Y has W's precision. `b` may be null (no bias). */
export function matmul(
  X: FloatArray,
  W: FloatArray,
  b: FloatArray | null,
  B: number,
  I: number,
  O: number,
): FloatArray {
  const Y = allocLike(W, B * O);
  const sp = sparseRows(X, B, I);
  for (let n = 0; n < B; n++) {
    const xo = n * I;
    for (let o = 0; o < O; o++) {
      const wo = o * I;
      let s = b ? b[o] : 0;
      if (sp) {
        for (let k = sp.start[n]; k < sp.start[n + 1]; k++) {
          const i = sp.idx[k];
          s += X[xo + i] * W[wo + i];
        }
      } else {
        for (let i = 0; i < I; i++) s += X[xo + i] * W[wo + i];
      }
      Y[n * O + o] = s;
    }
  }
  return Y;
}

/** dX[n, i] = sum_o dY[n, o] W[o, i]   (dL/dX = dY W). */
export function matmulBackwardX(dY: FloatArray, W: FloatArray, B: number, I: number, O: number): FloatArray {
  const dX = allocLike(W, B * I);
  // Loop order n, o, i keeps W rows contiguous; the sum over o accumulates in a float64 row.
  const acc = new Float64Array(I);
  for (let n = 0; n < B; n++) {
    acc.fill(0);
    for (let o = 0; o < O; o++) {
      const g = dY[n * O + o];
      if (g === 0) continue;
      const wo = o * I;
      for (let i = 0; i < I; i++) acc[i] += g * W[wo + i];
    }
    dX.set(acc, n * I);
  }
  return dX;
}

/**
 * dW[o, i] = sum_n dY[n, o] X[n, i]   (dL/dW = dY^T X),   db[o] = sum_n dY[n, o].
 * Sums over the batch without dividing: the loss already carries the 1/B of the mean.
 */
export function matmulBackwardW(
  dY: FloatArray,
  X: FloatArray,
  B: number,
  I: number,
  O: number,
): { dW: FloatArray; db: FloatArray } {
  const dW = allocLike(dY, O * I);
  const db = allocLike(dY, O);
  const acc = new Float64Array(I);
  const sp = sparseRows(X, B, I);
  for (let o = 0; o < O; o++) {
    acc.fill(0);
    let sb = 0;
    for (let n = 0; n < B; n++) {
      const g = dY[n * O + o];
      sb += g;
      if (g === 0) continue;
      const xo = n * I;
      if (sp) {
        for (let k = sp.start[n]; k < sp.start[n + 1]; k++) {
          const i = sp.idx[k];
          acc[i] += g * X[xo + i];
        }
      } else {
        for (let i = 0; i < I; i++) acc[i] += g * X[xo + i];
      }
    }
    dW.set(acc, o * I);
    db[o] = sb;
  }
  return { dW, db };
}
