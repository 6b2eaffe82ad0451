// exp and log over float64, bit for bit V8's Math.exp and Math.log (the engine's softmax cross-entropy,
// src/engine/losses.ts, calls those): V8 computes both with its fdlibm port (v8/src/base/ieee754.cc
// `exp`, `log`; Node 20's V8 11.3 and Chromium 150's V8 give the same bits, scripts/expLogCheck.ts),
// ported here operation for operation: the same constants, the same order, no FMA in either build
// (a fused product-sum rounds once where fdlibm rounds twice).
//
//   exp: x = k ln2 + r (|r| <= ln2/2; ln2 = ln2HI + ln2LO, k ln2HI exact; r = hi - lo)
//        c = r - t(P1 + t(P2 + t(P3 + t(P4 + t P5)))), t = r^2
//        exp(x) = 2^k (1 - ((lo - r c / (2 - c)) - hi))         (k = 0: 1 - (r c / (c - 2) - r))
//   log: x = 2^k (1 + f), sqrt(2)/2 < 1 + f < sqrt(2); s = f / (2 + f), z = s^2, w = z^2
//        R = z(Lg1 + w(Lg3 + w(Lg5 + w Lg7))) + w(Lg2 + w(Lg4 + w Lg6))
//        log(x) = k ln2_hi - ((hfsq - (s (hfsq + R) + k ln2_lo)) - f), hfsq = f^2 / 2 (or its other forms)
//
// expScalar / logScalar are the port as written (every branch); expV / logV do two lanes in f64x2 with
// fdlibm's branches as selects, which give the same bits (why, at each select below), and leave the
// lanes of the rare ranges to the scalar port: exp for |x| >= 708 (overflow, underflow, the k < -1021
// and k = 1024 scalings), NaN and Inf; log for x < 2^-1022 (0, subnormals, negatives), Inf and NaN.
// Checked against Math.exp / Math.log on millions of random doubles over every exponent range, the
// loss's ranges and edge values, in Node and in Chromium (scripts/expLogCheck.ts; a sample in
// workers/cpu/expLog.test.ts, both builds).

const LN2_HI: f64 = 0.6931471803691238; // 0x3FE62E42 FEE00000
const LN2_LO: f64 = 1.9082149292705877e-10; // 0x3DEA39EF 35793C76
const INV_LN2: f64 = Math.LOG2E; // 0x3FF71547 652B82FE
const P1: f64 = 0.16666666666666602; // 0x3FC55555 5555553E
const P2: f64 = -0.0027777777777015593; // 0xBF66C16C 16BEBD93
const P3: f64 = 0.00006613756321437934; // 0x3F11566A AF25DE2C
const P4: f64 = -0.0000016533902205465252; // 0xBEBBBD41 C5D26BF1
const P5: f64 = 4.1381367970572385e-8; // 0x3E663769 72BEA4D0
const E: f64 = Math.E; // 0x4005BF0A 8B145769: V8 returns it for exp(1) (its port gets the last bit wrong)
const O_THRESHOLD: f64 = 709.782712893384; // 0x40862E42 FEFA39EF
const U_THRESHOLD: f64 = -745.1332191019411; // 0xC0874910 D52D3051
const TWOM1000: f64 = 9.332636185032189e-302; // 2^-1000
const TWO1023: f64 = 8.98846567431158e307; // 2^1023
const TWO54: f64 = 18014398509481984; // 2^54
const LG1: f64 = 0.6666666666666735; // 0x3FE55555 55555593
const LG2: f64 = 0.3999999999940942; // 0x3FD99999 9997FA04
const LG3: f64 = 0.2857142874366239; // 0x3FD24924 94229359
const LG4: f64 = 0.22222198432149784; // 0x3FCC71C5 1D8E78AF
const LG5: f64 = 0.1818357216161805; // 0x3FC74664 96CB03DE
const LG6: f64 = 0.15313837699209373; // 0x3FC39A09 D078C69F
const LG7: f64 = 0.14798198605116586; // 0x3FC2F112 DF3E5244
const THIRD: f64 = 0.3333333333333333; // fdlibm's 0.33333333333333333
/** 1.5 2^52: adding it to an integral float64 below 2^51 puts the integer in the low bits. */
const ROUND: f64 = 6755399441055744;

/** V8's exp (fdlibm e_exp.c as in ieee754.cc), every branch. */
export function expScalar(x: f64): f64 {
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  let hx = <u32>(reinterpret<u64>(x) >> 32);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      const lx = <u32>reinterpret<u64>(x);
      if (((hx & 0xfffff) | lx) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return Infinity; // huge * huge
    if (x < U_THRESHOLD) return 0.0; // twom1000 * twom1000
  }
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x === 1.0) return E;
      hi = x - (xsb ? -LN2_HI : LN2_HI);
      lo = xsb ? -LN2_LO : LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INV_LN2 * x + (xsb ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x; // huge + x > one always holds here (x is not NaN)
  }
  const t = x * x;
  const twopk = reinterpret<f64>((<u64>(0x3ff + (k >= -1021 ? k : k + 1000))) << 52);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

/** V8's log (fdlibm e_log.c as in ieee754.cc), every branch. */
export function logScalar(x: f64): f64 {
  let hx = <i32>(reinterpret<u64>(x) >> 32);
  const lx = <u32>reinterpret<u64>(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = <i32>(reinterpret<u64>(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | ((<u64>(<u32>(hx | (i ^ 0x3ff00000)))) << 32));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) {
      if (k === 0) return 0;
      const dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - THIRD * f);
    if (k === 0) return f - R;
    const dk = <f64>k;
    return dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

// The vector constants as a table read by v128.load64_splat (cheaper than v128.const, tanh.ts says why).
const F = memory.data<f64>([
  LN2_HI,
  LN2_LO,
  INV_LN2,
  P1,
  P2,
  P3,
  P4,
  P5,
  E,
  ROUND,
  1,
  2,
  0.5,
  LG1,
  LG2,
  LG3,
  LG4,
  LG5,
  LG6,
  LG7,
  THIRD,
]);
const K_LN2_HI = 0;
const K_LN2_LO = 1;
const K_INV_LN2 = 2;
const K_P1 = 3;
const K_P2 = 4;
const K_P3 = 5;
const K_P4 = 6;
const K_P5 = 7;
const K_E = 8;
const K_ROUND = 9;
const K_ONE = 10;
const K_TWO = 11;
const K_HALF = 12;
const K_LG1 = 13;
const K_LG2 = 14;
const K_LG3 = 15;
const K_LG4 = 16;
const K_LG5 = 17;
const K_LG6 = 18;
const K_LG7 = 19;
const K_THIRD = 20;
// Bit patterns (int64): the sign, exp's thresholds on |x| (fdlibm's tests on the high word as tests
// on all 64 bits), log's range, exponent/significand masks.
const I = memory.data<i64>([
  0x8000000000000000,
  0x4086200000000000, // 708: at or above, exp's scalar path
  0x3ff0a2b200000000, // high word < 0x3FF0A2B2: |x| < 1.5 ln2
  0x3fd62e4300000000, // high word > 0x3FD62E42: |x| > 0.5 ln2 (at or above this)
  0x3e30000000000000, // high word < 0x3E300000: |x| < 2^-28
  0x0010000000000000, // log: below (0, subnormals, negatives), the scalar path
  0x7ff0000000000000, // log: at or above (Inf, NaN), the scalar path
  1023,
  0xfffff,
  0x95f64,
  0x100000,
  0x3ff00000,
  0x000fffffffffffff,
  0x6147a,
  0x6b851,
  2,
  3,
]);
const K_SIGN = 0;
const K_EXP_BIG = 1;
const K_EXP_1P5 = 2;
const K_EXP_0P5 = 3;
const K_EXP_TINY = 4;
const K_LOG_LOW = 5;
const K_LOG_HIGH = 6;
const K_BIAS = 7;
const K_HI20 = 8;
const K_95F64 = 9;
const K_100000 = 10;
const K_3FF00000 = 11;
const K_SIG = 12;
const K_6147A = 13;
const K_6B851 = 14;
const K_TWO_I = 15;
const K_THREE = 16;

function fk(i: i32): v128 {
  return v128.load64_splat(F + ((<usize>i) << 3));
}
function ik(i: i32): v128 {
  return v128.load64_splat(I + ((<usize>i) << 3));
}
/** The integral float64 lanes of kf (|kf| < 2^51) as int64. */
function toInt(kf: v128): v128 {
  return i64x2.sub(f64x2.add(kf, fk(K_ROUND)), fk(K_ROUND));
}
/** The int64 lanes of k (|k| < 2^51) as float64, exactly. */
function toFloat(k: v128): v128 {
  return f64x2.sub(i64x2.add(k, fk(K_ROUND)), fk(K_ROUND));
}

/** Lanes of x on exp's scalar path (|x| >= 708, Inf, NaN). */
export function expOff(x: v128): v128 {
  return i64x2.ge_s(f64x2.abs(x), ik(K_EXP_BIG));
}

/** exp of both lanes, |x| < 708 (other lanes: expOff, then expScalar). */
export function expV(x: v128): v128 {
  const ax = f64x2.abs(x);
  const sgn = v128.and(x, ik(K_SIGN));
  // k: fdlibm's (int)(invln2 x + halF[xsb]) (a truncation, f64x2.trunc the same integer) where
  // |x| >= 1.5 ln2; +-1 (1 - 2 xsb) below; 0 where |x| <= 0.5 ln2 (no reduction)
  let kf = f64x2.trunc(f64x2.add(f64x2.mul(fk(K_INV_LN2), x), v128.or(fk(K_HALF), sgn)));
  kf = v128.bitselect(v128.or(fk(K_ONE), sgn), kf, i64x2.lt_s(ax, ik(K_EXP_1P5)));
  kf = v128.and(kf, i64x2.ge_s(ax, ik(K_EXP_0P5)));
  // hi = x - k ln2HI, lo = k ln2LO: for k = +-1 the same bits as fdlibm's x - ln2HI[xsb], ln2LO[xsb]
  // (a product with +-1 is exact); for k = 0 (kf = +0): hi = x, lo = +0, as fdlibm's unreduced x
  const hi = f64x2.sub(x, f64x2.mul(kf, fk(K_LN2_HI)));
  const lo = f64x2.mul(kf, fk(K_LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(fk(K_P4), f64x2.mul(t, fk(K_P5)));
  p = f64x2.add(fk(K_P3), f64x2.mul(t, p));
  p = f64x2.add(fk(K_P2), f64x2.mul(t, p));
  p = f64x2.add(fk(K_P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  // y = 1 - ((lo - r c / (2 - c)) - hi). For k = 0 fdlibm computes 1 - (r c / (c - 2) - r): with
  // lo = +0 and hi = r the same bits (c - 2 = -(2 - c) and a quotient's sign is exact, so
  // r c / (c - 2) = -(r c / (2 - c)) = +0 - r c / (2 - c), that quotient never 0 for |r| >= 2^-28)
  const y = f64x2.sub(fk(K_ONE), f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(fk(K_TWO), c))), hi));
  // 2^k from its exponent bits (k in [-1021, 1021] for |x| < 708; k = 0 multiplies by 1, exactly)
  const twopk = i64x2.shl(i64x2.add(toInt(kf), ik(K_BIAS)), 52);
  let e = f64x2.mul(y, twopk);
  e = v128.bitselect(fk(K_E), e, f64x2.eq(x, fk(K_ONE)));
  // |x| < 2^-28: 1 + x
  return v128.bitselect(f64x2.add(fk(K_ONE), x), e, i64x2.lt_s(ax, ik(K_EXP_TINY)));
}

/** Lanes of x on log's scalar path (x < 2^-1022: 0, subnormals, negatives; Inf, NaN). */
export function logOff(x: v128): v128 {
  return v128.or(i64x2.lt_s(x, ik(K_LOG_LOW)), i64x2.ge_s(x, ik(K_LOG_HIGH)));
}

/** Both lanes, k == 0 ? a : b. */
function pick0(k: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, i64x2.eq(k, i64x2.splat(0)));
}

/** log of both lanes, normal positive finite x (other lanes: logOff, then logScalar). */
export function logV(x: v128): v128 {
  // high word hx = bits >> 32 (positive here); k = exponent - 1023; i: whether 1 + f is taken as x/2
  const hx = i64x2.shr_s(x, 32);
  const hm = v128.and(hx, ik(K_HI20));
  const i = v128.and(i64x2.add(hm, ik(K_95F64)), ik(K_100000));
  const k = i64x2.add(i64x2.sub(i64x2.shr_s(hx, 20), ik(K_BIAS)), i64x2.shr_s(i, 20));
  const xn = v128.or(v128.and(x, ik(K_SIG)), i64x2.shl(v128.xor(i, ik(K_3FF00000)), 32));
  const f = f64x2.sub(xn, fk(K_ONE));
  const dk = toFloat(k);
  const khi = f64x2.mul(dk, fk(K_LN2_HI));
  const klo = f64x2.mul(dk, fk(K_LN2_LO));
  // |f| < 2^-20: f == 0 ? (k == 0 ? 0 : k ln2_hi + k ln2_lo) : (k == 0 ? f - R : k ln2_hi - ((R - k ln2_lo) - f))
  const Ra = f64x2.mul(f64x2.mul(f, f), f64x2.sub(fk(K_HALF), f64x2.mul(fk(K_THIRD), f)));
  const a0 = pick0(k, f64x2.splat(0), f64x2.add(khi, klo));
  const a1 = pick0(k, f64x2.sub(f, Ra), f64x2.sub(khi, f64x2.sub(f64x2.sub(Ra, klo), f)));
  const a = v128.bitselect(a0, a1, f64x2.eq(f, f64x2.splat(0)));
  // otherwise the polynomial; R = t2 + t1
  const s = f64x2.div(f, f64x2.add(fk(K_TWO), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(fk(K_LG2), f64x2.mul(w, f64x2.add(fk(K_LG4), f64x2.mul(w, fk(K_LG6))))));
  let q = f64x2.add(fk(K_LG5), f64x2.mul(w, fk(K_LG7)));
  q = f64x2.add(fk(K_LG3), f64x2.mul(w, q));
  const t2 = f64x2.mul(z, f64x2.add(fk(K_LG1), f64x2.mul(w, q)));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(fk(K_HALF), f), f);
  const sh = f64x2.mul(s, f64x2.add(hfsq, R));
  const m1 = pick0(
    k,
    f64x2.sub(f, f64x2.sub(hfsq, sh)),
    f64x2.sub(khi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(sh, klo)), f)),
  );
  const sf = f64x2.mul(s, f64x2.sub(f, R));
  const m2 = pick0(k, f64x2.sub(f, sf), f64x2.sub(khi, f64x2.sub(f64x2.sub(sf, klo), f)));
  // fdlibm: i = (hx - 0x6147a) | (0x6b851 - hx) > 0 takes the hfsq form (the sign of an OR of two
  // int64 is the OR of their signs, as for fdlibm's int32)
  const ij = v128.or(i64x2.sub(hm, ik(K_6147A)), i64x2.sub(ik(K_6B851), hm));
  const m = v128.bitselect(m1, m2, i64x2.gt_s(ij, i64x2.splat(0)));
  // (0xfffff & (2 + hx)) < 3: |f| < 2^-20
  const tiny = i64x2.lt_s(v128.and(i64x2.add(hm, ik(K_TWO_I)), ik(K_HI20)), ik(K_THREE));
  return v128.bitselect(a, m, tiny);
}

/** dst[k] = exp (log = false) or log of src[k] over n float64s: expArray / logArray. */
function mapArray(src: usize, dst: usize, n: i32, simd: i32, log: bool): i32 {
  let fell = 0;
  let k = 0;
  if (simd) {
    for (; k + 2 <= n; k += 2) {
      const o = (<usize>k) << 3;
      const x = v128.load(src + o);
      const off = log ? logOff(x) : expOff(x);
      v128.store(dst + o, log ? logV(x) : expV(x));
      if (v128.any_true(off)) {
        const m = i64x2.bitmask(off);
        const x0 = f64x2.extract_lane(x, 0);
        const x1 = f64x2.extract_lane(x, 1);
        if (m & 1) store<f64>(dst + o, log ? logScalar(x0) : expScalar(x0));
        if (m & 2) store<f64>(dst + o + 8, log ? logScalar(x1) : expScalar(x1));
        fell += popcnt(m);
      }
    }
  }
  for (; k < n; k++) {
    const o = (<usize>k) << 3;
    const x = load<f64>(src + o);
    store<f64>(dst + o, log ? logScalar(x) : expScalar(x));
    fell++;
  }
  return fell;
}

/**
 * dst[k] = exp(src[k]) over n float64s, two per f64x2 (the lanes expOff names, and an odd tail, by
 * expScalar); simd = 0: every element by expScalar. Returns the elements on the scalar path. In
 * place (dst = src) is allowed.
 */
export function expArray(src: usize, dst: usize, n: i32, simd: i32): i32 {
  return mapArray(src, dst, n, simd, false);
}

/** dst[k] = log(src[k]) over n float64s, as expArray (logOff, logScalar). */
export function logArray(src: usize, dst: usize, n: i32, simd: i32): i32 {
  return mapArray(src, dst, n, simd, true);
}
