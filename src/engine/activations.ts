// Activation functions, each beside its derivative (tensorflow/playground's {output, der} pairs).
// df receives both the input z and the output y = f(z): tanh, sigmoid and elu then cost nothing
// extra, and the WGSL kernel (workers/gpu/kernels/activation.wgsl) uses the same forms.
//
// Shapes: z, y, dY, dZ are [B, O] flattened; the functions are elementwise.
import { allocLike, type FloatArray } from './floatArray';
import type { Activation } from './types';

export interface ActivationFn {
  /** y = f(z) */
  f(z: number): number;
  /** dy/dz, given z and y = f(z) */
  df(z: number, y: number): number;
}

/** Slope of leaky ReLU for z <= 0. */
export const LEAKY_SLOPE = 0.01;
/** ELU's alpha: f(z) = alpha (e^z - 1) for z <= 0. */
export const ELU_ALPHA = 1;

export const ACTIVATIONS: Record<Activation, ActivationFn> = {
  // f = max(0, z)                         f' = 1 if z > 0 else 0 (0 at the kink)
  relu: { f: (z) => Math.max(0, z), df: (z) => (z > 0 ? 1 : 0) },
  // f = z if z > 0 else 0.01 z            f' = 1 if z > 0 else 0.01
  leakyRelu: { f: (z) => (z > 0 ? z : LEAKY_SLOPE * z), df: (z) => (z > 0 ? 1 : LEAKY_SLOPE) },
  // f = z if z > 0 else alpha (e^z - 1)   f' = 1 if z > 0 else alpha e^z = y + alpha
  elu: { f: (z) => (z > 0 ? z : ELU_ALPHA * Math.expm1(z)), df: (z, y) => (z > 0 ? 1 : y + ELU_ALPHA) },
  // f = tanh z                            f' = 1 - y^2
  tanh: { f: (z) => Math.tanh(z), df: (_z, y) => 1 - y * y },
  // f = 1 / (1 + e^-z)                    f' = y (1 - y)
  // Written so that exp never overflows: for z < 0 use e^z / (1 + e^z).
  sigmoid: {
    f: (z) => {
      if (z >= 0) return 1 / (1 + Math.exp(-z));
      const e = Math.exp(z);
      return e / (1 + e);
    },
    df: (_z, y) => y * (1 - y),
  },
  // f = z                                 f' = 1
  linear: { f: (z) => z, df: () => 1 },
};

/** y = f(z) elementwise; y has z's precision. */
export function activationForward(z: FloatArray, act: Activation): FloatArray {
  const y = allocLike(z, z.length);
  const { f } = ACTIVATIONS[act];
  for (let i = 0; i < z.length; i++) y[i] = f(z[i]);
  return y;
}

/**
 * dZ = dY * f'(z) elementwise (chain rule through the activation), into `out` when given (same
 * precision and length as dY; a training step's reused buffer). ReLU and tanh, the common cases,
 * have their df written out: the same float64 products, without a call per entry.
 */
export function activationBackward(
  dY: FloatArray,
  z: FloatArray,
  y: FloatArray,
  act: Activation,
  out?: FloatArray,
): FloatArray {
  const n = dY.length;
  const dZ = out ?? allocLike(dY, n);
  if (act === 'relu') for (let i = 0; i < n; i++) dZ[i] = dY[i] * (z[i] > 0 ? 1 : 0);
  else if (act === 'tanh')
    for (let i = 0; i < n; i++) {
      const t = y[i];
      dZ[i] = dY[i] * (1 - t * t);
    }
  else {
    const { df } = ACTIVATIONS[act];
    for (let i = 0; i < n; i++) dZ[i] = dY[i] * df(z[i], y[i]);
  }
  return dZ;
}
