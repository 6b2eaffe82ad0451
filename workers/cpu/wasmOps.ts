// The engine's dense ops (src/engine/dense.ts DenseOps) over the WebAssembly SIMD kernels of
// wasm/dense.ts. Each call copies its float32 operands into the module's memory, packs the
// right-hand matrix into 8-column panels (once per call, i.e. once per weight update in training:
// O(O I) next to the GEMM's O(B O I)), runs the register-blocked GEMM and copies the results out.
// Float64 operands (gradient checks) go to the TypeScript ops unchanged. With threads > 1 the
// shared-memory build runs and the GEMMs are shared by a pool of threads (gemmPool.ts); packing,
// activations and column sums stay on the calling thread, and calls below MIN_PARALLEL multiply-adds
// (and the optimizer loops) run on a single-threaded instance of the same build.
//
// Shapes: X[B, I], W[O, I], b[O], z = h = Y[B, O], dY[B, O], dX[B, I], dW[O, I], db[O].
import { type DenseOps, type FloatArray, tsDenseOps } from '../../src/engine';
import { adamStep } from '../../src/engine/optimizers/adam';
import type { Activation } from '../../src/engine/types';
import { PACK, PACK_T } from './gemmChunks.mjs';
import { createGemmPool, type GemmPool, MIN_PARALLEL, type PackGemmFn, type PoolOptions, packGemmOn } from './gemmPool';
import { SHARED_MAX_PAGES } from './wasmLimits';

/** Which build runs: relaxed SIMD (FMA) where the engine validates it, else plain SIMD. */
export type WasmKind = 'relaxed-simd' | 'simd';

interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  pack(src: number, K: number, N: number, ld: number, dst: number): void;
  packT(src: number, N: number, K: number, dst: number): void;
  gemm(
    a: number,
    rs: number,
    cs: number,
    M: number,
    N: number,
    K: number,
    bp: number,
    bias: number,
    c: number,
    ldc: number,
  ): void;
  activate(z: number, h: number, n: number, act: number): void;
  colSum(dy: number, B: number, O: number, db: number): void;
  reluBackward(dx: number, u: number, n: number): void;
  adam(
    theta: number,
    grad: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
}

/** The kernel's activation codes (wasm/dense.ts, beside this file). */
const ACT_CODES: Record<Activation, number> = { linear: 0, relu: 1, leakyRelu: 2, elu: 3, tanh: 4, sigmoid: 5 };

const up8 = (n: number) => (n + 7) & ~7;

/**
 * Dense ops over an instantiated kernel module; poison() fills its working memory with NaN (tests).
 * `gemm` packs and multiplies (on the pool's threads when shared); `recoveries` counts the pool's
 * stall recoveries (gemmPool.ts): after one, calls are laid out above every byte used so far.
 */
function wasmDenseOps(
  k: Kernels,
  gemm: PackGemmFn = packGemmOn(k),
  recoveries: () => number = () => 0,
): DenseOps & { poison(): void } {
  let base = k.heapBase();
  let f32 = new Float32Array(k.memory.buffer);
  // A bump layout of one call's arrays from `base`; the memory grows to fit (never shrinks).
  let top = base;
  let high = base;
  let seen = 0;
  const layout = (...counts: number[]): number[] => {
    if (recoveries() !== seen) {
      // a helper that stalled in an earlier product may still write there: leave it all behind
      seen = recoveries();
      base = high;
    }
    top = base;
    const at = counts.map((n) => {
      const p = top;
      top += ((n * 4 + 15) >> 4) << 4;
      return p;
    });
    high = Math.max(high, top);
    const need = top - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    if (f32.buffer !== k.memory.buffer) f32 = new Float32Array(k.memory.buffer);
    return at;
  };
  const put = (p: number, a: FloatArray) => f32.set(a, p >> 2);
  // Into the caller's buffer when it gave one (a training step's reused arrays), else a new array:
  // allocating a large array per call costs more than the copy (V8 zero-fills it and collects it).
  const get = (p: number, n: number, into?: Float32Array) => {
    const a = into && into.length === n ? into : new Float32Array(n);
    a.set(f32.subarray(p >> 2, (p >> 2) + n));
    return a;
  };
  // Backward results are views (DenseOps allows it): network.backward copies dW and db into the
  // gradient and reads dX before its next op call, so copying them out here would be waste.
  const view = (p: number, n: number) => f32.subarray(p >> 2, (p >> 2) + n);
  const all32 = (...a: FloatArray[]) => a.every((x) => x instanceof Float32Array);

  return {
    poison: () => new Float32Array(k.memory.buffer, base).fill(Number.NaN),
    forward(X, W, b, B, I, O, act, out) {
      if (!all32(X, W, b)) return tsDenseOps.forward(X, W, b, B, I, O, act);
      const Np = up8(O);
      const [px, pw, pp, pb, pz, ph] = layout(B * I, O * I, Np * I, Np, B * O, act ? B * O : 0);
      put(px, X);
      put(pw, W);
      put(pb, b);
      f32.fill(0, (pb >> 2) + O, (pb >> 2) + Np);
      gemm(PACK_T, pw, I, px, I, 1, B, O, I, pp, pb, pz);
      const z = get(pz, B * O, out?.z);
      if (!act) return { z, h: z };
      k.activate(pz, ph, B * O, ACT_CODES[act]);
      return { z, h: get(ph, B * O, out?.h) };
    },
    backwardX(dY, W, B, I, O) {
      if (!all32(dY, W)) return tsDenseOps.backwardX(dY, W, B, I, O);
      // dX[B, I] = dY[B, O] W[O, I]: B = W as [K = O, N = I].
      const [pd, pw, pp, px] = layout(B * O, O * I, up8(I) * O, B * I);
      put(pd, dY);
      put(pw, W);
      gemm(PACK, pw, I, pd, O, 1, B, I, O, pp, 0, px);
      return view(px, B * I);
    },
    backwardXAct(dY, W, B, I, O, u, act, out) {
      // ReLU only: its derivative is a product with 1 or 0, exact in float32 as in the engine's float64
      if (act !== 'relu' || !all32(dY, W, u)) return undefined;
      const [pd, pw, pp, px, pu] = layout(B * O, O * I, up8(I) * O, B * I, B * I);
      put(pd, dY);
      put(pw, W);
      put(pu, u);
      gemm(PACK, pw, I, pd, O, 1, B, I, O, pp, 0, px);
      k.reluBackward(px, pu, B * I);
      return get(px, B * I, out);
    },
    update: {
      // Adam's loop in float64 SIMD (bit-identical to adamStep; it throws the same error for t < 1).
      // Copying the four vectors in and three out costs a few percent of the TypeScript loop.
      adam(theta, grad, m, v, t, lr, b1, b2, eps) {
        if (!(t >= 1) || !all32(theta, grad, m, v)) return adamStep(theta, grad, m, v, t, lr, b1, b2, eps);
        const P = theta.length;
        const [pt, pg, pm, pv] = layout(P, P, P, P);
        put(pt, theta);
        put(pg, grad);
        put(pm, m);
        put(pv, v);
        k.adam(pt, pg, pm, pv, P, lr, b1, b2, 1 - b1 ** t, 1 - b2 ** t, eps);
        theta.set(view(pt, P));
        m.set(view(pm, P));
        v.set(view(pv, P));
      },
    },
    backwardW(dY, X, B, I, O) {
      if (!all32(dY, X)) return tsDenseOps.backwardW(dY, X, B, I, O);
      // dW[O, I] = dY^T X: A = dY read transposed (row stride 1, column stride O), B = X as [K = B, N = I].
      const [pd, px, pp, pw, pb] = layout(B * O, B * I, up8(I) * B, O * I, O);
      put(pd, dY);
      put(px, X);
      gemm(PACK, px, I, pd, 1, O, O, I, B, pp, 0, pw);
      k.colSum(pd, B, O, pb);
      return { dW: view(pw, O * I), db: view(pb, O) };
    },
  };
}

/** Loaded kernels: the ops, which build, how many threads share a GEMM; dispose() ends the helpers. */
export interface LoadedWasmOps {
  ops: DenseOps & { poison(): void };
  kind: WasmKind;
  threads: number;
  /** Chunks of GEMMs the helper threads ran (0 with one thread). */
  helped(): number;
  /** The pool of threads (threads > 1): how many are alive, helpers rebuilt, stalls recovered. */
  pool?: GemmPool;
  dispose(): void;
}

/**
 * Instantiates the best build this engine validates (relaxed SIMD, then plain SIMD); null when
 * neither validates (no WebAssembly SIMD: the caller keeps the TypeScript ops).
 * `bytes(kind, shared)` reads one build: fetched in the worker, read from the file in Node.
 * threads > 1: the shared-memory build with a pool of threads - 1 helpers (needs SharedArrayBuffer;
 * rejects when a helper does not start); poolOpts: the pool's options (tests).
 */
export async function loadWasmOps(
  bytes: (kind: WasmKind, shared: boolean) => Promise<BufferSource>,
  kinds: WasmKind[] = ['relaxed-simd', 'simd'],
  threads = 1,
  poolOpts: PoolOptions = {},
): Promise<LoadedWasmOps | null> {
  if (typeof WebAssembly === 'undefined') return null;
  const shared = threads > 1;
  for (const kind of kinds) {
    const b = await bytes(kind, shared);
    if (!WebAssembly.validate(b)) continue;
    if (!shared) {
      const { instance } = await WebAssembly.instantiate(b, {});
      return {
        ops: wasmDenseOps(instance.exports as unknown as Kernels),
        kind,
        threads: 1,
        helped: () => 0,
        dispose: () => {},
      };
    }
    const memory = new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true });
    const { module, instance } = await WebAssembly.instantiate(b, { env: { memory } });
    const k = instance.exports as unknown as Kernels;
    const pool = await createGemmPool(module, memory, k, threads, poolOpts);
    const big = wasmDenseOps(k, pool.gemm, pool.recoveries);
    // Calls too small to share go to the same kind's single-threaded build: copies into and out of a
    // SharedArrayBuffer are slower in V8, and nothing is gained from the pool below MIN_PARALLEL.
    const one = await WebAssembly.instantiate(await bytes(kind, false), {});
    const small = wasmDenseOps(one.instance.exports as unknown as Kernels);
    const pick = (B: number, I: number, O: number) => (B * I * O < MIN_PARALLEL ? small : big);
    const ops: LoadedWasmOps['ops'] = {
      poison: () => {
        small.poison();
        big.poison();
      },
      forward: (X, W, b, B, I, O, act, out) => pick(B, I, O).forward(X, W, b, B, I, O, act, out),
      backwardX: (dY, W, B, I, O) => pick(B, I, O).backwardX(dY, W, B, I, O),
      backwardXAct: (dY, W, B, I, O, u, act, out) => pick(B, I, O).backwardXAct!(dY, W, B, I, O, u, act, out),
      backwardW: (dY, X, B, I, O) => pick(B, I, O).backwardW(dY, X, B, I, O),
      update: small.update,
    };
    return { ops, kind, threads, helped: pool.helped, pool, dispose: pool.dispose };
  }
  return null;
}
