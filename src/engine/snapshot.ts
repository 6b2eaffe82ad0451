// The whole state of one training run as plain data (structured-clone-able: typed arrays, numbers,
// strings, plain objects): what a run needs to continue on another backend (CPU Run <-> WebGPU) as
// the same run, bit for bit on the CPU. Run.exportState / importState (trainer.ts) and the GPU
// backend (workers/gpu/state.ts) read and write it.
//
//   theta[P], bnStats[SS]             weights and batch-norm running statistics (mean, var per feature)
//   opt { t, m[P], v[P], extra }      optimizer memory (optimizers/spec.ts OptimizerState); t = steps
//                                     taken by this optimizer (Adam's bias correction 1 - b^t)
//   loop                              the TrainLoop's LoopState (loop.ts): step, epoch, sampleInEpoch,
//                                     status, plateau, early stopping, the schedule clock's anchor,
//                                     and the divergence reference: firstLoss (the loss baseline) and
//                                     the recent-loss window
//   best { theta, bnStats } | null    the weights kept for early stopping's restoreBest
//
// No random-stream positions are stored because none exist: dropout masks and augmentation noise
// are counter-based hashes of (stream seed, global step, unit) (hash.ts), so the loop's `step` is
// their position; the minibatch order of epoch e is epochOrder(shuffle seed, e) (rng.ts), pure in
// (seed, epoch), so `epoch` and `sampleInEpoch` are its position. The stream seeds come from the
// config (cfg.seed), which both backends are built from.
import type { LoopState } from './loop';

export const SNAPSHOT_VERSION = 1;

export interface RunSnapshot {
  version: number;
  /** Optimizer whose memory `opt` is (cfg.optimizer.name at export). */
  optimizer: string;
  theta: Float32Array;
  bnStats: Float32Array;
  opt: { t: number; m: Float32Array; v: Float32Array; extra: Record<string, Float32Array> };
  loop: LoopState;
  best: { theta: Float32Array; bnStats: Float32Array } | null;
}

/** What the importing run expects: its parameter count, stats size, optimizer and its extra buffers. */
export interface SnapshotShape {
  P: number;
  SS: number;
  optimizer: string;
  extra: readonly string[];
}

/** A deep copy (the exporting and importing sides never share arrays). */
export function cloneSnapshot(s: RunSnapshot): RunSnapshot {
  return structuredClone(s);
}

/**
 * Throws, naming the field (snapshot.theta, snapshot.opt.extra.z, ...), when `s` does not fit a run
 * of this shape; returns s. Checked before anything is written, so a refused import changes nothing.
 */
export function validateSnapshot(s: unknown, shape: SnapshotShape): RunSnapshot {
  const fail = (field: string, what: string): never => {
    throw new Error(`snapshot.${field}: ${what}`);
  };
  if (typeof s !== 'object' || s === null) return fail('', 'not an object');
  const o = s as Partial<RunSnapshot>;
  if (o.version !== SNAPSHOT_VERSION) fail('version', `${o.version}, this build reads ${SNAPSHOT_VERSION}`);
  if (o.optimizer !== shape.optimizer)
    fail('optimizer', `state of '${o.optimizer}', the run uses '${shape.optimizer}'`);
  const arr = (field: string, a: unknown, n: number) => {
    if (!(a instanceof Float32Array)) fail(field, 'not a Float32Array');
    else if (a.length !== n) fail(field, `${a.length} values, the network needs ${n}`);
  };
  arr('theta', o.theta, shape.P);
  arr('bnStats', o.bnStats, shape.SS);
  const opt = o.opt;
  if (typeof opt !== 'object' || opt === null) return fail('opt', 'missing');
  if (!(Number.isInteger(opt.t) && opt.t >= 0)) fail('opt.t', `${opt.t} is not a step count`);
  arr('opt.m', opt.m, shape.P);
  arr('opt.v', opt.v, shape.P);
  const extra = opt.extra ?? {};
  for (const name of shape.extra) arr(`opt.extra.${name}`, extra[name], shape.P);
  for (const name of Object.keys(extra))
    if (!shape.extra.includes(name)) fail(`opt.extra.${name}`, `'${shape.optimizer}' has no such buffer`);
  const loop = o.loop;
  if (typeof loop !== 'object' || loop === null) return fail('loop', 'missing');
  for (const k of ['step', 'epoch', 'sampleInEpoch'] as const)
    if (!(Number.isInteger(loop[k]) && loop[k] >= 0)) fail(`loop.${k}`, `${loop[k]} is not a count`);
  if (!['ok', 'diverged', 'early-stopped', 'finished'].includes(loop.status))
    fail('loop.status', `unknown status '${loop.status}'`);
  if (typeof loop.plateau !== 'object' || loop.plateau === null) fail('loop.plateau', 'missing');
  if (typeof loop.early !== 'object' || loop.early === null) fail('loop.early', 'missing');
  if (!Array.isArray(loop.recentLosses)) fail('loop.recentLosses', 'not an array');
  if (o.best !== null) {
    if (typeof o.best !== 'object') return fail('best', 'neither null nor { theta, bnStats }');
    arr('best.theta', o.best.theta, shape.P);
    arr('best.bnStats', o.best.bnStats, shape.SS);
  }
  return o as RunSnapshot;
}
