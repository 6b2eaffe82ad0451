// A run's whole state (src/engine/snapshot.ts) out of and into the GPU: theta, the optimizer's m
// and v, the batch-norm running statistics (plan.ts: sections of the `state` buffer, [R, P] and
// [R, SS]) and the best-weights copy (model.ts bestBuffer: [R, P] then [R, SS]), plus the host
// side (replay.ts HostRun: the TrainLoop's state and the optimizer's t). The GPU keeps m and v
// only, so a snapshot with extra optimizer buffers is refused (validateSnapshot names it).
// Called between train() calls, when no chunk is in flight: the host loops are the GPU's truth.
import { type RunSnapshot, SNAPSHOT_VERSION, validateSnapshot } from '../../src/engine/snapshot';
import { readBuffer } from './buffers';
import type { GpuModel } from './model';
import type { HostRun } from './replay';

/** n floats of `buf` from float offset `at` (nothing read when n = 0). */
async function readFloats(m: GpuModel, buf: GPUBuffer, at: number, n: number): Promise<Float32Array> {
  if (n === 0) return new Float32Array(0);
  return new Float32Array(await readBuffer(m.device, m.pool, buf, at * 4, n * 4));
}

export async function exportRun(m: GpuModel, run: HostRun, r: number): Promise<RunSnapshot> {
  const { plan, res } = m;
  const { P, SS } = plan;
  const read = (at: number, n: number) => readFloats(m, res.state, at, n);
  const best = run.hasBest ? m.bestBuffer() : null;
  return {
    version: SNAPSHOT_VERSION,
    optimizer: run.cfg.optimizer.name,
    theta: await read(plan.theta + r * P, P),
    bnStats: await read(plan.stats + r * SS, SS),
    opt: { t: run.optT, m: await read(plan.m + r * P, P), v: await read(plan.v + r * P, P), extra: {} },
    loop: structuredClone(run.loop.state),
    best: best && {
      theta: await readFloats(m, best, r * P, P),
      bnStats: await readFloats(m, best, plan.R * P + r * SS, SS),
    },
  };
}

/** Validates s against run r (throws naming the field, before any write), then writes it. */
export function importRun(m: GpuModel, run: HostRun, r: number, s: RunSnapshot): void {
  const { plan, res } = m;
  const { P, SS } = plan;
  validateSnapshot(s, { P, SS, optimizer: run.cfg.optimizer.name, extra: [] });
  const q = m.device.queue;
  const write = (buf: GPUBuffer, at: number, a: Float32Array) => {
    if (a.length > 0) q.writeBuffer(buf, at * 4, a.slice());
  };
  write(res.state, plan.theta + r * P, s.theta);
  write(res.state, plan.stats + r * SS, s.bnStats);
  write(res.state, plan.m + r * P, s.opt.m);
  write(res.state, plan.v + r * P, s.opt.v);
  if (s.best) {
    const best = m.bestBuffer();
    write(best, r * P, s.best.theta);
    write(best, plan.R * P + r * SS, s.best.bnStats);
  }
  run.hasBest = s.best !== null;
  run.optT = s.opt.t;
  run.loop.state = structuredClone(s.loop);
}
