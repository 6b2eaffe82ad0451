// Adagrad's and RMSprop's update loop in f64x2 SIMD (src/engine/optimizers/adagrad.ts adagradStep,
// rmsprop.ts rmspropStep), every float as the engine's loop computes it:
//   c = a c_k + (b g) g          (Adagrad: a = b = 1, exactly c_k + g g; RMSprop: a = rho, b = 1 - rho)
//   c_k <- float32(c);  w <- float32(w - (lr g) / (sqrt(c) + eps))   (c unrounded in the step, as there)
// Float64 throughout, one rounding per stored float32, each operation in the engine's order (no
// FMA in either build: a fused product-sum would round differently). Pointers are byte offsets of
// float32 arrays [n] (workers/cpu/wasmOps.ts lays them out).

/** theta, cache updated in place from grad; the scalar tail as the vector loop. */
export function rootStep(theta: usize, grad: usize, cache: usize, n: i32, lr: f64, a: f64, b: f64, eps: f64): void {
  const A = f64x2.splat(a);
  const Bv = f64x2.splat(b);
  const LR = f64x2.splat(lr);
  const EPS = f64x2.splat(eps);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 2;
    const g = f64x2.promote_low_f32x4(v128.load64_zero(grad + o));
    const c = f64x2.add(
      f64x2.mul(A, f64x2.promote_low_f32x4(v128.load64_zero(cache + o))),
      f64x2.mul(f64x2.mul(Bv, g), g),
    );
    v128.store64_lane(cache + o, f32x4.demote_f64x2_zero(c), 0);
    const step = f64x2.div(f64x2.mul(LR, g), f64x2.add(f64x2.sqrt(c), EPS));
    const th = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(theta + o)), step);
    v128.store64_lane(theta + o, f32x4.demote_f64x2_zero(th), 0);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const g = <f64>load<f32>(grad + o);
    const c = a * <f64>load<f32>(cache + o) + b * g * g;
    store<f32>(cache + o, <f32>c);
    store<f32>(theta + o, <f32>(<f64>load<f32>(theta + o) - (lr * g) / (Math.sqrt(c) + eps)));
  }
}
