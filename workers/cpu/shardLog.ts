// What a race spread over workers keeps to rebuild a crashed sub-worker (ShardedCpuBackend,
// sharded.ts): every run's config and whole state at the last checkpoint, and every call since
// that changes a run, in order. Replayed on a new sub-worker they bring its runs to the very state
// lost: the runs are deterministic. And calls on several shards at once that survive such a crash
// (eachRun: the moves of a rebalance; everyShard: a train or reset on all), and calls on one
// (callOn: reads, written weights and states).
import type { RunSnapshot } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import { type Inits, initOf } from '../backend';
import type { ShardRunProgress } from './shard';
import type { ShardEndpoint, ShardPool } from './shardPool';

/** A spread race checkpoints every run's whole state this often, ms (a crashed sub-worker is rebuilt from it). */
export const CHECKPOINT_EVERY_MS = 2000;

/** A call since the last checkpoint that changes runs (replayed when a crashed sub-worker is rebuilt). */
export type LogOp =
  | { kind: 'train'; n: number }
  | { kind: 'reset' }
  | { kind: 'setHyper'; run: number; cfg: TrainConfig }
  | { kind: 'writeParams'; run: number; theta: Float32Array; lossBaseline?: number }
  | { kind: 'importState'; run: number; state: RunSnapshot };

/** A run at the last checkpoint: its config and whole state (null: its initial weights). */
export interface Saved {
  cfg: TrainConfig;
  state: RunSnapshot | null;
}

/**
 * The runs `mine` of the race `set` onto the new endpoint e at the checkpoint, then the log replayed
 * on it; returns the reports of the train call `failed` (empty when none: a move or a read failed).
 */
export async function replayOnto(
  e: ShardEndpoint,
  set: number,
  init: Inits,
  checkpoint: Saved[],
  log: LogOp[],
  failed: LogOp | null,
  mine: (r: number) => boolean,
  pool: ShardPool,
): Promise<ShardRunProgress[]> {
  for (const [r, c] of checkpoint.entries()) if (mine(r)) await e.add(set, r, c.cfg, initOf(init, r), c.state);
  let reports: ShardRunProgress[] = [];
  for (const op of log) {
    if (op.kind === 'train') {
      const got = await pool.guardOne(e, e.train(set, op.n));
      if (op === failed) reports = got;
    } else if (op.kind === 'reset') await e.reset(set);
    else if (!mine(op.run)) continue;
    else if (op.kind === 'setHyper') await e.setHyper(set, op.run, op.cfg);
    else if (op.kind === 'writeParams') await e.writeParams(set, op.run, op.theta, op.lossBaseline);
    else await e.importState(set, op.run, op.state);
  }
  return reports;
}

/** The parts of a spread race a call that survives a crash needs: shard k now, the pool, rebuild(k). */
export interface RaceShards {
  shard(k: number): ShardEndpoint;
  pool: ShardPool;
  rebuild(k: number): Promise<unknown>;
}

/**
 * fn for each of `runs` on its shard at(r), in parallel. A sub-worker that crashes meanwhile is
 * rebuilt (its runs as they were before any of these calls) and every call on it is made again,
 * answered or not; any other failure rejects.
 */
export async function eachRun<T>(
  race: RaceShards,
  runs: number[],
  at: (r: number) => number,
  fn: (e: ShardEndpoint, r: number, i: number) => Promise<T>,
): Promise<T[]> {
  const on = (i: number) => race.shard(at(runs[i]));
  const got = await Promise.allSettled(runs.map((r, i) => race.pool.guardOne(on(i), fn(on(i), r, i))));
  const out: T[] = [];
  const dead = new Set<number>();
  for (const [i, g] of got.entries()) {
    const s = at(runs[i]);
    if (g.status === 'fulfilled') out[i] = g.value;
    else if (s > 0 && !race.pool.alive(race.shard(s))) dead.add(s);
    else throw g.reason;
  }
  for (const s of dead) {
    await race.rebuild(s);
    for (const [i, r] of runs.entries()) if (at(r) === s) out[i] = await race.pool.guardOne(on(i), fn(on(i), r, i));
  }
  return out;
}

/**
 * Each shard's answer to one logged call made on all of them (calls[s] on shard s: a train, a
 * reset). A sub-worker that crashed is rebuilt with its runs' whole state (rebuild(s): its replay
 * of the log answers for it); any other error stands.
 */
export async function everyShard(
  race: RaceShards,
  calls: Promise<ShardRunProgress[]>[],
  rebuild: (s: number) => Promise<ShardRunProgress[]>,
): Promise<ShardRunProgress[][]> {
  const settled = await Promise.allSettled(calls);
  const parts: ShardRunProgress[][] = [];
  for (const [s, r] of settled.entries()) {
    if (r.status === 'fulfilled') parts[s] = r.value;
    else if (s > 0 && !race.pool.alive(race.shard(s))) parts[s] = await rebuild(s);
    else throw r.reason;
  }
  return parts;
}

/**
 * fn on shard s. When that sub-worker crashes it is rebuilt and fn asked again (a read), unless
 * `again` is false (a logged write: the rebuild replayed it).
 */
export async function callOn<T>(
  race: RaceShards,
  s: number,
  fn: (e: ShardEndpoint) => Promise<T>,
  again: boolean,
): Promise<T> {
  const e = race.shard(s);
  try {
    return await race.pool.guardOne(e, fn(e));
  } catch (err) {
    if (s === 0 || race.pool.alive(e)) throw err;
    await race.rebuild(s);
    return again ? race.pool.guardOne(race.shard(s), fn(race.shard(s))) : (undefined as T);
  }
}
