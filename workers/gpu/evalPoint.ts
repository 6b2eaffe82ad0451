// Where a GPU run is evaluated when its rule says it is not theta (the spec's `evalPoint`:
// Schedule-Free trains at y and is evaluated at its average x = (y - (1-b1) z)/b1), as the engine's
// Run.evalWeights (src/engine/trainer.ts) does it:
//   x[P]        = spec.evalPoint(state, y, hp)   from the GPU's theta (y) and m (z) of the run
//   bnStats[SS] = preciseBnStats at x            the mean of the first K = min(50, floor(n/B))
//                                                training batches' statistics (evalPoint.ts)
// Both are computed on the host by the engine's own functions (the same float32 y and z give the
// same x bit for bit; the batch statistics are the engine's float64 sums), then the GPU evaluates the
// model there (evalPass.ts evalPointSums / evaluatePoint / predictAt). Training stays at y: theta,
// m and the running statistics on the GPU are only read.
// Cost per evaluation point: a readback of 2P + SS floats and, with batch norm, K B training-mode
// forward rows on the host, through the CPU backend's WebAssembly kernels where they load (as the
// worker's CPU engine computes them; measured for 784-256-256-10 with two batch-norm layers, B = 32:
// 1.1 s per recomputation against 5-15 s in TypeScript, on this loaded 2-core machine).
import { preciseBnStats } from '../../src/engine/evalPoint';
import { optimizerSpec } from '../../src/engine/optimizers/registry';
import type { TrainConfig } from '../../src/engine/types';
import { wasmOps } from '../cpu/wasmLoad';
import { readBuffer } from './buffers';
import { type EvalPoint, evalPointSums } from './evalPass';
import type { GpuModel } from './model';
import { REC } from './plan';

/** True when runs of this config are evaluated away from theta (the spec has `evalPoint`). */
export const evaluatedElsewhere = (cfg: TrainConfig): boolean =>
  optimizerSpec(cfg.optimizer.name).evalPoint !== undefined;

/**
 * Run r's evaluation point after t >= 0 optimizer steps, or null when it is theta with its
 * running statistics (a rule without evalPoint, or no step yet: Run.evalWeights' rule).
 */
export async function evalPointOf(m: GpuModel, cfg: TrainConfig, r: number, t: number): Promise<EvalPoint | null> {
  const spec = optimizerSpec(cfg.optimizer.name);
  if (!spec.evalPoint || t === 0) return null;
  const { plan, res } = m;
  const { P, SS } = plan;
  const read = async (at: number, n: number) =>
    n === 0 ? new Float32Array(0) : new Float32Array(await readBuffer(m.device, m.pool, res.state, at * 4, n * 4));
  const [y, z, v, stats] = await Promise.all([
    read(plan.theta + r * P, P),
    read(plan.m + r * P, P),
    read(plan.v + r * P, P),
    read(plan.stats + r * SS, SS),
  ]);
  const theta = new Float32Array(P);
  spec.evalPoint({ t, m: z, v }, y, cfg.optimizer, theta);
  const ds = m.ds;
  const ops = m.layout.layers.some((l) => l.batchNorm) ? (await wasmOps())?.ops : undefined;
  preciseBnStats(m.layout, theta, cfg.model, ds.xTrain, ds.nTrain, cfg.batchSize, stats, ops);
  return { theta, bnStats: stats };
}

/**
 * The epoch-end evaluation of the runs evaluated elsewhere, when their epoch ends at the chunk's last
 * slot s (chunk.ts makes every such epoch end a decision point, so the GPU state is that slot's):
 * overwrites their records' train/val sums (the kernels evaluated at theta) with the sums at their
 * evaluation point. `t[r]`: run r's optimizer steps up to slot s. Returns each run's point (or null),
 * for the best-weights copy of early stopping (replay.ts).
 */
export async function patchEpochEval(
  m: GpuModel,
  cfgs: TrainConfig[],
  ends: boolean[],
  t: number[],
  s: number,
  words: Float32Array,
): Promise<(EvalPoint | null)[]> {
  const points = await Promise.all(cfgs.map((c, r) => (ends[r] ? evalPointOf(m, c, r, t[r]) : null)));
  const which = points.flatMap((p, r) => (p ? [r] : []));
  if (which.length === 0) return points;
  const { plan, ds } = m;
  const at = which.map((r) => points[r]!);
  const sub = which.map((r) => cfgs[r]);
  for (const [split, n, lossWord, correctWord] of [
    ['train', ds.nTrain, REC.trainLoss, REC.trainCorrect],
    ['val', ds.nVal, REC.valLoss, REC.valCorrect],
  ] as const) {
    if (n === 0) continue;
    const sums = await evalPointSums(m, sub, at, split);
    which.forEach((r, k) => {
      const rec = (s * plan.R + r) * plan.M;
      words[rec + lossWord] = sums[k][0];
      words[rec + correctWord] = sums[k][1];
    });
  }
  return points;
}
