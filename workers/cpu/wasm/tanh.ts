// tanh over float32 arrays in f64x2 SIMD, giving exactly the float32 the scalar path gives,
// <f32>Math.tanh(<f64>x) (the engine's Math.fround(Math.tanh(x)), src/engine/activations.ts), for
// every float32 input (checked over all of them by scripts/tanhExhaustive.ts; sampled in
// workers/cpu/tanh.test.ts).
//
// For a = |x| (tanh is odd: the sign is copied back at the end, so tanh(-x) = -tanh(x) exactly):
//   y = max(-2a, -40)                  (past a = 20 tanh is 1 to far below float32's precision)
//   y = n ln2 + r, n = nearest(y / ln2), |r| <= ln2 / 2 + tiny   (ln2 in two parts: n ln2_hi exact)
//   expm1(r) ~ r + r^2 (1/2! + r/3! + ... + r^7/9!)    truncation <= 1.03 |r|^10 / 10! <= 7.1e-12,
//                                                      i.e. <= 2.5e-11 |expm1(r)| (|expm1(r)| >= 0.84 |r| there)
//   u = expm1(y) = 2^n expm1(r) + (2^n - 1)            (exact scaling; one rounding in the sum; for
//                                                      n < 0 the error is scaled by 2^n, |u| >= 0.35)
//   t = -u / (u + 2) = tanh(a)                           (u in [-1, 0]: no cancellation; t's relative
//                                                      error is at most 2/(u + 2) <= 2 times u's)
// so |t - tanh(a)| <= ~5.1e-11 tanh(a), i.e. under 2^19 float64 ulps of t. The float32 rounding of t
// is the rounding of tanh(a) (and of Math.tanh's float64, within 1 ulp of it) unless t lies within
// that distance of a float32 rounding midpoint: there the low 29 bits of t's float64 significand
// (the bits the rounding drops) are within NEAR = 2^20 ulps of 2^28. Such a lane takes the scalar
// path, as do NaN and 0 < a < 2^-125 (results at or near float32's subnormals, whose rounding grid
// is coarser than the 23-bit one the test assumes). Over all 2^31 non-negative float32 inputs,
// 487,985 are near a midpoint (about 2 NEAR / 2^29 = 0.4% of those in [2^-12, 9]), besides the
// 2^24 - 1 tiny ones and the 2^23 - 1 NaNs; no input gives another float32 than the scalar path
// (scripts/tanhExhaustive.ts, both builds). The relaxed-SIMD build evaluates the product-sums (the
// reduction's r, Estrin's scheme, u) as FMAs (madd below): the same bound, one rounding fewer per
// step, the same 0 mismatches and the same fallbacks over all inputs.
// Cost (Node, CPU time, 2^16 inputs in [-4, 4]): the scalar path 19.5 ns per element; with terms
// up to r^11/11! (error 1e-13, NEAR = 2^13, 3,886 lanes near a midpoint) 4.7 ns relaxed, 5.6 plain;
// up to r^9/9! as here 4.2 and 5.4 (the window's extra scalar lanes included). One term fewer would
// need NEAR near 2^24 (about 6% of the lanes on the scalar path).

const INV_LN2: f64 = Math.LOG2E;
const LN2_HI: f64 = 0.6931471803691238; // 0x3fe62e42fee00000: low 32 significand bits zero
const LN2_LO: f64 = 1.9082149292705877e-10;
const NEAR: i64 = 1 << 20; // 2 NEAR = 2^21 (undecided's shift)
/** 1.5 2^52: adding it rounds a float64 of magnitude below 2^51 to an integer held in the low bits. */
const ROUND: f64 = 6755399441055744;
/** 2^-125: below it (0 excluded) the scalar path. */
const TINY: f64 = 2.350988701644575e-38;

// The vector constants as tables in memory, each read by v128.load64_splat (one instruction): as
// v128.const operands V8 rebuilds each from immediates on every pass of the loop (several
// instructions apiece), which cost more than the arithmetic did.
// Entries of F: -2, -40, 1/ln2, 1.5 2^52, ln2 in two parts, 1/k! for k = 2..9 (C2..C9), 1, 2, 2^-125.
const F = memory.data<f64>([
  -2,
  -40,
  INV_LN2,
  ROUND,
  LN2_HI,
  LN2_LO,
  1.0 / 2,
  1.0 / 6,
  1.0 / 24,
  1.0 / 120,
  1.0 / 720,
  1.0 / 5040,
  1.0 / 40320,
  1.0 / 362880,
  1,
  2,
  TINY,
]);
const K_M2 = 0;
const K_M40 = 1;
const K_INV_LN2 = 2;
const K_ROUND = 3;
const K_LN2_HI = 4;
const K_LN2_LO = 5;
const K_C2 = 6;
const K_C3 = 7;
const K_C4 = 8;
const K_C5 = 9;
const K_C6 = 10;
const K_C7 = 11;
const K_C8 = 12;
const K_C9 = 13;
const K_ONE = 14;
const K_TWO = 15;
const K_TINY = 16;
// Entries of I: the float64 exponent bias, the low 29 significand bits, -(2^28 - NEAR), the sign bit.
const I = memory.data<i64>([1023, 0x1fffffff, NEAR - (1 << 28), 0x8000000000000000]);
const K_BIAS = 0;
const K_LOW29 = 1;
const K_NEAR_OFF = 2;
const K_SIGN = 3;
/** Both lanes F[i] (float64). */
function fk(i: i32): v128 {
  return v128.load64_splat(F + ((<usize>i) << 3));
}
/** Both lanes I[i] (int64). */
function ik(i: i32): v128 {
  return v128.load64_splat(I + ((<usize>i) << 3));
}

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

/**
 * c + a b for two lanes of float64: one FMA in the relaxed-SIMD build (where the CPU has one; else
 * the same mul + add as the plain build, which computes c + a b with two roundings). Either way the
 * approximation stays within the error bound above (a fused product-sum only drops a rounding), so
 * its float32 rounding is decided the same way; scripts/tanhExhaustive.ts checks each build over all
 * inputs.
 */
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** c - a b, the same way. */
function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}

/** tanh(|x|) for two lanes of float64 (the approximation above, before its sign). */
function tanhAbs(a: v128): v128 {
  // pmax (one maxpd): a NaN lane stays NaN and takes the scalar path
  const y = f64x2.pmax(f64x2.mul(a, fk(K_M2)), fk(K_M40));
  // n = nearest(y / ln2) by adding 1.5 2^52: n sits in the low bits of kb, as an integer
  const kb = f64x2.add(f64x2.mul(y, fk(K_INV_LN2)), fk(K_ROUND));
  const n = f64x2.sub(kb, fk(K_ROUND));
  // y - n ln2_hi is exact (n ln2_hi is: ln2_hi's low 32 bits are zero), so fused or not the same
  const r = nmadd(n, fk(K_LN2_LO), nmadd(n, fk(K_LN2_HI), y));
  // expm1(r) = r + r^2 (1/2! + r/3! + ... + r^7/9!), the polynomial by Estrin's scheme: a dependency
  // chain of 4 products instead of Horner's 8 (at degree 11, Horner: 11 ns per element, Estrin 7,
  // then 5.7 with the constants in memory; the scalar path 19.5, in Node at load 8)
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const p0 = madd(r, fk(K_C3), fk(K_C2));
  const p1 = madd(r, fk(K_C5), fk(K_C4));
  const p2 = madd(r, fk(K_C7), fk(K_C6));
  const p3 = madd(r, fk(K_C9), fk(K_C8));
  const q0 = madd(r2, p1, p0);
  const q1 = madd(r2, p3, p2);
  const P = madd(r4, q1, q0);
  const em = madd(r2, P, r); // expm1(r)
  // 2^n from its exponent bits (n in [-58, 0]; the shift drops kb's own exponent bits)
  const scale = i64x2.shl(i64x2.add(kb, ik(K_BIAS)), 52);
  const u = madd(scale, em, f64x2.sub(scale, fk(K_ONE)));
  // abs: a = 0 gives -0 / 2
  return f64x2.abs(f64x2.div(f64x2.neg(u), f64x2.add(u, fk(K_TWO))));
}

/**
 * Lanes of x (two float64s holding float32 inputs) whose float32 tanh the SIMD form does not decide:
 * NaN, 0 < |x| < 2^-125, or t = tanhAbs(|x|) within NEAR float64 ulps of a float32 midpoint.
 */
function undecided(ax: v128, t: v128): v128 {
  // |low - 2^28| < NEAR  <=>  0 <= low - 2^28 + NEAR < 2 NEAR = 2^21  <=>  (that, unsigned) >> 21 == 0
  const low = v128.and(t, ik(K_LOW29));
  const near = i64x2.eq(i64x2.shr_u(i64x2.add(low, ik(K_NEAR_OFF)), 21), i64x2.splat(0));
  const zero = f64x2.splat(0);
  return v128.or(near, v128.andnot(f64x2.ne(ax, zero), f64x2.ge(ax, fk(K_TINY))));
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
  const SIGN = ik(K_SIGN);
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
