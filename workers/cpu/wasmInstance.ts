// Instantiating the WebAssembly kernels (wasmOps.ts): the best build this engine validates, on one
// thread or on a pool of threads sharing the GEMMs (gemmPool.ts). With threads, a call too small to
// share goes to a single-threaded instance of the same build, and an optimizer update to the
// instance that holds the Run's weights; both give the same numbers.
import type { DenseOps } from '../../src/engine';
import { createGemmPool, type GemmPool, MIN_PARALLEL, type PoolOptions } from './gemmPool';
import type { RaceLossAndGrad } from './racePlan';
import { SHARED_MAX_PAGES } from './wasmLimits';
import { type Kernels, type WasmKind, wasmDenseOps } from './wasmOps';

/** Loaded kernels: the ops, which build, how many threads share a GEMM; dispose() ends the helpers. */
export interface LoadedWasmOps {
  ops: DenseOps & { poison(): void; raceLossAndGrad?: RaceLossAndGrad };
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
      const { module, instance } = await WebAssembly.instantiate(b, {});
      const overflow = wasmDenseOps((await WebAssembly.instantiate(module, {})).exports as unknown as Kernels);
      return {
        ops: wasmDenseOps(instance.exports as unknown as Kernels, undefined, undefined, overflow),
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
      // Adam on the instance that holds theta (a Run's, lent by big): fewer copies
      update: {
        adam: (theta, ...rest) => (big.holds(theta) ? big : small).update!.adam!(theta, ...rest),
        adagrad: (theta, ...rest) => (big.holds(theta) ? big : small).update!.adagrad!(theta, ...rest),
        rmsprop: (theta, ...rest) => (big.holds(theta) ? big : small).update!.rmsprop!(theta, ...rest),
      },
      // a Run's weights live in the shared memory, where the products of a step read them in place
      alloc: big.alloc,
      release: big.release,
    };
    return { ops, kind, threads, helped: pool.helped, pool, dispose: pool.dispose };
  }
  return null;
}
