// Encoding one chunk (chunk.ts) into a single command buffer and submitting it: the per-step
// uniform entries, the hyper table, the batch rows (or pre-augmented batches), then S training
// steps of the general path, each followed at epoch ends by the evaluation passes, then a copy of
// the records into a staging buffer of the readback ring. One submission per chunk.
import { trainingBatch } from '../../src/engine/augment';
import type { Dataset } from '../../src/engine/data/dataset';
import type { TrainConfig } from '../../src/engine/types';
import type { Chunk } from './chunk';
import type { TrainVariant } from './general';
import { hyperWords, packHyper, type RunClock } from './hyper';
import type { ReadbackRing } from './metrics';
import { EVAL_ENTRIES, type GpuModel } from './model';
import { STEP_SLOT_BYTES } from './pipelines';
import { encodeOps, type Op } from './resources';

const WORDS_PER_SLOT = STEP_SLOT_BYTES / 4;

export interface Submitted {
  chunk: Chunk;
  /** Resolves to the records, track and flags words once the GPU has run the chunk. */
  words: Promise<Float32Array>;
  dispatches: number;
}

/** Evaluation chunks for one epoch end: the training split, then the validation split. */
export function evalEntries(
  ds: Dataset,
  E: number,
): { split: 'train' | 'val'; rowBase: number; valid: number; first: boolean }[] {
  const out: { split: 'train' | 'val'; rowBase: number; valid: number; first: boolean }[] = [];
  for (const [split, n] of [
    ['train', ds.nTrain],
    ['val', ds.nVal],
  ] as const) {
    for (let b = 0; b < n; b += E) out.push({ split, rowBase: b, valid: Math.min(E, n - b), first: b === 0 });
  }
  return out;
}

/** Inputs of every step of the chunk, augmented on the host exactly as the engine's trainingBatch(). */
function uploadAugmented(
  model: GpuModel,
  chunk: Chunk,
  cfgs: TrainConfig[],
  augmentSeed: number,
  shared: boolean,
): number {
  const { ds } = model;
  const B = model.plan.rows;
  const D = ds.inputDim;
  const perRun = model.slots * B * D;
  const runs = shared ? 1 : cfgs.length;
  const buf = model.augBuffer(runs * perRun);
  const x = new Float32Array(runs * perRun);
  for (let r = 0; r < runs; r++) {
    const src = shared ? chunk.activeSlots.findIndex((a) => a > 0) : r;
    if (src < 0 || chunk.activeSlots[src] === 0) continue;
    for (let s = 0; s < chunk.S; s++) {
      const idx = chunk.rows[src].subarray(s * B, (s + 1) * B);
      const b = trainingBatch(ds, cfgs[src].data, idx, augmentSeed, chunk.step0[src] + s);
      x.set(b.x, r * perRun + s * B * D);
    }
  }
  model.device.queue.writeBuffer(buf, 0, x);
  return shared ? 0 : perRun;
}

/**
 * Encode and submit a chunk. `variantFor(augRun)` gives the kernel variant (it depends on the
 * augmentation layout decided here); `clocks` the per-run step/t/active slots.
 */
export async function submitChunk(
  model: GpuModel,
  chunk: Chunk,
  cfgs: TrainConfig[],
  clocks: RunClock[],
  variant: TrainVariant,
  augmentSeed: number,
  ring: ReadbackRing,
  encodeTraining: ((enc: GPUCommandEncoder, S: number, augRun: number) => number) | null = null,
): Promise<Submitted> {
  const { device } = model;
  const res = model.res;
  const { plan } = res;
  const R = cfgs.length;
  const B = plan.rows;
  const q = device.queue;
  // hyper table and batch rows: only the S slots of this chunk (the kernels read no slot beyond
  // S; a short chunk of many runs then packs and uploads kilobytes, not the whole table)
  const S = chunk.S;
  const hyper = new Uint32Array(hyperWords(R, S));
  const evalFlags = new Uint8Array(S * R);
  chunk.epochEnds.forEach((ends, r) => {
    for (const s of ends) evalFlags[s * R + r] = 1;
  });
  packHyper(hyper, cfgs, clocks, chunk.lrs.subarray(0, S * R), evalFlags);
  q.writeBuffer(res.hyper, 0, hyper);
  // rows [R, slots * B]: run r's S * B rows at r * slots * B
  const runRows = model.slots * B;
  if (S === model.slots) {
    const rows = new Uint32Array(R * runRows);
    for (let r = 0; r < R; r++) rows.set(chunk.rows[r].subarray(0, S * B), r * runRows);
    q.writeBuffer(res.rows, 0, rows);
  } else {
    for (let r = 0; r < R; r++) q.writeBuffer(res.rows, r * runRows * 4, chunk.rows[r], 0, S * B);
  }
  let v = variant;
  if (variant.augmented) {
    const shared = cfgs.every(
      (c, r) => JSON.stringify(c.data) === JSON.stringify(cfgs[0].data) && chunk.step0[r] === chunk.step0[0],
    );
    v = { ...variant, augRun: uploadAugmented(model, chunk, cfgs, augmentSeed, shared) };
  }
  // step entries: training slots, then evaluation chunks
  const entries = evalEntries(model.ds, model.E);
  const slots = new Uint32Array((model.slots + EVAL_ENTRIES) * WORDS_PER_SLOT);
  for (let s = 0; s < chunk.S; s++) slots.set([s, s * B, B, 0], s * WORDS_PER_SLOT);
  let e = model.slots;
  const evalAt: { s: number; entry: number; split: 'train' | 'val' }[] = [];
  for (const s of chunk.evalSlots) {
    for (const c of entries) {
      if (e >= model.slots + EVAL_ENTRIES)
        throw new Error('submitChunk: too many evaluation chunks for one submission');
      slots.set([s, c.rowBase, c.valid, c.first ? 1 : 0], e * WORDS_PER_SLOT);
      evalAt.push({ s, entry: e++, split: c.split });
    }
  }
  q.writeBuffer(res.step, 0, slots, 0, e * WORDS_PER_SLOT);

  const enc = device.createCommandEncoder();
  let dispatches = 0;
  if (encodeTraining) {
    dispatches += encodeTraining(enc, chunk.S, v.augRun);
  } else {
    const ops: Op[] = model.trainOps(v);
    const pass = enc.beginComputePass();
    for (let s = 0; s < chunk.S; s++) {
      dispatches += encodeOps(pass, ops, res.stepGroup, s);
      for (const x of evalAt)
        if (x.s === s) dispatches += encodeOps(pass, model.evalSplitOps(x.split), res.stepGroup, x.entry);
    }
    pass.end();
  }
  const staging = await ring.take();
  ring.copyRecords(enc, res.rec, staging, plan, S);
  q.submit([enc.finish()]);
  return { chunk, words: ring.read(staging, plan, S), dispatches };
}
