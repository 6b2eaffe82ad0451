// tanh over float32 arrays in f64x2 SIMD, giving exactly the float32 the scalar path gives,
// <f32>Math.tanh(<f64>x) (the engine's Math.fround(Math.tanh(x)), src/engine/activations.ts), for
// every float32 input (checked over all of them by scripts/tanhExhaustive.ts; sampled in
// workers/cpu/tanh.test.ts).
//
// For a = |x| (tanh is odd: the sign is copied back at the end, so tanh(-x) = -tanh(x) exactly):
//   y = max(-2a, -40)                  (past a = 20 tanh is 1 to far below float32's precision)
//   y = n ln2 + r, n = nearest(y / ln2), |r| <= ln2 / 2 + tiny   (ln2 in two parts: n ln2_hi exact)
//   expm1(r) ~ r (1 + r/2! + r^2/3! + ... + r^10/11!)   truncation <= |r| 0.3466^11 / 12! ~ 1.8e-14 |r|
//   u = expm1(y) = 2^n expm1(r) + (2^n - 1)            (exact scaling; one rounding in the sum)
//   t = -u / (u + 2) = tanh(a)                           (u in [-1, 0]: no cancellation)
// so |t - tanh(a)| <= ~1e-13 tanh(a), i.e. under ~1000 float64 ulps of t. The float32 rounding of t
// is the rounding of tanh(a) (and of Math.tanh's float64, within 1 ulp of it) unless t lies within
// that distance of a float32 rounding midpoint: there the low 29 bits of t's float64 significand
// (the bits the rounding drops) are within NEAR = 2^13 ulps of 2^28. Such a lane takes the scalar
// path, as do NaN and 0 < a < 2^-125 (results at or near float32's subnormals, whose rounding grid
// is coarser than the 23-bit one the test assumes). About 3e-5 of lanes fall back (2 NEAR / 2^29).

const INV_LN2: f64 = Math.LOG2E;
const LN2_HI: f64 = 0.6931471803691238; // 0x3fe62e42fee00000: low 32 significand bits zero
const LN2_LO: f64 = 1.9082149292705877e-10;
const NEAR: i64 = 1 << 13;
/** 2^-125: below it (0 excluded) the scalar path. */
const TINY: f64 = 2.350988701644575e-38;

/** Off (0) only for measuring before/after in one process (bench/raceNode.ts --tanh=scalar). */
let simdOn: bool = true;

/** Turns the SIMD tanh on (1, the default) or off (0: every element on the scalar path). */
export function setTanhSimd(on: i32): void {
  simdOn = on !== 0;
}

/** The scalar path (the reference): float64 tanh of the float32 input, rounded once to float32. */
export function tanh1(x: f32): f32 {
  return <f32>Math.tanh(<f64>x);
}

/** h[k] = tanh1(z[k]) for n floats, element by element (the reference; tests and the exhaustive check). */
export function tanhScalar(z: usize, h: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f32>(h + ((<usize>k) << 2), tanh1(load<f32>(z + ((<usize>k) << 2))));
}

/** tanh(|x|) for two lanes of float64 (the approximation above, before its sign). */
function tanhAbs(a: v128): v128 {
  const y = f64x2.max(f64x2.mul(a, f64x2.splat(-2)), f64x2.splat(-40));
  const n = f64x2.nearest(f64x2.mul(y, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(n, f64x2.splat(LN2_HI))), f64x2.mul(n, f64x2.splat(LN2_LO)));
  let q = f64x2.splat(1.0 / 39916800); // 1/11!
  q = f64x2.add(f64x2.splat(1.0 / 3628800), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 362880), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 40320), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 5040), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 720), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 120), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 24), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.0 / 6), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1), f64x2.mul(r, q));
  const em = f64x2.mul(r, q); // expm1(r)
  // 2^n from its exponent bits (n in [-58, 0])
  const ni = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  const scale = i64x2.shl(i64x2.add(ni, i64x2.splat(1023)), 52);
  const u = f64x2.add(f64x2.mul(scale, em), f64x2.sub(scale, f64x2.splat(1)));
  // abs: a = 0 gives -0 / 2
  return f64x2.abs(f64x2.div(f64x2.neg(u), f64x2.add(u, f64x2.splat(2))));
}

/**
 * Lanes of x (two float64s holding float32 inputs) whose float32 tanh the SIMD form does not decide:
 * NaN, 0 < |x| < 2^-125, or t = tanhAbs(|x|) within NEAR float64 ulps of a float32 midpoint.
 */
function undecided(ax: v128, t: v128): v128 {
  const low = v128.and(t, i64x2.splat(0x1fffffff));
  const near = i64x2.lt_s(i64x2.abs(i64x2.sub(low, i64x2.splat(1 << 28))), i64x2.splat(NEAR));
  const zero = f64x2.splat(0);
  return v128.or(near, v128.andnot(f64x2.ne(ax, zero), f64x2.ge(ax, f64x2.splat(TINY))));
}

/**
 * h[k] = tanh1(z[k]) for n floats, two per f64x2; returns how many lanes took the scalar path.
 * In place (h = z) is allowed: each pair is read before it is written.
 */
export function tanhSimd(z: usize, h: usize, n: i32): i32 {
  if (!simdOn) {
    tanhScalar(z, h, n);
    return n;
  }
  const SIGN = i64x2.splat(0x8000000000000000);
  let fell = 0;
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = (<usize>k) << 2;
    const x = f64x2.promote_low_f32x4(v128.load64_zero(z + o));
    const ax = f64x2.abs(x);
    const t = tanhAbs(ax);
    const bad = undecided(ax, t);
    v128.store64_lane(h + o, f32x4.demote_f64x2_zero(v128.or(t, v128.and(x, SIGN))), 0);
    if (v128.any_true(bad)) {
      const m = i64x2.bitmask(bad);
      if (m & 1) {
        store<f32>(h + o, tanh1(<f32>f64x2.extract_lane(x, 0)));
        fell++;
      }
      if (m & 2) {
        store<f32>(h + o + 4, tanh1(<f32>f64x2.extract_lane(x, 1)));
        fell++;
      }
    }
  }
  for (; k < n; k++) {
    const o = (<usize>k) << 2;
    store<f32>(h + o, tanh1(load<f32>(z + o)));
    fell++;
  }
  return fell;
}
