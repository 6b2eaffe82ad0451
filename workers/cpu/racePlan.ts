// A race's fused loss and gradient (raceFused.ts) over the kernels' raceForward / raceBackward
// (wasm/dense.ts): the forward pass, softmax cross-entropy and backward pass of several runs of one
// shape on one batch size, one call into the kernels each way; per run the same kernel calls as
// the per-run ops of wasmOps.ts, so the same floats.
//
// Per group of runs the descriptor and every buffer the calls use live in a region of the kernels'
// memory lent to the group (a "plan", kept by the caller in a RaceCache from step to step), laid
// out once: a step then copies in each distinct batch x[B, I], writes each run's batch slot, and
// runs each run's softmax cross-entropy in the kernels (wasm/softmaxCE.ts: the engine's
// softmaxCrossEntropyInto with V8's exp and log in SIMD, bit for bit) on its logits in place, its
// labels copied into a slot of the plan, so nothing is allocated per step and no other call of the
// ops can overwrite the plan (their arrays start above the lent zone). Without room in the zone a
// step lays the same arrays out in the ops' per-call scratch (every step anew).
//
// Descriptor (i32 words, wasm/dense.ts): R, L, B, pack, bias, dxA, dxB, dims[0..L], act[0..L),
// wOff[0..L), bOff[0..L), then per run theta, grad, x, dLogits, z_l, h_l per layer.
import type { Activation } from '../../src/engine/types';

/**
 * One run of a race's fused step (raceFused.ts): its weights and gradient (both arrays these ops
 * lent, read and written in place), the step's batch x[B, I] and labels y[B].
 */
export interface RaceMember {
  theta: Float32Array;
  grad: Float32Array;
  x: Float32Array;
  y: Int32Array;
}

/** The network shape the runs of a fused step share: widths[0..L], activations of the L - 1 hidden layers, W and b offsets into theta. */
export interface RaceShape {
  widths: number[];
  acts: Activation[];
  wOff: number[];
  bOff: number[];
}

/** What raceLossAndGrad keeps for one group of runs between steps (its plan); dispose() gives its memory back. */
export interface RaceCache {
  plan?: { dispose(): void };
}

/**
 * Writes each run's gradient of the data loss into its `grad` and its data loss and correct count
 * into loss[r], correct[r]; false (nothing done) when an array is not these ops' own or the memory
 * has no room (the caller then steps the runs one by one). `cache`: the group's plan, kept between
 * steps (absent: laid out for this call only).
 */
export type RaceLossAndGrad = (
  shape: RaceShape,
  B: number,
  runs: RaceMember[],
  loss: Float64Array,
  correct: Float64Array,
  cache?: RaceCache,
) => boolean;

/** The kernel's activation codes (wasm/activations.ts). */
export const ACT_CODES: Record<Activation, number> = { linear: 0, relu: 1, leakyRelu: 2, elu: 3, tanh: 4, sigmoid: 5 };

const up8 = (n: number) => (n + 7) & ~7;
const up16 = (bytes: number) => ((bytes + 15) >> 4) << 4;
const HEAD = 7;

/** What the race needs of the ops (wasmOps.ts): the kernels, their memory and its two kinds of room. */
export interface RaceMemory {
  forward(d: number): void;
  backward(d: number): void;
  /**
   * Softmax cross-entropy of logits[B, C] (float32) with labels[B] (int32) into dLogits[B, C]: the
   * mean loss (wasm/softmaxCE.ts, float64 scratch[B C + 2 B]; byte offsets); correct() its count.
   */
  softmaxCE(logits: number, labels: number, B: number, C: number, dLogits: number, scratch: number): number;
  correct(): number;
  memory: WebAssembly.Memory;
  /** Byte offset of `a` when the kernels read it in place, else -1. */
  resident(a: Float32Array): number;
  /** One call's arrays (float counts) in the per-call scratch: byte offsets, or null (no room). */
  layout(counts: number[]): number[] | null;
  alloc(n: number): Float32Array | null;
  release(a: Float32Array): void;
}

interface Plan {
  dispose(): void;
  /** Disposed: its region given back (a step makes a new plan). */
  gone: boolean;
  shape: RaceShape;
  B: number;
  R: number;
  /** Batch slots (distinct x per step at most nx). */
  nx: number;
  buffer: ArrayBufferLike;
  /** The whole memory as floats (the batches are copied in through it). */
  f32: Float32Array;
  d: Int32Array;
  /** Byte offset of the descriptor. */
  at: number;
  px: number[];
  theta: Float32Array[];
  grad: Float32Array[];
  /** Byte offsets of each run's logits and dLogits [B, C]. */
  logits: number[];
  dLogits: number[];
  /** The labels' slot [B] (one run's at a time) and its byte offset; the loss's float64 scratch. */
  labels: Int32Array;
  labelsAt: number;
  scratch: number;
  /** The memory lent to the plan (null: the per-call scratch, valid for one call). */
  region: Float32Array | null;
}

/**
 * The slots' float counts in descriptor order: descriptor words, pack, bias, dxA, dxB, nx batches,
 * per run dLogits, z_l, h_l; then the labels [B] and the loss's scratch (float64 [B C + 2 B]), last
 * so that every other slot keeps its place.
 */
function slotCounts(shape: RaceShape, B: number, R: number, nx: number): number[] {
  const { widths } = shape;
  const L = widths.length - 1;
  let maxPack = 0;
  let maxI = 0;
  for (let l = 0; l < L; l++) {
    const I = widths[l];
    const O = widths[l + 1];
    maxPack = Math.max(maxPack, up8(O) * I, up8(I) * B, up8(I) * O);
    if (l > 0) maxI = Math.max(maxI, I);
  }
  const words = HEAD + (L + 1) + 3 * L + R * (4 + 2 * L);
  const counts = [words, maxPack, up8(Math.max(...widths)), B * maxI, B * maxI];
  for (let j = 0; j < nx; j++) counts.push(B * widths[0]);
  for (let r = 0; r < R; r++) {
    counts.push(B * widths[L]); // dLogits
    for (let l = 0; l < L; l++) counts.push(B * widths[l + 1], l < L - 1 ? B * widths[l + 1] : 0);
  }
  counts.push(B, 2 * (B * widths[L] + 2 * B));
  return counts;
}

/** The fused loss and gradient over `mem` (wasmOps.ts makes one per single-threaded ops). */
export function raceLossAndGradOn(mem: RaceMemory): RaceLossAndGrad {
  /** Byte offsets of the slots inside a lent region (16-byte aligned), or of the per-call scratch. */
  const place = (counts: number[]): { at: number[]; region: Float32Array | null } | null => {
    const bytes = counts.reduce((s, n) => s + up16(n * 4), 0);
    const region = mem.alloc((bytes >> 2) + 4);
    if (!region) {
      const at = mem.layout(counts);
      return at && { at, region: null };
    }
    let p = up16(region.byteOffset);
    const at = counts.map((n) => {
      const q = p;
      p += up16(n * 4);
      return q;
    });
    return { at, region };
  };

  const build = (shape: RaceShape, B: number, runs: RaceMember[], nx: number): Plan | null => {
    const { widths, acts, wOff, bOff } = shape;
    const L = widths.length - 1;
    const R = runs.length;
    for (const m of runs) if (mem.resident(m.theta) < 0 || mem.resident(m.grad) < 0) return null;
    const placed = place(slotCounts(shape, B, R, nx));
    if (!placed) return null;
    const { at, region } = placed;
    const buffer = mem.memory.buffer;
    const d = new Int32Array(buffer, at[0], HEAD + (L + 1) + 3 * L + R * (4 + 2 * L));
    d.set([R, L, B, at[1], at[2], at[3], at[4]]);
    d.set(widths, HEAD);
    for (let l = 0; l < L; l++) {
      d[HEAD + L + 1 + l] = l < L - 1 ? ACT_CODES[acts[l]] : -1;
      d[HEAD + L + 1 + L + l] = wOff[l];
      d[HEAD + L + 1 + 2 * L + l] = bOff[l];
    }
    const plan: Plan = {
      dispose: () => {
        if (region && !plan.gone) mem.release(region);
        plan.gone = true;
      },
      gone: false,
      ...{ shape, B, R, nx, buffer, f32: new Float32Array(buffer), d, at: at[0], region },
      px: at.slice(5, 5 + nx),
      theta: runs.map((m) => m.theta),
      grad: runs.map((m) => m.grad),
      logits: [],
      dLogits: [],
      labels: new Int32Array(buffer, at[at.length - 2], B),
      labelsAt: at[at.length - 2],
      scratch: at[at.length - 1],
    };
    let q = 5 + nx;
    for (let r = 0; r < R; r++) {
      const rb = HEAD + (L + 1) + 3 * L + r * (4 + 2 * L);
      d[rb] = mem.resident(runs[r].theta);
      d[rb + 1] = mem.resident(runs[r].grad);
      d[rb + 3] = at[q++];
      for (let l = 0; l < L; l++) {
        const z = at[q++];
        const h = at[q++];
        d[rb + 4 + 2 * l] = z;
        d[rb + 5 + 2 * l] = l < L - 1 ? h : z;
      }
      plan.dLogits.push(d[rb + 3]);
      plan.logits.push(d[rb + 4 + 2 * (L - 1)]);
    }
    return plan;
  };

  /** Whether `plan` serves this step's runs: the same shape, batch size, weights and gradients, and room for nx batches. */
  const fits = (plan: Plan, shape: RaceShape, B: number, runs: RaceMember[], nx: number) => {
    if (plan.gone || plan.shape !== shape || plan.B !== B || plan.R !== runs.length || plan.nx < nx) return false;
    if (plan.buffer !== mem.memory.buffer) return false;
    for (let r = 0; r < runs.length; r++)
      if (runs[r].theta !== plan.theta[r] || runs[r].grad !== plan.grad[r]) return false;
    return true;
  };

  /** Distinct batches of the step (run r's is that of the first run with the same x). */
  const distinct = (runs: RaceMember[]) => {
    let nx = 0;
    for (let r = 0; r < runs.length; r++) {
      let j = 0;
      while (runs[j].x !== runs[r].x) j++;
      if (j === r) nx++;
    }
    return nx;
  };

  return (shape, B, runs, loss, correct, cache) => {
    const nx = distinct(runs);
    let plan = cache?.plan as Plan | undefined;
    if (!plan || !fits(plan, shape, B, runs, nx)) {
      plan?.dispose();
      if (cache) cache.plan = undefined;
      const made = build(shape, B, runs, nx);
      if (!made) return false;
      plan = made;
      // a plan in the per-call scratch lasts one call: the next op call writes over it
      if (cache && plan.region) cache.plan = plan;
    }
    const { d, px, f32, logits, dLogits, labels } = plan;
    const L = shape.widths.length - 1;
    const C = shape.widths[L];
    // the batches: each distinct x copied into a slot of its own (a race's runs share one)
    let slots = 0;
    for (let r = 0; r < runs.length; r++) {
      let j = 0;
      while (runs[j].x !== runs[r].x) j++;
      const rb = HEAD + (L + 1) + 3 * L + r * (4 + 2 * L);
      if (j === r) {
        d[rb + 2] = px[slots++];
        f32.set(runs[r].x, d[rb + 2] >> 2);
      } else d[rb + 2] = d[HEAD + (L + 1) + 3 * L + j * (4 + 2 * L) + 2];
    }
    mem.forward(plan.at);
    for (let r = 0; r < runs.length; r++) {
      const y = runs[r].y;
      for (let n = 0; n < B; n++) labels[n] = y[n];
      loss[r] = mem.softmaxCE(logits[r], plan.labelsAt, B, C, dLogits[r], plan.scratch);
      correct[r] = mem.correct();
    }
    mem.backward(plan.at);
    return true;
  };
}
