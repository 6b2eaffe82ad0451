// WebAssembly SIMD kernels for the dense layer (AssemblyScript; built by scripts/buildWasm.ts).
// The TypeScript engine (src/engine/dense.ts, activations.ts) is the reference; these are checked
// against it in workers/cpu/wasmOps.test.ts.
//
// One GEMM serves the three products of a dense layer, C[M, N] = A[M, K] Bp + bias:
//   forward     Y[B, O]  = X[B, I] W^T      A = X  (rs = I, cs = 1)   Bp = packT(W)    bias b, activation fused
//   backward X  dX[B, I] = dY[B, O] W       A = dY (rs = O, cs = 1)   Bp = pack(W)
//   backward W  dW[O, I] = dY^T X           A = dY^T (rs = 1, cs = O) Bp = pack(X)     db = column sums of dY
// A is read through a row stride rs and a column stride cs (floats), so dY^T needs no copy.
//
// Register blocking as XNNPACK's wasmsimd GEMMs: a tile of MR = 4 rows x 8 columns of C lives in
// 8 f32x4 accumulators; each k broadcasts one A value per row and multiplies it into two f32x4
// loads of the packed B panel. Bp is B in panels of 8 columns, K-major (panel p holds
// Bp[(p K + k) 8 + j] = B[k, 8p + j]), zero-padded past N, so the inner loop has no edge cases;
// only the store of the last panel is partial. Accumulation is float32 (the engine's is float64):
// the parity tests bound the difference.
//
// Relaxed SIMD: when compiled with --enable relaxed-simd, acc = relaxed_madd(a, b, acc) (an FMA where
// the CPU has one, else mul + add); the plain-SIMD build computes acc + a * b with two roundings.
// Pointers are byte offsets into this module's memory, laid out by the caller (workers/cpu/wasmOps.ts).

import { actBackward, activate } from './activations';

export { activate, reluBackward } from './activations';
export { expArray, logArray } from './expLog';
export { rootStep } from './rootStep';
export { sigmoidScalar, sigmoidSimd } from './sigmoid';
export { softmaxCE, softmaxCorrect } from './softmaxCE';
export { setTanhSimd, tanh1, tanhScalar, tanhSimd } from './tanh';

/** First free byte after the module's static data: the caller lays its arrays out from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

// acc + a * b (one FMA under relaxed SIMD).
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** Bp from B[K, N] row-major (row stride ld floats): panels of 8 columns, K-major, zero-padded. */
export function pack(src: usize, K: i32, N: i32, ld: i32, dst: usize): void {
  for (let n0 = 0; n0 < N; n0 += 8) {
    const w = min(8, N - n0);
    for (let k = 0; k < K; k++) {
      const s = src + ((<usize>k * ld + n0) << 2);
      if (w === 8) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
      } else {
        for (let j = 0; j < 8; j++) store<f32>(dst + (j << 2), j < w ? load<f32>(s + (j << 2)) : 0);
      }
      dst += 32;
    }
  }
}

/** Bp from B = W^T with W[N, K] row-major (forward: N = O, K = I): panels of 8 rows of W. */
export function packT(src: usize, N: i32, K: i32, dst: usize): void {
  for (let n0 = 0; n0 < N; n0 += 8) {
    const w = min(8, N - n0);
    for (let j = 0; j < 8; j++) {
      const s = src + ((<usize>(n0 + j) * K) << 2);
      let d = dst + (j << 2);
      if (j < w) for (let k = 0; k < K; k++, d += 32) store<f32>(d, load<f32>(s + (k << 2)));
      else for (let k = 0; k < K; k++, d += 32) store<f32>(d, 0);
    }
    dst += (<usize>K) << 5;
  }
}

// Stores one tile row (8 columns from two vectors) at c, only the first w columns when w < 8.
// Lane by lane, with no scratch memory: threads sharing this memory (the shared build) each run
// gemm on their own rows of C, so the kernels keep no state of their own in memory.
function storeRow(c: usize, lo: v128, hi: v128, w: i32): void {
  if (w === 8) {
    v128.store(c, lo);
    v128.store(c, hi, 16);
    return;
  }
  if (w >= 4) v128.store(c, lo);
  else {
    store<f32>(c, f32x4.extract_lane(lo, 0));
    if (w > 1) store<f32>(c, f32x4.extract_lane(lo, 1), 4);
    if (w > 2) store<f32>(c, f32x4.extract_lane(lo, 2), 8);
    return;
  }
  if (w > 4) store<f32>(c, f32x4.extract_lane(hi, 0), 16);
  if (w > 5) store<f32>(c, f32x4.extract_lane(hi, 1), 20);
  if (w > 6) store<f32>(c, f32x4.extract_lane(hi, 2), 24);
}

/**
 * C[M, N] = A Bp + bias with row stride ldc floats of C (N for a whole product; a thread of the pool
 * computing a stripe of columns passes the whole C's N). A[m, k] at a + 4 (m rs + k cs). bias: 0 for
 * none, else N floats padded with zeros to a multiple of 8.
 */
export function gemm(
  a: usize,
  rs: i32,
  cs: i32,
  M: i32,
  N: i32,
  K: i32,
  bp: usize,
  bias: usize,
  c: usize,
  ldc: i32,
): void {
  const rowC = (<usize>ldc) << 2;
  const ars = (<usize>rs) << 2;
  const acs = (<usize>cs) << 2;
  const zero = f32x4.splat(0);
  for (let n0 = 0; n0 < N; n0 += 8) {
    const w = min(8, N - n0);
    const panel = bp + ((<usize>n0 * K) << 2);
    const b0 = bias ? v128.load(bias + ((<usize>n0) << 2)) : zero;
    const b1 = bias ? v128.load(bias + ((<usize>n0) << 2), 16) : zero;
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      let c00 = b0,
        c01 = b1,
        c10 = b0,
        c11 = b1,
        c20 = b0,
        c21 = b1,
        c30 = b0,
        c31 = b1;
      let pa = a + <usize>m * ars;
      let pb = panel;
      for (let k = 0; k < K; k++) {
        const v0 = v128.load(pb);
        const v1 = v128.load(pb, 16);
        const a0 = v128.load32_splat(pa);
        const a1 = v128.load32_splat(pa + ars);
        const a2 = v128.load32_splat(pa + 2 * ars);
        const a3 = v128.load32_splat(pa + 3 * ars);
        c00 = madd(a0, v0, c00);
        c01 = madd(a0, v1, c01);
        c10 = madd(a1, v0, c10);
        c11 = madd(a1, v1, c11);
        c20 = madd(a2, v0, c20);
        c21 = madd(a2, v1, c21);
        c30 = madd(a3, v0, c30);
        c31 = madd(a3, v1, c31);
        pa += acs;
        pb += 32;
      }
      const pc = c + <usize>m * rowC + ((<usize>n0) << 2);
      storeRow(pc, c00, c01, w);
      storeRow(pc + rowC, c10, c11, w);
      storeRow(pc + 2 * rowC, c20, c21, w);
      storeRow(pc + 3 * rowC, c30, c31, w);
    }
    for (; m < M; m++) {
      let c00 = b0,
        c01 = b1;
      let pa = a + <usize>m * ars;
      let pb = panel;
      for (let k = 0; k < K; k++) {
        const a0 = v128.load32_splat(pa);
        c00 = madd(a0, v128.load(pb), c00);
        c01 = madd(a0, v128.load(pb, 16), c01);
        pa += acs;
        pb += 32;
      }
      storeRow(c + <usize>m * rowC + ((<usize>n0) << 2), c00, c01, w);
    }
  }
}

/** db[o] = sum_n dY[n, o] over B rows of O floats. */
export function colSum(dy: usize, B: i32, O: i32, db: usize): void {
  memory.fill(db, 0, (<usize>O) << 2);
  for (let n = 0; n < B; n++) {
    const row = dy + ((<usize>n * O) << 2);
    let o = 0;
    for (; o + 4 <= O; o += 4) {
      const p = db + ((<usize>o) << 2);
      v128.store(p, f32x4.add(v128.load(p), v128.load(row + ((<usize>o) << 2))));
    }
    for (; o < O; o++) {
      const p = db + ((<usize>o) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(row + ((<usize>o) << 2)));
    }
  }
}

/**
 * Adam in place over n float32 entries (src/engine/optimizers/adam.ts adamStep is the reference),
 * with the engine's float64 arithmetic in the engine's order, so the result is the same bit for bit:
 *   m = b1 m + (1 - b1) g;  v = b2 v + ((1 - b2) g) g;  theta -= (lr (m / c1)) / (sqrt(v / c2) + eps)
 * with c1 = 1 - b1^t, c2 = 1 - b2^t computed by the caller; m, v and theta rounded once to float32 on
 * store (theta's update uses the unrounded m and v, as the engine's). Two entries per f64x2.
 */
export function adam(
  theta: usize,
  grad: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f64,
  b1: f64,
  b2: f64,
  c1: f64,
  c2: f64,
  eps: f64,
): void {
  const B1 = f64x2.splat(b1);
  const OB1 = f64x2.splat(1 - b1);
  const B2 = f64x2.splat(b2);
  const OB2 = f64x2.splat(1 - b2);
  const LR = f64x2.splat(lr);
  const C1 = f64x2.splat(c1);
  const C2 = f64x2.splat(c2);
  const EPS = f64x2.splat(eps);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 2;
    const g = f64x2.promote_low_f32x4(v128.load64_zero(grad + o));
    const mi = f64x2.add(f64x2.mul(B1, f64x2.promote_low_f32x4(v128.load64_zero(m + o))), f64x2.mul(OB1, g));
    const vi = f64x2.add(
      f64x2.mul(B2, f64x2.promote_low_f32x4(v128.load64_zero(v + o))),
      f64x2.mul(f64x2.mul(OB2, g), g),
    );
    v128.store64_lane(m + o, f32x4.demote_f64x2_zero(mi), 0);
    v128.store64_lane(v + o, f32x4.demote_f64x2_zero(vi), 0);
    const step = f64x2.div(f64x2.mul(LR, f64x2.div(mi, C1)), f64x2.add(f64x2.sqrt(f64x2.div(vi, C2)), EPS));
    const th = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(theta + o)), step);
    v128.store64_lane(theta + o, f32x4.demote_f64x2_zero(th), 0);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const g = <f64>load<f32>(grad + o);
    const mi = b1 * <f64>load<f32>(m + o) + (1 - b1) * g;
    const vi = b2 * <f64>load<f32>(v + o) + (1 - b2) * g * g;
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    store<f32>(theta + o, <f32>(<f64>load<f32>(theta + o) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps)));
  }
}

// ---------------------------------------------------------------------------------------------
// A race's step for all its runs in one call each way (workers/cpu/raceFused.ts lays it out): the
// runs share the network's shape and the minibatch, each has its own weights. Per run and layer the
// same calls, in the same order, as the per-run ops of wasmOps.ts make (packT + gemm + activate
// forward; pack + gemm + colSum for dW, db; pack + gemm + the activation's derivative for dX), so
// every float is the one that run trained alone gets; only the JS -> wasm round trips are saved.
//
// Descriptor (i32 words at d): R, L, B, pack, bias, dxA, dxB, then dims[0..L] (layer l maps
// dims[l] -> dims[l + 1]), act[0..L) (codes as activate; -1 for the output layer), wOff[0..L),
// bOff[0..L) (floats into theta), then per run: theta, grad, x, dLogits, then z_l, h_l per layer
// (the output layer's h is its z: the logits). pack: room for the largest packed panel set;
// bias: 8-padded bias; dxA/dxB: two [B, max I] buffers for dX (ping-pong).

const HEAD: i32 = 7;

function word(d: usize, i: i32): i32 {
  return load<i32>(d + ((<usize>i) << 2));
}

function runBase(L: i32, r: i32): i32 {
  return HEAD + (L + 1) + 3 * L + r * (4 + 2 * L);
}

/** Forward pass of every run of the descriptor: z_l = h_{l-1} W_l^T + b_l, h_l = f(z_l). */
export function raceForward(d: usize): void {
  const R = word(d, 0);
  const L = word(d, 1);
  const B = word(d, 2);
  const pp = <usize>word(d, 3);
  const pbias = <usize>word(d, 4);
  for (let r = 0; r < R; r++) {
    const rb = runBase(L, r);
    const theta = <usize>word(d, rb);
    let a = <usize>word(d, rb + 2);
    for (let l = 0; l < L; l++) {
      const I = word(d, HEAD + l);
      const O = word(d, HEAD + l + 1);
      const act = word(d, HEAD + L + 1 + l);
      const pw = theta + ((<usize>word(d, HEAD + L + 1 + L + l)) << 2);
      const pb = theta + ((<usize>word(d, HEAD + L + 1 + 2 * L + l)) << 2);
      const Np = (O + 7) & ~7;
      memory.copy(pbias, pb, (<usize>O) << 2);
      memory.fill(pbias + ((<usize>O) << 2), 0, (<usize>(Np - O)) << 2);
      const z = <usize>word(d, rb + 4 + 2 * l);
      const h = <usize>word(d, rb + 5 + 2 * l);
      packT(pw, O, I, pp);
      gemm(a, I, 1, B, O, I, pp, pbias, z, O);
      if (act >= 0) activate(z, h, B * O, act);
      a = h;
    }
  }
}

/**
 * Backward pass of every run from its dLogits[B, C] (written by the caller between the two calls)
 * to its gradient (all of theta: W and b of each layer; the network has no other parameters here).
 */
export function raceBackward(d: usize): void {
  const R = word(d, 0);
  const L = word(d, 1);
  const B = word(d, 2);
  const pp = <usize>word(d, 3);
  const dxA = <usize>word(d, 5);
  const dxB = <usize>word(d, 6);
  for (let r = 0; r < R; r++) {
    const rb = runBase(L, r);
    const theta = <usize>word(d, rb);
    const grad = <usize>word(d, rb + 1);
    let dz = <usize>word(d, rb + 3);
    for (let l = L - 1; l >= 0; l--) {
      const I = word(d, HEAD + l);
      const O = word(d, HEAD + l + 1);
      const wOff = (<usize>word(d, HEAD + L + 1 + L + l)) << 2;
      const bOff = (<usize>word(d, HEAD + L + 1 + 2 * L + l)) << 2;
      const x = l > 0 ? <usize>word(d, rb + 5 + 2 * (l - 1)) : <usize>word(d, rb + 2);
      // dW[O, I] = dZ^T X, db = column sums of dZ
      pack(x, B, I, I, pp);
      gemm(dz, 1, O, O, I, B, pp, 0, grad + wOff, I);
      colSum(dz, B, O, grad + bOff);
      if (l === 0) break;
      // dX[B, I] = dZ W, then the layer below's activation derivative at its u = z_{l-1}
      const dx = l & 1 ? dxA : dxB;
      pack(theta + wOff, O, I, I, pp);
      gemm(dz, O, 1, B, I, O, pp, 0, dx, I);
      actBackward(
        dx,
        <usize>word(d, rb + 4 + 2 * (l - 1)),
        <usize>word(d, rb + 5 + 2 * (l - 1)),
        B * I,
        word(d, HEAD + L + 1 + l - 1),
      );
      dz = dx;
    }
  }
}
