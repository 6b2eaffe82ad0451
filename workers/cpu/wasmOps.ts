// The engine's dense ops (src/engine/dense.ts DenseOps) over the WebAssembly SIMD kernels of
// wasm/dense.ts. Each call copies its float32 operands into the module's memory, packs the
// right-hand matrix into 8-column panels (once per call, i.e. once per weight update in training:
// O(O I) next to the GEMM's O(B O I)), runs the register-blocked GEMM and copies the results out.
// A Run's weights are not copied: they live in the module's memory (DenseOps.alloc lends the Run
// its theta there), and a call reads W, and Adam its theta, in place; the numbers are the same.
// Float64 operands (gradient checks) go to the TypeScript ops unchanged. With threads > 1 the
// shared-memory build runs and the GEMMs, with their packing, are shared by a pool of threads
// (gemmPool.ts); activations and column sums stay on the calling thread, and calls below
// MIN_PARALLEL multiply-adds (and the optimizer loops) run on a single-threaded instance of the same build
// (the instances are made and wired in wasmInstance.ts).
//
// Shapes: X[B, I], W[O, I], b[O], z = h = Y[B, O], dY[B, O], dX[B, I], dW[O, I], db[O].
import { type DenseOps, type FloatArray, tsDenseOps } from '../../src/engine';
import { adagradStep } from '../../src/engine/optimizers/adagrad';
import { adamStep } from '../../src/engine/optimizers/adam';
import { rmspropStep } from '../../src/engine/optimizers/rmsprop';
import { type ChunkKernels, PACK, PACK_T } from './gemmChunks.mjs';
import { type PackGemmFn, packGemmOn } from './gemmPool';
import { ACT_CODES, type RaceLossAndGrad, raceLossAndGradOn } from './racePlan';

export type { RaceCache, RaceLossAndGrad, RaceMember, RaceShape } from './racePlan';

/** Which build runs: relaxed SIMD (FMA) where the engine validates it, else plain SIMD. */
export type WasmKind = 'relaxed-simd' | 'simd';

/** The module's exports: the pool's gemm and packings (ChunkKernels, one declaration) and the rest. */
export interface Kernels extends ChunkKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
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
  rootStep(theta: number, grad: number, cache: number, n: number, lr: number, a: number, b: number, eps: number): void;
  raceForward(desc: number): void;
  raceBackward(desc: number): void;
  softmaxCE(
    logits: number,
    labels: number,
    B: number,
    C: number,
    dLogits: number,
    scratch: number,
    simd: number,
  ): number;
  softmaxCorrect(): number;
}

const up8 = (n: number) => (n + 7) & ~7;
const up16 = (bytes: number) => ((bytes + 15) >> 4) << 4;

/**
 * Bytes set aside, at the first DenseOps.alloc of n floats, for arrays the products read in place
 * (Runs' weights): room for four such arrays (a race's runs), within [16, 64] MiB.
 */
export const residentBytes = (n: number) => Math.min(64 << 20, Math.max(16 << 20, 16 * n));
/**
 * Working room reserved with them in a memory that cannot grow while they live: growing a
 * non-shared memory detaches its buffer (every view of it, the weights too), so afterwards a call
 * that needs more runs on a second instance (`overflow`), copying as before.
 */
export const SCRATCH_BYTES = 16 << 20;

type WasmDenseOps = DenseOps & {
  poison(): void;
  /** A race's fused step (single-threaded ops only). */
  raceLossAndGrad?: RaceLossAndGrad;
  /** Whether `a` is an array these ops lent (read in place). */
  holds(a: FloatArray): boolean;
};

/**
 * Dense ops over an instantiated kernel module; poison() fills its working memory with NaN (tests).
 * `gemm` packs and multiplies (on the pool's threads when shared); `recoveries` counts the pool's
 * stall recoveries (gemmPool.ts): after one, calls are laid out above every byte used so far.
 * Memory: [heap base, zone end) the resident arrays (alloc/release, first fit), then one call's
 * arrays from `base` (a bump layout, rewritten by every call). `overflow` (non-shared memories):
 * the ops that take a call that would have to grow the memory while resident arrays live.
 */
export function wasmDenseOps(
  k: Kernels,
  gemm: PackGemmFn = packGemmOn(k),
  recoveries: () => number = () => 0,
  overflow?: WasmDenseOps,
): WasmDenseOps {
  const shared = typeof SharedArrayBuffer !== 'undefined' && k.memory.buffer instanceof SharedArrayBuffer;
  const zoneStart = k.heapBase();
  let zoneEnd = zoneStart;
  /** Free ranges of the zone [at, end), by address; lent ranges by address. */
  const free: [number, number][] = [];
  const lent = new Map<number, number>();
  /** Every buffer this memory has had (a shared memory's old buffers still see it). */
  const buffers = new Set<ArrayBufferLike>([k.memory.buffer]);
  let base = zoneStart;
  let f32 = new Float32Array(k.memory.buffer);
  const refresh = () => {
    if (f32.buffer === k.memory.buffer) return;
    f32 = new Float32Array(k.memory.buffer);
    buffers.add(k.memory.buffer);
  };
  const grow = (end: number) => {
    const need = end - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    refresh();
  };
  let top = base;
  let high = base;
  let seen = 0;
  /** One call's arrays from `base` (0 floats: no slot); null when the memory may not grow to fit. */
  const layout = (...counts: number[]): number[] | null => {
    if (recoveries() !== seen) {
      // a helper that stalled in an earlier product may still write there: leave it all behind
      seen = recoveries();
      base = high;
    }
    top = base;
    const at = counts.map((n) => {
      const p = top;
      top += up16(n * 4);
      return p;
    });
    if (top > k.memory.buffer.byteLength && lent.size > 0 && !shared && overflow) return null;
    high = Math.max(high, top);
    grow(top);
    return at;
  };
  /** Byte offset of `a` when it lies in the zone of this memory (read in place), else -1. */
  const resident = (a: FloatArray) =>
    a instanceof Float32Array &&
    buffers.has(a.buffer) &&
    a.byteOffset >= zoneStart &&
    a.byteOffset + a.byteLength <= zoneEnd
      ? a.byteOffset
      : -1;
  const put = (p: number, a: FloatArray) => {
    if (resident(a) !== p) f32.set(a, p >> 2);
  };
  /** Where a (n floats) is read from: in place when resident, else a slot of the layout (0 floats when resident). */
  const slot = (a: FloatArray, n: number) => (resident(a) >= 0 ? 0 : n);
  const place = (a: FloatArray, p: number) => {
    const r = resident(a);
    return r >= 0 ? r : p;
  };
  const giveBack = (at: number) => {
    const bytes = lent.get(at);
    if (bytes === undefined) return;
    lent.delete(at);
    free.push([at, at + bytes]);
    free.sort((x, y) => x[0] - y[0]);
    for (let i = free.length - 1; i > 0; i--)
      if (free[i - 1][1] === free[i][0]) {
        free[i - 1][1] = free[i][1];
        free.splice(i, 1);
      }
  };
  // a Run dropped without dispose() (a throwaway run) gives its range back once collected
  const unreleased = new FinalizationRegistry<number>(giveBack);
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
  // fixed arity, no rest array: asked on every product and update call (absent arrays repeat b)
  const all32 = (a: FloatArray, b: FloatArray, c: FloatArray = b, d: FloatArray = b) =>
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array && d instanceof Float32Array;

  // An optimizer loop's float32 vectors of one length (theta, grad, the rule's state: vec[0, n)) and
  // where the kernel reads each (vp): in place when resident, else a slot of the layout, copied in by
  // placeVectors and back out by vectorsBack (the grad is only read). Fixed arrays, no per-call
  // ones or closures: three of a race's six runs take this path every step.
  const NONE = new Float32Array(0);
  const vec: Float32Array<ArrayBufferLike>[] = [NONE, NONE, NONE, NONE];
  const vp = [0, 0, 0, 0];
  const copied = [false, false, false, false];
  /** Places theta, grad and one or two state vectors; false when the memory has no room (the caller goes to `overflow`). */
  const placeVectors = (theta: FloatArray, grad: FloatArray, s1: FloatArray, s2: FloatArray = NONE): boolean => {
    vec[0] = theta as Float32Array;
    vec[1] = grad as Float32Array;
    vec[2] = s1 as Float32Array;
    vec[3] = s2 as Float32Array;
    const P = theta.length;
    let copies = 0;
    for (let i = 0; i < 4; i++) {
      vp[i] = resident(vec[i]);
      copied[i] = vp[i] < 0 && vec[i] !== NONE;
      if (copied[i]) copies++;
    }
    if (copies === 0) return true;
    const at = layout(slot(theta, P), slot(grad, P), slot(s1, P), s2 === NONE ? 0 : slot(s2, P));
    if (!at) return false;
    for (let i = 0; i < 4; i++)
      if (copied[i]) {
        vp[i] = at[i];
        f32.set(vec[i], at[i] >> 2);
      }
    return true;
  };
  /** Copies the vectors that were copied in back out (all but the grad), and lets go of them. */
  const vectorsBack = () => {
    const P = vec[0].length;
    for (let i = 0; i < 4; i++) {
      if (i !== 1 && copied[i]) vec[i].set(view(vp[i], P));
      vec[i] = NONE;
    }
  };

  const ops: WasmDenseOps = {
    poison: () => new Float32Array(k.memory.buffer, base).fill(Number.NaN),
    holds: (a) => resident(a) >= 0,
    alloc(n, state) {
      // an optimizer's state vector only while small (at most 1/64 of the zone): a big net's weights
      // and gradients, which every product reads, keep the room
      const room = zoneEnd > zoneStart ? zoneEnd - zoneStart : up16(residentBytes(n));
      if (state && up16(n * 4) * 64 > room) return null;
      if (zoneEnd === zoneStart) {
        // the zone, once; the memory grows now, while nothing lent can be detached
        const zone = up16(residentBytes(n));
        const from = Math.max(base, high, zoneStart + zone);
        try {
          grow(from + (shared ? 0 : SCRATCH_BYTES));
        } catch {
          return null; // no room for it on this device: the Run keeps its own array
        }
        zoneEnd = zoneStart + zone;
        free.push([zoneStart, zoneEnd]);
        base = high = from;
      }
      const bytes = up16(Math.max(1, n) * 4);
      const i = free.findIndex(([at, end]) => end - at >= bytes);
      if (i < 0) return null;
      const at = free[i][0];
      if (free[i][1] - at === bytes) free.splice(i, 1);
      else free[i][0] += bytes;
      lent.set(at, bytes);
      const a = new Float32Array(k.memory.buffer, at, n);
      a.fill(0);
      unreleased.register(a, at, a);
      return a;
    },
    release(a) {
      unreleased.unregister(a);
      giveBack(resident(a));
    },
    forward(X, W, b, B, I, O, act, out) {
      if (!all32(X, W, b)) return tsDenseOps.forward(X, W, b, B, I, O, act);
      const Np = up8(O);
      // X and W read in place when lent. z and h are always copied out of the call's own slots:
      // a helper thread that stalled (gemmPool.ts) may still write there late, never into lent arrays.
      const at = layout(slot(X, B * I), slot(W, O * I), Np * I, Np, B * O, act ? B * O : 0);
      if (!at) return overflow!.forward(X, W, b, B, I, O, act, out);
      const [, , pp, pb, pz, ph] = at;
      const px = place(X, at[0]);
      const pw = place(W, at[1]);
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
      const at = layout(B * O, slot(W, O * I), up8(I) * O, B * I);
      if (!at) return overflow!.backwardX(dY, W, B, I, O);
      const [pd, , pp, px] = at;
      const pw = place(W, at[1]);
      put(pd, dY);
      put(pw, W);
      gemm(PACK, pw, I, pd, O, 1, B, I, O, pp, 0, px);
      return view(px, B * I);
    },
    backwardXAct(dY, W, B, I, O, u, act, out) {
      // ReLU only: its derivative is a product with 1 or 0, exact in float32 as in the engine's float64
      if (act !== 'relu' || !all32(dY, W, u)) return undefined;
      const at = layout(B * O, slot(W, O * I), up8(I) * O, B * I, B * I);
      if (!at) return overflow!.backwardXAct!(dY, W, B, I, O, u, act, out);
      const [pd, , pp, px, pu] = at;
      const pw = place(W, at[1]);
      put(pd, dY);
      put(pw, W);
      put(pu, u);
      gemm(PACK, pw, I, pd, O, 1, B, I, O, pp, 0, px);
      k.reluBackward(px, pu, B * I);
      return get(px, B * I, out);
    },
    update: {
      // Adam's loop in float64 SIMD (bit-identical to adamStep; it throws the same error for t < 1).
      // Copying the vectors in and out (those not resident) costs a few percent of the TypeScript loop.
      adam(theta, grad, m, v, t, lr, b1, b2, eps) {
        if (!(t >= 1) || !all32(theta, grad, m, v)) return adamStep(theta, grad, m, v, t, lr, b1, b2, eps);
        if (!placeVectors(theta, grad, m, v)) return overflow!.update!.adam!(theta, grad, m, v, t, lr, b1, b2, eps);
        k.adam(vp[0], vp[1], vp[2], vp[3], theta.length, lr, b1, b2, 1 - b1 ** t, 1 - b2 ** t, eps);
        vectorsBack();
      },
      // Adagrad's and RMSprop's loops: one kernel, c = a c + (b g) g (wasm/rootStep.ts), bit-identical
      adagrad(theta, grad, cache, lr, eps) {
        if (!all32(theta, grad, cache)) return adagradStep(theta, grad, cache, lr, eps);
        if (!placeVectors(theta, grad, cache)) return overflow!.update!.adagrad!(theta, grad, cache, lr, eps);
        k.rootStep(vp[0], vp[1], vp[2], theta.length, lr, 1, 1, eps);
        vectorsBack();
      },
      rmsprop(theta, grad, cache, lr, rho, eps) {
        if (!all32(theta, grad, cache)) return rmspropStep(theta, grad, cache, lr, rho, eps);
        if (!placeVectors(theta, grad, cache)) return overflow!.update!.rmsprop!(theta, grad, cache, lr, rho, eps);
        k.rootStep(vp[0], vp[1], vp[2], theta.length, lr, rho, 1 - rho, eps);
        vectorsBack();
      },
    },
    backwardW(dY, X, B, I, O) {
      if (!all32(dY, X)) return tsDenseOps.backwardW(dY, X, B, I, O);
      // dW[O, I] = dY^T X: A = dY read transposed (row stride 1, column stride O), B = X as [K = B, N = I].
      const at = layout(B * O, B * I, up8(I) * B, O * I, O);
      if (!at) return overflow!.backwardW(dY, X, B, I, O);
      const [pd, px, pp, pw, pb] = at;
      put(pd, dY);
      put(px, X);
      gemm(PACK, px, I, pd, 1, O, O, I, B, pp, 0, pw);
      k.colSum(pd, B, O, pb);
      return { dW: view(pw, O * I), db: view(pb, O) };
    },
  };
  ops.raceLossAndGrad = raceLossAndGradOn({
    forward: (d) => k.raceForward(d),
    backward: (d) => k.raceBackward(d),
    softmaxCE: (logits, labels, B, C, dLogits, scratch) => k.softmaxCE(logits, labels, B, C, dLogits, scratch, 1),
    correct: () => k.softmaxCorrect(),
    memory: k.memory,
    resident,
    layout: (counts) => layout(...counts),
    alloc: ops.alloc!,
    release: ops.release!,
  });
  return ops;
}
