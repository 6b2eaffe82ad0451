// A sub-worker of a spread race (sharded.ts) that crashes: while it trains, while runs move between
// shards (a rebalance: taken out of one, put into another; going back to one worker), while a
// run's weights or whole state are read (readParams, exportState, also the checkpoint's own
// export) or while the race is reset. The crashed sub-worker is rebuilt from the checkpoint and the
// call log (shardLog.ts) and the call is done again (or, logged, replayed); the race then goes on
// exactly as the one-worker race, bit for bit. Each
// crash twice: with an 'error' event, and silent (it just stops answering, as a worker the browser
// ends or that calls close()): the pool's liveness watch (shardWatch.ts) must notice it, with its
// bound made small here; a worker that is merely slow must not be taken for dead.
import { describe, expect, it } from 'vitest';
import { defaultConfig, initParams, makeDataset, Rng, streamSeed } from '../../src/engine';
import { buildLayout } from '../../src/engine/layout';
import type { TrainConfig } from '../../src/engine/types';
import { killablePool } from '../../test-support/killableShards';
import type { RunProgress, TrainingBackend } from '../backend';
import { CpuBackend } from './backend';
import { ShardedCpuBackend } from './sharded';
import type { ShardEndpoint, ShardPool } from './shardPool';

function race(): TrainConfig[] {
  return (['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const).map((name, r) => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'spiral', samples: 240, valFraction: 0.2, noise: 0.1 };
    c.batchSize = 16;
    c.model.hidden = [12, 9].map((units) => ({ units, activation: 'tanh' as const, dropout: 0, batchNorm: false }));
    c.optimizer = { ...c.optimizer, name, lr: [0.1, 0.05, 0.05, 0.05, 0.005, 0.01][r] };
    return c;
  });
}

/** A sub-worker that hears nothing for 5 pings 1 ms apart is dead (the default: 30 s). */
const liveness = { pingEveryMs: 1, deadAfterMs: 5 };

/** Sub-workers of which the first to get `method` once armed dies on it (silent: no 'error' event). */
function killingPool(method: string, silent: boolean) {
  const kill = { armed: false, killed: 0 };
  const pool = killablePool(
    (name) => {
      if (!kill.armed || name !== method) return false;
      kill.armed = false;
      kill.killed++;
      return true;
    },
    2,
    { silent, liveness },
  );
  return { pool, kill };
}

const spreadRace = (pool: ShardPool, every: number) =>
  new ShardedCpuBackend(pool, {
    rebalanceEveryMs: Number.POSITIVE_INFINITY,
    checkpointEveryMs: every,
    unspread: false,
  });

type Act = (be: TrainingBackend) => Promise<unknown>;

/** build, train 3 calls (a live change), act, train 3 more, read every run's weights. */
async function session(be: TrainingBackend, act: Act, arm: () => void) {
  const cfgs = race();
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const l = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  await be.build(cfgs, ds, initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init'))));
  const out: RunProgress[][] = [];
  for (let i = 0; i < 3; i++) out.push(await be.train(5));
  const live = structuredClone(cfgs[4]);
  live.optimizer.lr = 0.002;
  be.setHyper(4, live); // run 4 lives in the sub-worker
  arm();
  const acted = await act(be);
  for (let i = 0; i < 3; i++) out.push(await be.train(5));
  const thetas = await Promise.all(cfgs.map((_, r) => be.readParams(r)));
  return { out, acted, thetas: thetas.map((t) => Array.from(t)) };
}

const cases: [string, string, Act][] = [
  ['it trains', 'trainPacked', (be) => be.train(5)],
  ['a rebalance takes a run out of it', 'remove', (be) => (be as ShardedCpuBackend).rebalance([1, 1, 1, 5, 5, 5])],
  ['a rebalance puts a run into it', 'add', (be) => (be as ShardedCpuBackend).rebalance([5, 5, 5, 1, 1, 1])],
  // runs 1 (0 -> 1) and 4 (1 -> 0) swap: the rebuilt sub-worker must not get run 4 back
  ['a rebalance swaps runs with it', 'add', (be) => (be as ShardedCpuBackend).rebalance([9, 9, 1, 1, 1, 1])],
  ['the race goes back to one worker', 'remove', (be) => (be as ShardedCpuBackend).unspread()],
  ['its run’s weights are read', 'readParams', (be) => be.readParams(4).then((t) => Array.from(t))],
  ['its run’s whole state is exported', 'exportState', (be) => be.exportState(5)],
  // a reset is a logged call on every shard: the rebuilt sub-worker replays it with the rest
  ['the race is reset', 'reset', (be) => be.reset()],
];

describe('a sub-worker that crashes is rebuilt, nothing lost', () => {
  for (const silent of [false, true])
    for (const every of [0, Number.POSITIVE_INFINITY])
      for (const [when, method, act] of cases)
        it(`when it ${silent ? 'falls silent' : 'crashes'} while ${when} (${method}; checkpoint every ${every} ms)`, async () => {
          const { pool, kill } = killingPool(method, silent);
          const spread = spreadRace(pool, every);
          const two = await session(spread, act, () => (kill.armed = true));
          expect(kill.killed).toBe(1);
          expect(spread.rebuilds).toBe(1);
          const moved = method === 'remove' || method === 'add';
          if (moved)
            expect(two.acted).toBe(
              when.includes('swaps') ? 2 : method === 'add' ? 1 : 3 - (when.includes('one worker') ? 0 : 2),
            );
          // the one-worker race: the same calls, nothing moved (a move is not a call on a run's numbers)
          const one = await session(new CpuBackend({ threads: 1 }), moved ? async () => two.acted : act, () => {});
          expect(two.out).toEqual(one.out);
          expect(two.acted).toEqual(one.acted);
          expect(two.thetas).toEqual(one.thetas);
        });
});

describe('a slow sub-worker is not taken for dead', () => {
  it('its train calls answer after many ping periods, its pings at once: no rebuild, the same rows', async () => {
    // every train call takes 20 ms, four times the bound of silence (a busy worker still answers pings)
    const pool = killablePool(() => false, 2, { liveness, slow: (m) => (m === 'trainPacked' ? 20 : 0) });
    const spread = spreadRace(pool, Number.POSITIVE_INFINITY);
    const train = (be: TrainingBackend) => be.train(5);
    const two = await session(spread, train, () => {});
    expect(spread.rebuilds).toBe(0);
    expect(pool.workers).toBe(1);
    const one = await session(new CpuBackend({ threads: 1 }), train, () => {});
    expect(two.out).toEqual(one.out);
    expect(two.thetas).toEqual(one.thetas);
  });
});

describe('a disposed pool', () => {
  it('ends its sub-workers and stops its liveness watch; a call left pending rejects; it serves no race after', async () => {
    const ended: ShardEndpoint[] = [];
    let armed = false;
    // silent: the sub-worker's train call never answers, so only the watch could end it (it must not)
    const pool = killablePool(() => armed, 2, { silent: true, liveness, end: (e) => ended.push(e) });
    const spread = spreadRace(pool, Number.POSITIVE_INFINITY);
    const cfgs = race();
    const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
    const l = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
    const init = initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
    await spread.build(cfgs, ds, init);
    await spread.train(5);
    expect(pool.workers).toBe(1);
    armed = true;
    const pending = spread.train(5);
    pool.dispose();
    await expect(pending).rejects.toThrow(/disposed/);
    expect(ended).toHaveLength(1);
    expect(pool.workers).toBe(0);
    // many times the watch's bound later, nothing was taken for dead (that would end it again)
    await new Promise((r) => setTimeout(r, 40));
    expect(ended).toHaveLength(1);
    await expect(spreadRace(pool, 0).build(cfgs, ds, init)).rejects.toThrow(/disposed/);
  });
});
