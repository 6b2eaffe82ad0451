// Time-bounded measurement loops shared by every implementation, so all are timed the same way:
// work is issued in chunks, each chunk ends with a readback (the only honest clock for a GPU),
// and chunks grow until each takes about a tenth of the budget.
//
// The machine is shared (other processes come and go), and load only ever slows a chunk down,
// so the rate reported is the best chunk's; the mean over the whole window is kept beside it.
// Chunks in which one of Descent's epochs ended (a whole-split evaluation, which is not a step
// and which the TF.js loop does not do) are left out of the best rate but kept in the mean.

import { gpuCounts } from './gpuCounters';
import type { MatmulResult, TrainResult, Workload } from './tasks';

/**
 * Does k units of work and resolves once their result is on the CPU; resolves to true when the
 * chunk also did work that is not a unit (an epoch end's whole-split evaluation); anything else means no.
 */
export type Chunk = (k: number) => Promise<unknown>;

export interface Timed {
  units: number;
  ms: number;
  /** Units per millisecond of the fastest chunk that did only units. */
  bestRate: number;
  chunks: number;
  /** Chunks left out of bestRate because they did other work too. */
  mixedChunks: number;
  dispatches: number;
  submits: number;
}

/** A chunk this long or longer is timed well enough for the best rate (see timeChunks). */
export const trustedChunkMs = (budgetMs: number) => Math.min(budgetMs / 50, 10);

/**
 * Runs `chunk` until `budgetMs` have passed and at least `minUnits` units are done. `maxK` caps a
 * chunk's units: a trainer passes half its steps per epoch, so that chunks can fall between two
 * epoch ends whatever the budget (without it, a fast CPU run's chunks at the default budget held an
 * epoch end every time, and its "best rate" silently became the mean with the evaluations in).
 */
export async function timeChunks(chunk: Chunk, budgetMs: number, minUnits = 1, maxK = Infinity): Promise<Timed> {
  const c0 = gpuCounts();
  const t0 = performance.now();
  let units = 0;
  let bestRate = 0;
  let chunks = 0;
  let mixedChunks = 0;
  let k = 1;
  for (;;) {
    const s = performance.now();
    const mixed = (await chunk(k)) === true;
    const took = performance.now() - s;
    units += k;
    chunks++;
    if (mixed) mixedChunks++;
    // Short chunks are not trusted for the best rate: performance.now() is coarsened (~0.1 ms) in a
    // page that is not cross-origin isolated, so 10 ms is timed to 1% even there.
    else if (took >= trustedChunkMs(budgetMs)) bestRate = Math.max(bestRate, k / took);
    const elapsed = performance.now() - t0;
    if (elapsed >= budgetMs && units >= minUnits) break;
    // Aim for chunks of ~budget/25: short enough that most fall between two epoch ends, long
    // enough that the readback closing each stays a small share.
    const perUnit = Math.max(took / k, 1e-3);
    k = Math.max(1, Math.min(k * 4, Math.round(budgetMs / 25 / perUnit), maxK));
  }
  const ms = performance.now() - t0;
  if (bestRate === 0) bestRate = units / ms;
  const c1 = gpuCounts();
  return {
    units,
    ms,
    bestRate,
    chunks,
    mixedChunks,
    dispatches: c1.dispatches - c0.dispatches,
    submits: c1.submits - c0.submits,
  };
}

/** The rates every implementation derives from its timed window of training steps. */
export function stepRates(t: Timed) {
  return {
    steps: t.units,
    ms: t.ms,
    stepsPerSec: 1000 * t.bestRate,
    meanStepsPerSec: (1000 * t.units) / t.ms,
    dispatchesPerStep: t.dispatches / t.units,
    submitsPerStep: t.submits / t.units,
  };
}

/**
 * A peer's training loop (TF.js, jax-js) timed the same way: the first step's time from t0 (the
 * setup before it included), a warm-up, then timed chunks. `steps(k)` does k steps and resolves
 * to the last one's mean loss. The peers cycle through uploaded batches: no epochs.
 */
export async function timePeerTraining(
  steps: (k: number) => Promise<number>,
  t0: number,
  warmupMs: number,
  budgetMs: number,
): Promise<TrainResult> {
  const firstLoss = await steps(1);
  const firstStepMs = performance.now() - t0;
  const warm = performance.now();
  while (performance.now() - warm < warmupMs) await steps(4);
  let lastLoss = Number.NaN;
  const timed = await timeChunks(
    async (k) => {
      lastLoss = await steps(k);
    },
    budgetMs,
    3,
  );
  return { firstStepMs, ...stepRates(timed), epochsInWindow: 0, firstLoss, lastLoss };
}

/** GFLOP/s of an n³ product (2 n³ flops; the bias is not counted) from a timed window of products. */
export function matmulResult(n: number, t: Timed, maxRelErr: number): MatmulResult {
  const flops = 2 * n ** 3;
  const msPerProduct = 1 / t.bestRate;
  return {
    n,
    gflops: flops / (msPerProduct * 1e6),
    meanGflops: (flops * t.units) / (t.ms * 1e6),
    msPerProduct,
    products: t.units,
    maxRelErr,
  };
}

/** A seeded generator for the synthetic data (mulberry32), so every implementation sees the same numbers. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values uniform in [-1, 1). */
export function uniformArray(n: number, seed: number): Float32Array<ArrayBuffer> {
  const r = seeded(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * r() - 1;
  return out;
}

/**
 * Checks sampled outputs of Y[n, n] = X W^T + b against a float64 product:
 * returns max |y - ref| / (1 + |ref|), so a kernel that skipped work cannot post a speed.
 */
export function matmulError(Y: Float32Array, X: Float32Array, W: Float32Array, b: Float32Array, n: number): number {
  const r = seeded(99);
  let worst = 0;
  for (let s = 0; s < 64; s++) {
    const i = Math.floor(r() * n);
    const o = Math.floor(r() * n);
    let ref = b[o];
    for (let k = 0; k < n; k++) ref += X[i * n + k] * W[o * n + k];
    worst = Math.max(worst, Math.abs(Y[i * n + o] - ref) / (1 + Math.abs(ref)));
  }
  return worst;
}

/** Inputs of the matmul rows: X[n, n], W[n, n] (row-major, W as [O, I] like the engine), b[n]. */
export function matmulInputs(n: number): {
  X: Float32Array<ArrayBuffer>;
  W: Float32Array<ArrayBuffer>;
  b: Float32Array<ArrayBuffer>;
} {
  return { X: uniformArray(n * n, 1), W: uniformArray(n * n, 2), b: uniformArray(n, 3) };
}

/**
 * The synthetic classification set of a workload: inputs uniform in [-1, 1)^I, labels from a fixed
 * random linear teacher (argmax), so the loss can fall and each implementation gets the same data.
 */
export function syntheticSet(samples: number, inputs: number, classes: number): { x: Float32Array; y: Int32Array } {
  const x = uniformArray(samples * inputs, 11);
  const teacher = uniformArray(classes * inputs, 12);
  const y = new Int32Array(samples);
  for (let s = 0; s < samples; s++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < classes; c++) {
      let v = 0;
      for (let i = 0; i < inputs; i++) v += teacher[c * inputs + i] * x[s * inputs + i];
      if (v > bestV) [best, bestV] = [c, v];
    }
    y[s] = best;
  }
  return { x, y };
}

export interface BenchSplit {
  I: number;
  C: number;
  nTrain: number;
  nVal: number;
  xTrain: Float32Array; // [nTrain, I]
  yTrain: Int32Array; // [nTrain]
  xVal: Float32Array; // [nVal, I]
  yVal: Int32Array; // [nVal]
}

/** The workload's data for every implementation: `samples` training rows and a small validation split. */
export function benchSplit(w: Workload): BenchSplit {
  const [I, C] = [w.widths[0], w.widths[w.widths.length - 1]];
  const nTrain = w.samples;
  const nVal = 256;
  const all = syntheticSet(nTrain + nVal, I, C);
  return {
    I,
    C,
    nTrain,
    nVal,
    xTrain: all.x.slice(0, nTrain * I),
    yTrain: all.y.slice(0, nTrain),
    xVal: all.x.slice(nTrain * I),
    yVal: all.y.slice(nTrain),
  };
}

/** The peers' initial weights: Xavier-normal from a seeded stream (W as [I, O], the dense-layer convention of TF.js and jax-js), zero biases. */
export function denseInit(widths: number[]): Float32Array[] {
  const r = seeded(7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const arrays: Float32Array[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const [I, O] = [widths[l], widths[l + 1]];
    const std = Math.sqrt(2 / (I + O));
    arrays.push(
      Float32Array.from({ length: I * O }, () => std * gauss()),
      new Float32Array(O),
    );
  }
  return arrays;
}
