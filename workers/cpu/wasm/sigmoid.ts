// The sigmoid activation over float32 arrays in f64x2 SIMD, the engine's float32 exactly
// (src/engine/activations.ts: z >= 0 ? 1 / (1 + Math.exp(-z)) : e / (1 + e) with e = Math.exp(z),
// in float64, rounded once to float32): both branches are e' / (1 + e) with e = exp(-|z|) and
// e' = 1 (z >= 0) or e, and exp is V8's bit for bit (expLog.ts), so every float64 is the engine's
// and so is its rounding; no guard band is needed (unlike tanh.ts, whose exp is not V8's). Lanes
// whose exp takes expLog's scalar path (-|z| < -708, NaN) are computed by sigmoid1. Checked over
// all 2^32 float32 inputs against the engine (scripts/sigmoidExhaustive.ts, both builds). Not yet
// called by activate (activations.ts): wired in, Chromium's bench race (c) ran ~4% slower for a
// reason not isolated (issue 17, closing note of 2026-12-05), so it waits for that.

import { expOff, expScalar, expV } from './expLog';

/** The scalar path: the engine's formula with V8's exp, rounded to float32. */
export function sigmoid1(x: f32): f32 {
  const z = <f64>x;
  if (z >= 0) return <f32>(1 / (1 + expScalar(-z)));
  const e = expScalar(z);
  return <f32>(e / (1 + e));
}

/** h[k] = sigmoid1(z[k]) for n floats, two per f64x2; returns the lanes on the scalar path. In place allowed. */
export function sigmoidSimd(z: usize, h: usize, n: i32): i32 {
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  let fell = 0;
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = (<usize>k) << 2;
    const x = f64x2.promote_low_f32x4(v128.load64_zero(z + o));
    // z >= 0 (NaN: false): exp(-z), 1 / (1 + e); else exp(z), e / (1 + e)
    const pos = f64x2.ge(x, zero);
    const a = v128.bitselect(f64x2.neg(x), x, pos);
    const e = expV(a);
    const y = f64x2.div(v128.bitselect(one, e, pos), f64x2.add(one, e));
    v128.store64_lane(h + o, f32x4.demote_f64x2_zero(y), 0);
    const off = expOff(a);
    if (v128.any_true(off)) {
      const m = i64x2.bitmask(off);
      if (m & 1) store<f32>(h + o, sigmoid1(<f32>f64x2.extract_lane(x, 0)));
      if (m & 2) store<f32>(h + o + 4, sigmoid1(<f32>f64x2.extract_lane(x, 1)));
      fell += popcnt(m);
    }
  }
  for (; k < n; k++) {
    const o = (<usize>k) << 2;
    store<f32>(h + o, sigmoid1(load<f32>(z + o)));
    fell++;
  }
  return fell;
}

/** h[k] = sigmoid1(z[k]) element by element (the reference of tests and the exhaustive check). */
export function sigmoidScalar(z: usize, h: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f32>(h + ((<usize>k) << 2), sigmoid1(load<f32>(z + ((<usize>k) << 2))));
}
