// The per-run hyperparameter table the training kernels read (kernels/lib/step.wgsl documents the
// same word layout): one 32-word row per run, then the learning rate of every (step slot, run).
// Adam's bias corrections 1 - b^t and the complements 1 - b are computed here in float64, as
// the engine does, rather than in f32 on the GPU.
// Written with queue.writeBuffer before each submission, so live changes (setHyper) and the
// schedule's learning rate reach the GPU without rebuilding anything.
import { streamSeed } from '../../src/engine/rng';
import { OPTIMIZER_NAMES, type TrainConfig } from '../../src/engine/types';

/** Words per run row (HS in lib/step.wgsl). */
export const HS = 48;
/** Words per (slot, run) entry: lr, 1 - beta1^t, 1 - beta2^t, 1 when the run's epoch ends at this slot. */
export const SLOT_WORDS = 4;
/** Hidden layers whose drop probability fits in a row (words 32..47). */
export const MAX_HIDDEN = 16;

export interface RunClock {
  /** Slots of the coming submission in which this run trains (0 = frozen: diverged, stopped, finished). */
  activeSlots: number;
  /** Global 0-based step of slot 0 of the coming submission (the dropout hash's step). */
  step: number;
  /** Optimizer steps taken before slot 0 (Adam's t of slot s is t + s + 1). */
  t: number;
}

/** Words of the table for R runs and up to `slots` steps per submission. */
export function hyperWords(R: number, slots: number): number {
  return R * HS + slots * R * SLOT_WORDS;
}

/**
 * Fill `out` (a Uint32Array of hyperWords(R, slots) words) for R runs; lrs[s * R + r] is the
 * scheduled learning rate of run r at slot s (slots = lrs.length / R); evalFlags[s * R + r] marks
 * epoch ends (the fused kernel evaluates there).
 */
export function packHyper(
  out: Uint32Array,
  cfgs: TrainConfig[],
  clocks: RunClock[],
  lrs: Float64Array | Float32Array,
  evalFlags: Uint8Array | null = null,
): void {
  const R = cfgs.length;
  const f = new Float32Array(out.buffer, out.byteOffset, out.length);
  out.fill(0);
  for (let r = 0; r < R; r++) {
    const c = cfgs[r];
    const o = r * HS;
    const opt = OPTIMIZER_NAMES.indexOf(c.optimizer.name);
    if (opt < 0) throw new Error(`optimizer.name: unknown optimizer '${c.optimizer.name}'`);
    if (c.model.hidden.length > MAX_HIDDEN)
      throw new Error(`model.hidden: the WebGPU backend supports at most ${MAX_HIDDEN} hidden layers`);
    out[o] = opt;
    out[o + 1] = clocks[r].activeSlots;
    out[o + 2] = clocks[r].step >>> 0;
    out[o + 3] = clocks[r].t >>> 0;
    f[o + 4] = c.optimizer.momentum;
    f[o + 5] = c.optimizer.beta1;
    f[o + 6] = c.optimizer.beta2;
    f[o + 7] = c.optimizer.rho;
    f[o + 8] = c.optimizer.eps;
    f[o + 9] = c.optimizer.weightDecay;
    f[o + 10] = c.reg.l2;
    f[o + 11] = c.reg.l1;
    f[o + 12] = c.reg.l1Act;
    f[o + 13] = c.clipNorm;
    out[o + 14] = streamSeed(c.seed, 'dropout');
    out[o + 15] = c.model.dropoutKind === 'gaussian' ? 1 : 0;
    f[o + 16] = 1 - c.optimizer.beta1;
    f[o + 17] = 1 - c.optimizer.beta2;
    f[o + 18] = 1 - c.optimizer.rho;
    out[o + 19] = c.reg.decayBiases ? 1 : 0;
    f[o + 20] = c.model.bnMomentum;
    f[o + 21] = c.model.bnEps;
    c.model.hidden.forEach((h, l) => {
      f[o + 32 + l] = h.dropout;
    });
  }
  const slots = lrs.length / R;
  for (let s = 0; s < slots; s++) {
    for (let r = 0; r < R; r++) {
      const o = R * HS + (s * R + r) * SLOT_WORDS;
      const t = clocks[r].t + s + 1;
      f[o] = lrs[s * R + r];
      f[o + 1] = 1 - cfgs[r].optimizer.beta1 ** t;
      f[o + 2] = 1 - cfgs[r].optimizer.beta2 ** t;
      f[o + 3] = evalFlags?.[s * R + r] ? 1 : 0;
    }
  }
}
