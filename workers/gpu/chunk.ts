// Planning a submission ("chunk") of up to S training steps for R runs, on the host, from each
// run's TrainLoop (src/engine/loop.ts: the same bookkeeping as the CPU Run): which training rows
// every step uses, its learning rate, and where epochs end. The GPU then runs the whole chunk
// without the host; the host replays the loops from the records read back afterwards.
//
// A chunk ends early at a "decision point": an epoch end whose evaluation changes what happens
// next (reduce-on-plateau, early stopping, maxEpochs). Other epoch ends are evaluated inside the
// chunk and only reported.
import { TrainLoop } from '../../src/engine/loop';
import { optimizerSpec } from '../../src/engine/optimizers/registry';
import type { TrainConfig } from '../../src/engine/types';

export interface Chunk {
  /** Steps in this chunk (slots 0..S-1). */
  S: number;
  /** Per run: rows of the training split for slot s at [s * B, (s + 1) * B). */
  rows: Int32Array<ArrayBuffer>[];
  /** lrs[s * R + r]: the scheduled learning rate. */
  lrs: Float64Array;
  /** Per run: slots it trains in (0 when its status is not 'ok'). */
  activeSlots: number[];
  /** Per run: the loop's step count at slot 0. */
  step0: number[];
  /** Per run: slots after which an epoch ends. */
  epochEnds: number[][];
  /** Slots after which some run ends an epoch (the evaluation passes are encoded there). */
  evalSlots: number[];
  /** True when the chunk stops at a decision point: replay it before planning further. */
  decision: boolean;
}

/**
 * An epoch end whose evaluation decides the future of the run, or that the host evaluates: a rule
 * evaluated away from theta (Schedule-Free's x, evalPoint.ts) is evaluated after its chunk, at the
 * state of the chunk's last slot.
 */
export function isDecision(cfg: TrainConfig, epochsDone: number): boolean {
  return (
    cfg.schedule.kind === 'plateau' ||
    cfg.earlyStop.enabled ||
    (cfg.maxEpochs > 0 && epochsDone >= cfg.maxEpochs) ||
    optimizerSpec(cfg.optimizer.name).evalPoint !== undefined
  );
}

/** A loop with the same configuration and state (its epoch order is recomputed on demand). */
export function cloneLoop(l: TrainLoop): TrainLoop {
  const c = new TrainLoop(l.cfg, l.nTrain, l.shuffleSeed);
  c.state = structuredClone(l.state);
  return c;
}

/**
 * Advance the planning loops (ahead of the host's real loops) by up to maxSteps steps.
 * `active[r]`: run r trains (status 'ok'). `evalCost` step-uniform entries are needed after every
 * epoch end; `budget` entries are available beyond the training slots.
 */
export function planChunk(
  loops: TrainLoop[],
  active: boolean[],
  maxSteps: number,
  B: number,
  evalCost: number,
  budget: number,
): Chunk {
  const R = loops.length;
  const rows = loops.map(() => new Int32Array(maxSteps * B));
  const lrs = new Float64Array(maxSteps * R);
  const epochEnds: number[][] = loops.map(() => []);
  const evalSlots: number[] = [];
  const step0 = loops.map((l) => l.state.step);
  let S = 0;
  let decision = false;
  let used = 0;
  while (S < maxSteps && !decision && active.some((a) => a)) {
    if (used + evalCost > budget) break;
    let ended = false;
    for (let r = 0; r < R; r++) {
      if (!active[r]) continue;
      const l = loops[r];
      const idx = l.nextBatch();
      if (idx.length !== B) throw new Error(`run ${r}: batch of ${idx.length} rows, the GPU buffers hold ${B}`);
      rows[r].set(idx, S * B);
      lrs[S * R + r] = l.nextLr();
      if (l.afterStep()) {
        epochEnds[r].push(S);
        ended = true;
        if (isDecision(l.cfg, l.state.epoch)) decision = true;
      }
    }
    if (ended) {
      evalSlots.push(S);
      used += evalCost;
    }
    S++;
  }
  return { S, rows, lrs, activeSlots: active.map((a) => (a ? S : 0)), step0, epochEnds, evalSlots, decision };
}
