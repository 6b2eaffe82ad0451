// Reading the step records back without stalling the GPU: each submission ends with a copy of the
// records (and the divergence track and weight flags) into a staging buffer taken from a small
// ring; mapAsync resolves when the GPU has finished that submission, while the next submission may
// already be queued behind it. Nothing is read back inside a step.
import {
  fieldsOf,
  type MetricColumns,
  type MetricSpec,
  STEP_METRICS,
  type StepMetrics,
  widthOf,
} from '../../src/engine/metricsSchema';
import type { BufferPool } from './buffers';
import { type GpuPlan, REC, TRACK_WORDS } from './plan';

export const RING_SIZE = 3;

export class ReadbackRing {
  private readonly free: GPUBuffer[] = [];
  private readonly waiters: ((b: GPUBuffer) => void)[] = [];

  constructor(
    pool: BufferPool,
    readonly bytes: number,
  ) {
    for (let i = 0; i < RING_SIZE; i++) this.free.push(pool.readback(bytes, `readback-${i}`));
  }

  /** A staging buffer, waiting for one to come back when all are in flight. */
  async take(): Promise<GPUBuffer> {
    const b = this.free.pop();
    if (b) return b;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Encode the copy of what a chunk of S steps wrote into a staging buffer: the divergence track
   * and weight flags (from trackOff on) first, then the records of slots 0..S-1 (the first S * R * M
   * words of `rec`), so a short chunk of many runs maps and copies S slots, not all of them.
   */
  copyRecords(enc: GPUCommandEncoder, rec: GPUBuffer, staging: GPUBuffer, plan: GpuPlan, S: number): void {
    const { tail, head, recAt } = stagingLayout(plan, S);
    enc.copyBufferToBuffer(rec, plan.trackOff * 4, staging, 0, tail * 4);
    if (head > 0) enc.copyBufferToBuffer(rec, 0, staging, recAt * 4, head * 4);
  }

  /**
   * Map a staging buffer filled by copyRecords (after its submission), give it back, and return
   * the words at their places in `rec` (records of slots 0..S-1, track, flags; the rest 0).
   */
  async read(b: GPUBuffer, plan: GpuPlan, S: number): Promise<Float32Array> {
    const { tail, head, recAt } = stagingLayout(plan, S);
    try {
      const bytes = (recAt + head) * 4;
      await b.mapAsync(GPUMapMode.READ, 0, bytes);
      const staged = new Float32Array(b.getMappedRange(0, bytes));
      const out = new Float32Array(plan.recSize);
      out.set(staged.subarray(0, tail), plan.trackOff);
      out.set(staged.subarray(recAt, recAt + head), 0);
      b.unmap();
      return out;
    } finally {
      const w = this.waiters.shift();
      if (w) w(b);
      else this.free.push(b);
    }
  }
}

/** Words in a staging buffer: the track and flags (tail), then from recAt (8-byte aligned) S slots of records (head). */
function stagingLayout(plan: GpuPlan, S: number): { tail: number; head: number; recAt: number } {
  const tail = plan.recSize - plan.trackOff;
  return { tail, head: S * plan.R * plan.M, recAt: tail + (tail % 2) };
}

/** The GPU's own words of one (slot, run) record: the minibatch's correct count and the epoch-end evaluation sums. */
export interface SlotRecord {
  /** Word offset of the record in the read-back words. */
  at: number;
  correct: number;
  trainLossSum: number;
  trainCorrect: number;
  valLossSum: number;
  valCorrect: number;
}

export function slotRecord(words: Float32Array, plan: GpuPlan, s: number, r: number): SlotRecord {
  const at = (s * plan.R + r) * plan.M;
  return {
    at,
    correct: words[at + REC.correct],
    trainLossSum: words[at + REC.trainLoss],
    trainCorrect: words[at + REC.trainCorrect],
    valLossSum: words[at + REC.valLoss],
    valCorrect: words[at + REC.valCorrect],
  };
}

const GPU_STEP_FIELDS = fieldsOf(STEP_METRICS).filter((k) => (STEP_METRICS[k] as MetricSpec).gpu !== undefined);

/** The step fields the GPU writes (metricsSchema `gpu`): each record word copied into row i of the columns. */
export function copyGpuFields(
  words: Float32Array,
  plan: GpuPlan,
  at: number,
  out: MetricColumns<StepMetrics>,
  i: number,
): void {
  for (const k of GPU_STEP_FIELDS) {
    const w = widthOf(STEP_METRICS[k], plan.L);
    const col = out.cols[k];
    for (let j = 0; j < w; j++) col[i * w + j] = words[at + plan.rec[k] + j];
  }
}

/**
 * The divergence the GPU recorded for run r, as slots of the chunk that started at global step
 * `step0`: by data loss (track) or by non-finite weights (flags); -1 when none (or not in this chunk).
 * Both hold global steps, so a mark from an earlier chunk never matches a slot of this one.
 */
export function divergence(
  words: Float32Array,
  plan: GpuPlan,
  r: number,
  step0: number,
): { lossSlot: number; weightSlot: number } {
  const u = new Uint32Array(words.buffer, words.byteOffset, words.length);
  const t = plan.trackOff + r * TRACK_WORDS;
  const lossSlot = u[t] !== 0 ? u[t + 1] - step0 : -1;
  let step = -1;
  for (let k = 0; k < plan.nParamSeg; k++) {
    const f = u[plan.flagsOff + r * plan.nParamSeg + k];
    if (f !== 0 && (step < 0 || f - 1 < step)) step = f - 1;
  }
  return { lossSlot, weightSlot: step < 0 ? -1 : step - step0 };
}

/** Track words for run r at the start of a submission, from the host loop's divergence state. */
export function trackWords(firstLoss: number, recent: number[]): Uint32Array<ArrayBuffer> {
  const u = new Uint32Array(TRACK_WORDS);
  const f = new Float32Array(u.buffer);
  f[2] = Number.isNaN(firstLoss) ? Number.NaN : firstLoss;
  u[3] = recent.length;
  u[4] = recent.length % 20;
  recent.forEach((x, i) => {
    f[8 + i] = x;
  });
  return u;
}
