// The build's warm-up (warm.ts) trains throwaway copies only: a warmed backend's runs record the
// same numbers, bit for bit, as engine Runs that were never warmed; one copy per kind of run.
import { describe, expect, it } from 'vitest';
import {
  buildLayout,
  type DenseOps,
  defaultConfig,
  initParams,
  makeDataset,
  Rng,
  Run,
  streamSeed,
} from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import { backendOps } from '../testDoubles';
import { CpuBackend } from './backend';
import { ShardHost } from './shard';
import { ShardedCpuBackend } from './sharded';
import { localEndpoint, ShardPool } from './shardPool';
import { warmKey, warmUp } from './warm';

/**
 * A race on one net with batch norm and dropout: SGD, Adam (the WebAssembly update), momentum with L2,
 * and SGD again at another learning rate (the same kind of run as the first: one copy warms both).
 */
function race(): TrainConfig[] {
  const opts: [TrainConfig['optimizer']['name'], number][] = [
    ['sgd', 0.1],
    ['adam', 0.01],
    ['momentum', 0.05],
    ['sgd', 0.03],
  ];
  return opts.map(([name, lr], r) => {
    const c = defaultConfig();
    c.data.name = 'spiral';
    c.data.samples = 300;
    c.batchSize = 25;
    c.model.hidden = [
      { units: 12, activation: 'relu', dropout: 0.1 * r, batchNorm: true },
      { units: 10, activation: 'tanh', dropout: 0, batchNorm: false },
    ];
    c.optimizer = { ...c.optimizer, name, lr };
    if (r === 2) c.reg.l2 = 1e-3;
    if (r === 3) c.model.hidden[0].dropout = 0;
    return c;
  });
}

function setup(cfgs: TrainConfig[]) {
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  return { ds, init };
}

/** ops with a count of the dense products they ran. */
function counted(ops: DenseOps) {
  const n = { calls: 0 };
  const wrapped: DenseOps = {
    ...ops,
    forward: (...a) => {
      n.calls++;
      return ops.forward(...a);
    },
  };
  return { ops: wrapped, n };
}

describe('warm-up at build', () => {
  it('one throwaway step per kind of run, on the given kernels; the runs themselves stay at step 0', async () => {
    const ops = await backendOps();
    const cfgs = race();
    const { ds, init } = setup(cfgs);
    const runs = cfgs.map((c) => new Run(c, ds, { init, ops }));
    const { ops: probe, n } = counted(ops!);
    expect(runs.map((r) => r.scratch.size)).toEqual([0, 0, 0, 0]);
    expect(warmUp(runs, probe)).toBe(3);
    expect(n.calls).toBeGreaterThan(0); // the copies trained on these kernels
    for (const r of runs) {
      expect(r.stepCount).toBe(0);
      expect(r.getParams()).toEqual(init);
    }
    // The copies trained into their runs' step buffers; run 3 (a kind warmed through run 0) got the same sizes.
    const fresh = new Run(cfgs[0], ds, { init, ops });
    fresh.train(1);
    expect([runs[0].scratch.size, runs[3].scratch.size]).toEqual([fresh.scratch.size, fresh.scratch.size]);
    expect(Math.min(runs[1].scratch.size, runs[2].scratch.size)).toBeGreaterThan(0);
    expect(runs[0].scratch.take('x', 25 * 2)).not.toEqual(new Float32Array(50)); // the copy's batch
    // A sweep (learning rates of one optimizer) is one kind of run; another optimizer is another.
    const sweep = [0.01, 0.03, 0.1, 0.3].map((lr) => ({ ...cfgs[0], optimizer: { ...cfgs[0].optimizer, lr } }));
    expect(new Set(sweep.map(warmKey)).size).toBe(1);
    expect(
      warmUp(
        sweep.map((c) => new Run(c, ds, { init, ops })),
        ops,
      ),
    ).toBe(1);
    expect(warmKey(cfgs[0])).not.toBe(warmKey(cfgs[1]));
  });

  it('a warmed backend records what never-warmed engine Runs record, bit for bit (plain and sharded)', async () => {
    const ops = await backendOps();
    const cfgs = race();
    const { ds, init } = setup(cfgs);
    const reference = cfgs.map((c) => new Run(structuredClone(c), ds, { init, ops }));
    const plain = new CpuBackend();
    await plain.build(structuredClone(cfgs), ds, init);
    const pool = new ShardPool(() => localEndpoint(new ShardHost(), true), 2);
    const sharded = new ShardedCpuBackend(pool, { rebalanceEveryMs: Number.POSITIVE_INFINITY });
    await sharded.build(structuredClone(cfgs), ds, init);
    expect(sharded.workers).toBe(2);
    for (const chunk of [1, 7, 40]) {
      const want = reference.map((r) => r.train(chunk));
      for (const b of [plain, sharded]) {
        const got = await b.train(chunk);
        got.forEach((p, r) => {
          expect(p.steps).toEqual(want[r].steps);
          expect(p.epochs).toEqual(want[r].epochs);
        });
      }
    }
    for (let r = 0; r < cfgs.length; r++) {
      expect(await plain.readParams(r)).toEqual(reference[r].getParams());
      expect(await sharded.readParams(r)).toEqual(reference[r].getParams());
    }
    sharded.dispose();
  });
});
