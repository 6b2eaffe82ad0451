// The training pump of GpuBackend.train(n): plan a chunk on the host loops (chunk.ts), submit it
// (submit.ts), keep up to PIPELINE_DEPTH chunks in flight, and replay each chunk's records on the
// real loops in order (replay.ts). A chunk that ends at a decision point is replayed before the
// next one is planned.
import type { TrainLoop } from '../../src/engine/loop';
import { EPOCH_METRICS, MetricColumns, STEP_METRICS } from '../../src/engine/metricsSchema';
import { streamSeed } from '../../src/engine/rng';
import type { RunProgress } from '../backend';
import { cloneLoop, planChunk } from './chunk';
import { evaluatedElsewhere, patchEpochEval } from './evalPoint';
import type { TrainVariant } from './general';
import type { ReadbackRing } from './metrics';
import { EVAL_ENTRIES, type GpuModel } from './model';
import type { FusedEncode } from './paths';
import { type HostRun, replayRun } from './replay';
import { evalEntries, type Submitted, submitChunk } from './submit';

/** Chunks in flight at once (a second one is queued while the first one's records map). */
const PIPELINE_DEPTH = 2;

/** The planning side of the host loops: ahead of the real loops by the chunks in flight. */
export interface Planning {
  loops: TrainLoop[];
  /** Optimizer steps (Adam's t) as planned. */
  t: number[];
}

export function planningFrom(runs: HostRun[]): Planning {
  return { loops: runs.map((r) => cloneLoop(r.loop)), t: runs.map((r) => r.optT) };
}

export interface PumpResult {
  progress: RunProgress[];
  steps: number;
  dispatches: number;
  submits: number;
  planning: Planning;
}

export async function pump(
  m: GpuModel,
  runs: HostRun[],
  planning: Planning,
  ring: ReadbackRing,
  variant: TrainVariant,
  fused: FusedEncode | null,
  n: number,
  lost: () => string | null,
): Promise<PumpResult> {
  const cfgs = runs.map((r) => r.cfg);
  // each run's steps and epoch ends over every chunk of this call, as metric columns
  const out = runs.map(() => ({
    steps: new MetricColumns(STEP_METRICS, m.plan.L),
    epochs: new MetricColumns(EPOCH_METRICS, m.plan.L, 8),
  }));
  const pending: Submitted[] = [];
  const evalCost = evalEntries(m.ds, m.E).length;
  const augmentSeed = streamSeed(cfgs[0].seed, 'augment');
  let plan = planning;
  let steps = 0;
  let dispatches = 0;
  let submits = 0;
  const drain = async (all: boolean) => {
    while (pending.length > (all ? 0 : PIPELINE_DEPTH - 1)) {
      const sub = pending.shift()!;
      const words = await sub.words;
      const why = lost();
      if (why) throw new Error(why);
      // runs evaluated away from theta (Schedule-Free's x): their epoch end is the chunk's last slot
      const c = sub.chunk;
      const last = c.S - 1;
      const ends = runs.map(
        (run, r) => evaluatedElsewhere(run.cfg) && last < c.activeSlots[r] && c.epochEnds[r].includes(last),
      );
      const points = ends.some(Boolean)
        ? await patchEpochEval(
            m,
            cfgs,
            ends,
            runs.map((run) => run.optT + c.S),
            last,
            words,
          )
        : [];
      runs.forEach((run, r) => {
        replayRun(run, r, words, c, m, out[r], points[r] ?? null);
      });
    }
  };
  while (steps < n) {
    const active = runs.map((r) => r.loop.state.status === 'ok');
    if (!active.some((a) => a)) break;
    const chunk = planChunk(plan.loops, active, Math.min(m.slots, n - steps), m.plan.rows, evalCost, EVAL_ENTRIES);
    if (chunk.S === 0) break;
    const clocks = runs.map((_, r) => ({ activeSlots: chunk.activeSlots[r], step: chunk.step0[r], t: plan.t[r] }));
    plan.t = plan.t.map((t, r) => t + chunk.activeSlots[r]);
    const sub = await submitChunk(m, chunk, cfgs, clocks, variant, augmentSeed, ring, fused);
    pending.push(sub);
    dispatches += sub.dispatches;
    submits++;
    steps += chunk.S;
    if (chunk.decision) {
      await drain(true);
      plan = planningFrom(runs);
    } else await drain(false);
  }
  await drain(true);
  const progress: RunProgress[] = out.map((o) => ({
    steps: o.steps.takeSeries(),
    epochs: o.epochs.takeSeries(),
    status: 'ok',
    statusStep: -1,
    stepCount: 0,
  }));
  return { progress, steps, dispatches, submits, planning: planningFrom(runs) };
}
