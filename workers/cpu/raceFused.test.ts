// A race's fused step (raceFused.ts, wasm/dense.ts raceForward/raceBackward) against each run
// trained alone through the same CpuBackend and kernels: every recorded number and the final
// weights bit for bit, over epoch ends, shuffling, input noise, different optimizers, activations,
// weight decay, L1, clipping and a diverged run; runs the fused step does not cover (dropout, batch
// norm, activation L1) step alone in the same lockstep, and a run of another shape fuses in a group
// of its own.
import { describe, expect, it } from 'vitest';
import {
  type Activation,
  defaultConfig,
  initParams,
  makeDataset,
  Rng,
  Run,
  SharedBatch,
  streamSeed,
} from '../../src/engine';
import { buildLayout } from '../../src/engine/layout';
import type { TrainConfig } from '../../src/engine/types';
import { killablePool } from '../../test-support/killableShards';
import type { RunProgress, TrainingBackend } from '../backend';
import { CpuBackend } from './backend';
import { PlacementJudge, spreadPays, UNSPREAD_AFTER } from './placement';
import { FusedRace } from './raceFused';
import { ShardHost } from './shard';
import { ShardedCpuBackend } from './sharded';
import { localEndpoint, ShardPool } from './shardPool';

function base(): TrainConfig {
  const c = defaultConfig();
  c.data = { ...c.data, name: 'spiral', samples: 240, valFraction: 0.2, noise: 0.1, augmentNoise: 0.05 };
  c.data.shuffle = true;
  c.batchSize = 16; // 12 steps per epoch: the chunks below cross epoch ends
  c.model.loss = 'softmaxCE';
  c.model.hidden = [12, 9].map((units) => ({ units, activation: 'tanh' as Activation, dropout: 0, batchNorm: false }));
  return c;
}

type Tweak = (c: TrainConfig) => void;
const act =
  (a: Activation): Tweak =>
  (c) => {
    for (const h of c.model.hidden) h.activation = a;
  };

async function trainAll(cfgs: TrainConfig[], fuse: boolean) {
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const be = new CpuBackend({ threads: 1, fuse });
  const inits = cfgs.map((c) => {
    const l = buildLayout(c.model, ds.inputDim, ds.outputDim);
    return initParams(l, c.model, new Rng(streamSeed(c.seed, 'init')));
  });
  await be.build(cfgs, ds, inits);
  const chunks = [await be.train(7), await be.train(40)];
  const thetas = await Promise.all(cfgs.map((_, r) => be.readParams(r)));
  const race = (be as unknown as { race: FusedRace | null }).race;
  const counts = race && { fused: race.fused, alone: race.alone };
  be.dispose();
  return { chunks, thetas, counts };
}

describe('a race fused into one kernel call per step and direction', () => {
  it('trains every run bit for bit as alone; uncovered runs step alone, other shapes fuse apart', async () => {
    const tweaks: [string, Tweak][] = [
      ['sgd tanh', (c) => (c.optimizer = { ...c.optimizer, name: 'sgd', lr: 0.1 })],
      [
        'adam relu + decay',
        (c) => {
          c.optimizer = { ...c.optimizer, name: 'adam', lr: 0.01 };
          act('relu')(c);
          c.reg.l2 = 1e-3;
        },
      ],
      [
        'momentum sigmoid + clip',
        (c) => {
          c.optimizer = { ...c.optimizer, name: 'momentum', lr: 0.1 };
          act('sigmoid')(c);
          c.clipNorm = 0.5;
        },
      ],
      [
        'rmsprop elu + l1',
        (c) => {
          c.optimizer = { ...c.optimizer, name: 'rmsprop', lr: 0.005 };
          act('elu')(c);
          c.reg.l1 = 1e-4;
        },
      ],
      [
        'adagrad leaky',
        (c) => {
          c.optimizer = { ...c.optimizer, name: 'adagrad', lr: 0.05 };
          act('leakyRelu')(c);
        },
      ],
      [
        'nesterov linear',
        (c) => {
          c.optimizer = { ...c.optimizer, name: 'nesterov', lr: 0.05 };
          act('linear')(c);
        },
      ],
      ['sgd diverging', (c) => (c.optimizer = { ...c.optimizer, name: 'sgd', lr: 1e6 })],
      ['dropout (alone)', (c) => (c.model.hidden[0].dropout = 0.2)],
      ['batch norm (alone)', (c) => (c.model.hidden[1].batchNorm = true)],
      ['activation L1 (alone)', (c) => (c.reg.l1Act = 1e-3)],
      ['another shape', (c) => (c.model.hidden = c.model.hidden.slice(0, 1))],
    ];
    const cfgs = tweaks.map(([, t]) => {
      const c = base();
      t(c);
      return c;
    });
    const race = await trainAll(cfgs, true);
    const unfused = await trainAll(cfgs, false);
    expect(unfused.counts).toBeNull();
    for (const [r, [name]] of tweaks.entries()) {
      const alone = await trainAll([cfgs[r]], true);
      expect(alone.counts, 'one run is not a race').toBeNull();
      const mine = race.chunks.map((ch) => ch[r]);
      expect(mine, name).toEqual(alone.chunks.map((ch) => ch[0]));
      expect(Array.from(race.thetas[r]), name).toEqual(Array.from(alone.thetas[0]));
      expect(
        unfused.chunks.map((ch) => ch[r]),
        name,
      ).toEqual(mine);
    }
    const last = race.chunks[1];
    expect(last[6].status).toBe('diverged');
    expect(last[0].epochs.n).toBeGreaterThan(0);
    // 8 covered runs (one diverges at once), 3 uncovered: 47 steps each
    const diverged = last[6].stepCount;
    expect(race.counts).toEqual({ fused: 7 * 47 + diverged, alone: 3 * 47 });
  });
});

describe('FusedRace falls back run by run', () => {
  it('when the kernels have no room (raceLossAndGrad declines) or lend no gradient array: the same numbers', async () => {
    const cfgs = (['sgd', 'adam', 'rmsprop'] as const).map((name) => {
      const c = base();
      c.optimizer = { ...c.optimizer, name, lr: 0.01 };
      return c;
    });
    const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
    const ref = cfgs.map((c) => {
      const r = new Run(c, ds);
      return { out: r.train(30), theta: Array.from(r.getParams()) };
    });
    for (const [what, race] of [
      [
        'declines',
        new FusedRace(
          () => false,
          (n) => new Float32Array(n),
          () => {},
        ),
      ],
      [
        'no gradient array',
        new FusedRace(
          () => true,
          () => null,
          () => {},
        ),
      ],
    ] as const) {
      const runs = cfgs.map((c) => new Run(c, ds, { batches: new SharedBatch() }));
      for (const r of runs) r.beginChunk();
      for (let i = 0; i < 30; i++) race.step(runs);
      for (const [j, r] of runs.entries()) {
        expect(r.endChunk(), what).toEqual(ref[j].out);
        expect(Array.from(r.getParams()), what).toEqual(ref[j].theta);
      }
      expect(race.fused, what).toBe(0);
      expect(race.alone, what).toBe(90);
    }
  });
});

describe('a fused race spread over shards, and back to one worker when spreading does not pay', () => {
  const simulatedPool = (limit: number) => new ShardPool(() => localEndpoint(new ShardHost(), true), limit);
  const plainRace = () =>
    (['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const).map((name, r) => {
      const c = base();
      c.optimizer = { ...c.optimizer, name, lr: [0.1, 0.05, 0.05, 0.05, 0.005, 0.01][r] };
      return c;
    });

  async function chunks(be: TrainingBackend, cfgs: TrainConfig[], calls: number, until?: () => boolean) {
    const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
    const l = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
    await be.build(cfgs, ds, initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init'))));
    const out: RunProgress[][] = [];
    for (let i = 0; i < calls && !until?.(); i++) out.push(await be.train(5));
    const thetas = await Promise.all(cfgs.map((_, r) => be.readParams(r)));
    return { out, thetas };
  }

  it('spreadPays: the spread wall time per step must be REBALANCE_GAIN below the sum of the runs costs', () => {
    expect(spreadPays(5, [3, 3, 3, 3])).toBe(true); // 5 < 0.85 * 12
    expect(spreadPays(11, [3, 3, 3, 3])).toBe(false);
    expect(spreadPays(10.2, [3, 3, 3, 3])).toBe(false);
    expect(spreadPays(1, [0, 0])).toBe(true); // nothing trains: nothing to decide
  });

  it('back to one worker only after UNSPREAD_AFTER decisions in a row that spreading did not pay', () => {
    const judge = new PlacementJudge();
    const no = () => judge.spread(11, [3, 3, 3, 3]);
    expect(UNSPREAD_AFTER).toBe(3);
    expect([no(), no()]).toEqual(['again', 'again']);
    expect(judge.spread(5, [3, 3, 3, 3])).toBe('pays'); // one that pays starts the count again
    expect([no(), no(), no()]).toEqual(['again', 'again', 'unspread']);
    expect(new PlacementJudge(1).spread(11, [3, 3, 3, 3])).toBe('unspread');
  });

  it('shards fuse their runs: 6 runs over 2 shards = the one-worker fused race, bit for bit', async () => {
    const cfgs = plainRace();
    const one = await chunks(new CpuBackend({ threads: 1 }), cfgs, 12);
    const spread = new ShardedCpuBackend(simulatedPool(2), { rebalanceEveryMs: Number.POSITIVE_INFINITY });
    const two = await chunks(spread, cfgs, 12);
    expect(spread.workers).toBe(2);
    expect(two.out).toEqual(one.out);
    expect(two.thetas.map((t) => Array.from(t))).toEqual(one.thetas.map((t) => Array.from(t)));
  });

  it('shards that take turns on one thread (spreading cannot pay) go back to one worker, nothing lost; the status line says so', async () => {
    const cfgs = plainRace();
    // one decision that spreading did not pay is not enough (another program's second of load)
    const patient = new ShardedCpuBackend(simulatedPool(2), { rebalanceEveryMs: 0 });
    await chunks(patient, cfgs, 400, () => patient.unpaid > 0);
    expect(patient.unpaid).toBe(1);
    expect(patient.workers).toBe(2);
    patient.dispose();
    // UNSPREAD_AFTER in a row is the judge's (above); here the first decision decides (a decision that
    // pays by the timing noise of shards on one thread would start the count again)
    const spread = new ShardedCpuBackend(simulatedPool(2), { rebalanceEveryMs: 0, unspreadAfter: 1 });
    const two = await chunks(spread, cfgs, 400, () => spread.workers === 1);
    expect(spread.workers).toBe(1);
    expect(spread.placement()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(spread.info.name).toMatch(/1 worker: spreading over 2 did not pay\)$/);
    // then a few more calls in one worker
    for (let i = 0; i < 3; i++) two.out.push(await spread.train(5));
    const calls = two.out.length;
    const one = await chunks(new CpuBackend({ threads: 1 }), cfgs, calls);
    expect(two.out).toEqual(one.out);
    const after = await Promise.all(cfgs.map((_, r) => spread.readParams(r)));
    expect(after.map((t) => Array.from(t))).toEqual(one.thetas.map((t) => Array.from(t)));
  });

  for (const every of [0, Number.POSITIVE_INFINITY])
    it(`a sub-worker that crashes mid-call is rebuilt from the race's whole state (checkpoint every ${every} ms), nothing lost`, async () => {
      const cfgs = plainRace();
      cfgs[4].model.hidden[0].dropout = 0.1; // a run that steps alone too
      let trains = 0;
      const pool = killablePool((name) => name === 'trainPacked' && ++trains === 5);
      const spread = new ShardedCpuBackend(pool, {
        rebalanceEveryMs: Number.POSITIVE_INFINITY,
        checkpointEveryMs: every,
        unspread: false,
      });
      const one = new CpuBackend({ threads: 1 });
      const live = structuredClone(cfgs[5]);
      live.optimizer.lr = 0.002;
      const results = [];
      for (const be of [spread, one]) {
        const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
        const l = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
        await be.build(cfgs, ds, initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init'))));
        const out: RunProgress[][] = [];
        for (let i = 0; i < 8; i++) {
          if (i === 3) be.setHyper(5, live); // run 5 lives in the shard that crashes at call 4
          out.push(await be.train(5));
        }
        const thetas = await Promise.all(cfgs.map((_, r) => be.readParams(r)));
        results.push({ out, thetas: thetas.map((t) => Array.from(t)) });
      }
      expect(spread.rebuilds).toBe(1);
      expect(spread.workers).toBe(2);
      expect(results[0].out).toEqual(results[1].out);
      expect(results[0].thetas).toEqual(results[1].thetas);
    });
});
