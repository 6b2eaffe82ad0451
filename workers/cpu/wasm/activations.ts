// The activations of the dense layer and their derivatives (AssemblyScript; part of the kernels built
// from dense.ts, which exports activate and reluBackward). The engine's src/engine/activations.ts is
// the reference: relu and leaky ReLU in float32 SIMD (exact: a compare and a product), tanh through
// tanh.ts (f64x2 SIMD with the same float32 results as the scalar float64 path), elu and sigmoid in
// float64 like the engine (one rounding to float32 on store).

import { tanhSimd } from './tanh';

// Activation codes (the order of ACT_CODES in wasmOps.ts).
export const RELU: i32 = 1;
export const LEAKY: i32 = 2;
export const ELU: i32 = 3;
export const TANH: i32 = 4;
export const SIGMOID: i32 = 5;
export const LEAKY_SLOPE: f32 = 0.01;

/**
 * h[k] = f(z[k]) for n floats (the activation fused after the forward GEMM, on the tile just
 * written while it is in cache). relu and leaky ReLU in float32 SIMD; tanh in f64x2 SIMD (tanh.ts:
 * the scalar path's float32 results exactly); elu and sigmoid in float64 like the engine's
 * ACTIVATIONS (one rounding to float32 on store). (A float32 SIMD tanh, Eigen's rational form within
 * 7 ulp, moved recorded numbers enough to flip a lesson's claim on one seed, annealing seed 11: the
 * tanh here is exact instead.)
 */
export function activate(z: usize, h: usize, n: i32, act: i32): void {
  if (act === TANH) {
    tanhSimd(z, h, n);
    return;
  }
  let k = 0;
  if (act === RELU || act === LEAKY) {
    const zero = f32x4.splat(0);
    const slope = f32x4.splat(act === RELU ? 0 : LEAKY_SLOPE);
    for (; k + 4 <= n; k += 4) {
      const v = v128.load(z + ((<usize>k) << 2));
      // z > 0 ? z : slope z  (NaN stays NaN through the multiply)
      v128.store(h + ((<usize>k) << 2), v128.bitselect(v, f32x4.mul(v, slope), f32x4.gt(v, zero)));
    }
  }
  for (; k < n; k++) {
    const x = <f64>load<f32>(z + ((<usize>k) << 2));
    let y: f64;
    if (act === RELU) y = Math.max(0, x);
    else if (act === LEAKY) y = x > 0 ? x : LEAKY_SLOPE * x;
    else if (act === ELU) y = x > 0 ? x : Math.expm1(x);
    else if (act === TANH) y = Math.tanh(x);
    else if (act === SIGMOID) {
      if (x >= 0) y = 1 / (1 + Math.exp(-x));
      else {
        const e = Math.exp(x);
        y = e / (1 + e);
      }
    } else y = x;
    store<f32>(h + ((<usize>k) << 2), <f32>y);
  }
}

/**
 * dx[k] *= (u[k] > 0 ? 1 : 0) in place over n floats: ReLU's derivative applied to the product
 * dX = dY W just written (the chain rule into the layer below, whose pre-activation is u). A
 * product with exactly 1 or 0, as the engine's activationBackward: the same floats, -0 and NaN included.
 */
export function reluBackward(dx: usize, u: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = (<usize>k) << 2;
    const d = f32x4.mul(v128.load(dx + o), v128.bitselect(one, zero, f32x4.gt(v128.load(u + o), zero)));
    v128.store(dx + o, d);
  }
  for (; k < n; k++) {
    const o = (<usize>k) << 2;
    store<f32>(dx + o, load<f32>(dx + o) * (load<f32>(u + o) > 0 ? <f32>1 : <f32>0));
  }
}

/**
 * dZ *= f'(u) in place over n floats, as the engine's activationBackward (float64 products, one
 * rounding): dZ = dY df(u, y) with y = f(u); ReLU as reluBackward (a float32 product with 1 or 0).
 */
export function actBackward(dz: usize, u: usize, y: usize, n: i32, act: i32): void {
  if (act === RELU) {
    reluBackward(dz, u, n);
    return;
  }
  for (let k = 0; k < n; k++) {
    const o = (<usize>k) << 2;
    const g = <f64>load<f32>(dz + o);
    const z = <f64>load<f32>(u + o);
    const t = <f64>load<f32>(y + o);
    let df: f64 = 1;
    if (act === LEAKY) df = z > 0 ? 1 : 0.01;
    else if (act === ELU) df = z > 0 ? 1 : t + 1;
    else if (act === TANH) df = 1 - t * t;
    else if (act === SIGMOID) df = t * (1 - t);
    store<f32>(dz + o, <f32>(g * df));
  }
}
