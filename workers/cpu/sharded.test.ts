// A CPU race spread over shards (sharded.ts) is the single-worker race bit for bit. Sub-workers
// are simulated in this thread: each is its own ShardHost reached through an endpoint that
// structured-clones every argument and result, as postMessage does (so the dataset, configs,
// initial weights and states a real sub-worker gets are copies, not shared objects).
import { describe, expect, it } from 'vitest';
import { buildLayout, defaultConfig, initParams, makeDataset, Rng, streamSeed } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import type { RunProgress, TrainingBackend } from '../backend';
import type { TrainerUpdate } from '../protocol';
import { TrainerService } from '../service';
import { DeviceDouble, lossesOf, stepsOf } from '../testDoubles';
import { CpuBackend } from './backend';
import { CostMeter, costPlacement, evenPlacement, MOVE_AFTER, makespan } from './placement';
import { packReports, ShardHost, unpackReports } from './shard';
import { ShardedCpuBackend } from './sharded';
import { localEndpoint, ShardPool } from './shardPool';

const simulatedPool = (limit: number) => new ShardPool(() => localEndpoint(new ShardHost(), true), limit);

/** Six racers on one net with batch norm, dropout and a schedule; they differ in optimizer, lr and dropout rate. */
function race(): TrainConfig[] {
  const opts: [string, number][] = [
    ['sgd', 0.1],
    ['momentum', 0.05],
    ['nesterov', 0.05],
    ['adam', 0.01],
    ['rmsprop', 0.005],
    ['muon', 0.02],
  ];
  return opts.map(([name, lr], r) => {
    const c = defaultConfig();
    c.data.name = 'spiral';
    c.data.samples = 300;
    c.batchSize = 24;
    c.model.hidden = [
      { units: 12, activation: 'relu', dropout: 0.1 + 0.05 * r, batchNorm: true },
      { units: 10, activation: 'tanh', dropout: 0.2, batchNorm: false },
    ];
    c.optimizer = { ...c.optimizer, name: name as TrainConfig['optimizer']['name'], lr };
    c.schedule = { ...c.schedule, kind: r % 2 === 0 ? 'cosine' : 'step', totalSteps: 150, every: 2, factor: 0.7 };
    return c;
  });
}

async function built(b: TrainingBackend, cfgs: TrainConfig[]) {
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  await b.build(cfgs, ds, init);
  return b;
}

/** Every column of every run's steps and epochs, concatenated over the calls. */
function collect(all: RunProgress[][]) {
  const R = all[0].length;
  return Array.from({ length: R }, (_, r) => ({
    steps: all.map((p) => p[r].steps),
    epochs: all.map((p) => p[r].epochs),
    status: all.map((p) => [p[r].status, p[r].statusStep, p[r].stepCount]),
  }));
}

describe('a CPU race sharded over workers', () => {
  it('6 runs over 2 shards equal the one-worker race bit for bit over 200 steps (BN, dropout, schedules, a live change, moves)', async () => {
    const cfgs = race();
    const one = await built(new CpuBackend(), cfgs);
    const pool = simulatedPool(2);
    // placement moves only where this test asks (measured costs would move runs at times of the machine's choosing)
    const two = (await built(
      new ShardedCpuBackend(pool, { rebalanceEveryMs: Number.POSITIVE_INFINITY }),
      cfgs,
    )) as ShardedCpuBackend;
    expect(two.workers).toBe(2);
    expect(two.info.name).toMatch(/, 2 workers\)$/);
    expect(two.placement()).toEqual([0, 0, 0, 1, 1, 1]);
    const a: RunProgress[][] = [];
    const b: RunProgress[][] = [];
    // uneven calls, a live lr change in the middle, and runs moved between shards twice
    for (const [i, k] of [1, 7, 32, 60, 50, 50].entries()) {
      if (i === 3) {
        const c = structuredClone(cfgs[4]);
        c.optimizer.lr = 0.02;
        one.setHyper(4, c);
        two.setHyper(4, c);
      }
      if (i === 2) expect(await two.rebalance([1, 1, 1, 1, 1, 5])).toBeGreaterThan(0); // Muon costs 5x
      if (i === 4) expect(await two.rebalance([5, 1, 1, 1, 1, 1])).toBeGreaterThan(0);
      a.push(await one.train(k));
      b.push(await two.train(k));
    }
    expect(two.placement()).not.toEqual([0, 0, 0, 1, 1, 1]);
    expect(a.flat().reduce((n, p) => n + p.steps.n, 0)).toBe(6 * 200);
    expect(collect(b)).toEqual(collect(a));
    for (let r = 0; r < 6; r++) {
      expect(await two.readParams(r)).toEqual(await one.readParams(r));
      expect(await two.exportState(r)).toEqual(await one.exportState(r));
      expect(await two.evaluate(r, 'val')).toEqual(await one.evaluate(r, 'val'));
    }
    const thetas = [await one.readParams(2), await one.readParams(5)];
    expect(await two.lossAt(thetas, 'train')).toEqual(await one.lossAt(thetas, 'train'));
    // reset: back to the initial weights, same first steps
    await one.reset();
    await two.reset();
    expect(collect([await two.train(5)])).toEqual(collect([await one.train(5)]));
    two.dispose();
  });

  it('export/import of a sharded race restores every run (into another sharded race and into the one-worker engine)', async () => {
    const cfgs = race();
    const src = await built(new ShardedCpuBackend(simulatedPool(2)), cfgs);
    await src.train(90);
    const states = await Promise.all(cfgs.map((_, r) => src.exportState(r)));
    const copy = await built(new ShardedCpuBackend(simulatedPool(3)), cfgs);
    const plain = await built(new CpuBackend(), cfgs);
    for (let r = 0; r < 6; r++) {
      await copy.importState(r, states[r]);
      await plain.importState(r, states[r]);
    }
    const next = collect([await src.train(110)]);
    expect(collect([await copy.train(110)])).toEqual(next);
    expect(collect([await plain.train(110)])).toEqual(next);
    for (let r = 0; r < 6; r++) expect(await copy.exportState(r)).toEqual(await src.exportState(r));
  });

  it('through the service: the status names the workers, and the streamed curves equal the one-worker race', async () => {
    const run = async (shards: number) => {
      const pool = simulatedPool(8);
      const svc = new TrainerService({
        factories: { cpu: () => new ShardedCpuBackend(pool), gpu: null },
        cpuWorkers: (n) => pool.setLimit(n ?? 8),
        dispose: () => pool.dispose(),
      });
      const updates: Parameters<typeof lossesOf>[0] = [];
      await svc.subscribe((u) => {
        updates.push(u);
      });
      const r = await svc.create(race(), { cpuWorkers: shards });
      if (!r.ok) throw new Error(r.message);
      await svc.step(120);
      // the page's queries: trajectory snapshots, diagnostics, loss landscapes, predictions
      const P = r.value.params;
      const thetas = new Float32Array(2 * P);
      thetas.set((await svc.getParams(5))!, 0);
      thetas.set((await svc.getParams(3))!, P);
      const queries = {
        snapshots: await Promise.all(race().map((_, k) => svc.getSnapshots(k))),
        stats: await svc.activationStats(4),
        lossAt: await svc.lossAt(thetas, 2, 'val'),
        predict: await svc.predictSplit(5, 'val'),
      };
      // torn down: the pool's sub-workers end with the service (ServiceEnv.dispose -> ShardPool.dispose)
      const workers = pool.workers;
      await svc.dispose();
      expect(pool.workers).toBe(0);
      await expect(pool.endpoints(2)).rejects.toThrow(/disposed/);
      return { name: r.value.backend.name, losses: race().map((_, k) => lossesOf(updates, k)), queries, workers };
    };
    const one = await run(1);
    const two = await run(2);
    expect(one.name).not.toMatch(/workers/);
    expect(two.name).toMatch(/\(WebAssembly SIMD, 2 workers\)$/);
    expect(two.workers).toBe(1);
    expect(two.losses.map((l) => l.length)).toEqual([120, 120, 120, 120, 120, 120]);
    expect(two.losses).toEqual(one.losses);
    expect(two.queries.snapshots.map((x) => x?.count)).toEqual(one.queries.snapshots.map((x) => x?.count));
    expect(two.queries.snapshots[0]!.count).toBeGreaterThan(3);
    expect(two.queries).toEqual(one.queries);
    const bad = await new TrainerService({ factories: { cpu: () => new CpuBackend(), gpu: null } }).create(race(), {
      cpuWorkers: 0,
    });
    expect(bad.ok ? [] : bad.problems.map((p) => p.field)).toEqual(['cpuWorkers']);
  });

  it("'auto' moves a sharded race to the faster \"GPU\" with every run's whole state, and back: = the one-worker race", async () => {
    // The calibration cache says the GPU won on this shape (as after an earlier measurement), so the
    // probe builds the stand-in GPU (the engine, kind 'webgpu') and moves the race without timing it
    // here, where the race's own shards share this thread with the measurement.
    class GpuDecided extends TrainerService {
      constructor(...args: ConstructorParameters<typeof TrainerService>) {
        super(...args);
        const get = this.calibrations.get.bind(this.calibrations);
        this.calibrations.get = (key: string) =>
          get(key) ?? {
            kind: 'webgpu',
            calibration: { cpuStepsPerSec: 100, gpuStepsPerSec: 400, ms: 0 },
            gpu: { kind: 'webgpu', name: 'test adapter', fallbackAdapter: false },
          };
      }
    }
    const cfgs = race().slice(0, 5); // Muon is not a GPU rule: it would keep the race on the CPU
    const pool = simulatedPool(2);
    const svc = new GpuDecided({
      factories: { cpu: () => new ShardedCpuBackend(pool), gpu: async () => new DeviceDouble(0, false) },
    });
    const updates: TrainerUpdate[] = [];
    await svc.subscribe((u) => {
      updates.push(u);
    });
    const r = await svc.create(cfgs);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend).toMatchObject({ kind: 'cpu', reason: 'measuring' });
    expect(r.value.backend.name).toMatch(/2 workers/);
    await svc.step(100);
    await svc.testProbed();
    const moved = (await svc.getStatus()).backend;
    expect(moved, moved?.message).toMatchObject({ kind: 'webgpu', movedAtStep: 100 });
    await svc.step(60);
    const back = await svc.setBackend('cpu');
    expect(back?.name).toMatch(/2 workers/);
    await svc.step(40);
    await svc.dispose();
    const one = await built(new CpuBackend(), cfgs);
    const ref = collect([await one.train(200)]);
    for (let k = 0; k < cfgs.length; k++) {
      expect(stepsOf(updates, k)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(lossesOf(updates, k)).toEqual(Array.from(ref[k].steps[0].loss, Math.fround));
    }
  });

  it('a lost GPU device with no new one: the race continues sharded on the CPU from its checkpoint, = the one-worker race', async () => {
    const cfgs = race().slice(0, 4);
    const pool = simulatedPool(2);
    let devices = 0;
    const svc = new TrainerService({
      factories: {
        cpu: () => new ShardedCpuBackend(pool),
        gpu: async () => {
          if (devices++ > 0) throw Object.assign(new Error('no adapter'), { reason: 'no-adapter' });
          return new DeviceDouble(0, false);
        },
      },
    });
    const updates: TrainerUpdate[] = [];
    await svc.subscribe((u) => {
      updates.push(u);
    });
    const r = await svc.create(cfgs, { backend: 'webgpu' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend.kind).toBe('webgpu');
    await svc.step(70);
    expect(await svc.testLoseDevice()).toBe(true);
    await svc.step(50);
    const st = await svc.getStatus();
    expect(st.backend).toMatchObject({ kind: 'cpu', reason: 'device-lost' });
    expect(st.backend?.name).toMatch(/2 workers/);
    await svc.dispose();
    const one = await built(new CpuBackend(), cfgs);
    const ref = collect([await one.train(120)]);
    for (let k = 0; k < cfgs.length; k++) {
      expect(stepsOf(updates, k)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      expect(lossesOf(updates, k)).toEqual(Array.from(ref[k].steps[0].loss, Math.fround));
    }
  });

  it('measured costs move runs only when MOVE_AFTER decisions in a row suggest the same placement (load is noise)', async () => {
    const cfgs = race();
    const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
    const l = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
    const be = new ShardedCpuBackend(simulatedPool(2), { rebalanceEveryMs: Number.POSITIVE_INFINITY });
    await be.build(cfgs, ds, initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init'))));
    await be.train(3);
    const a = [5, 5, 5, 1, 1, 1];
    const b = [1, 1, 1, 5, 5, 5];
    expect(MOVE_AFTER).toBe(2);
    expect(await be.rebalance(a, true)).toBe(0); // once: not yet
    expect(await be.rebalance(b, true)).toBe(0); // another suggestion: counts again from 1
    expect(await be.rebalance(a, true)).toBe(0);
    expect(be.placement()).toEqual([0, 0, 0, 1, 1, 1]);
    expect(await be.rebalance(a, true)).toBeGreaterThan(0); // the same twice in a row: moved
    expect(be.placement()).not.toEqual([0, 0, 0, 1, 1, 1]);
    expect(await be.rebalance(a, true)).toBe(0); // and then balanced
    be.dispose();
  });

  it('placement: even blocks, then the measured costs (longest first onto the least loaded shard), few moves', () => {
    expect(evenPlacement(6, 2)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(evenPlacement(7, 3)).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(evenPlacement(1, 1)).toEqual([0]);
    // Muon (run 5) at 3x: alone with one cheap run, against four cheap runs
    const cost = [1, 1, 1, 1, 1, 3];
    const p = costPlacement(cost, 2, evenPlacement(6, 2));
    expect(makespan(p, cost, 2)).toBe(4);
    expect(makespan(evenPlacement(6, 2), cost, 2)).toBe(5);
    // shards keep the runs they already hold where they can: run 5 stays on shard 1
    expect(p[5]).toBe(1);
    // stopped runs (cost 0) still spread by count
    const q = costPlacement([0, 0, 0, 0], 2, [0, 0, 1, 1]);
    expect(q.filter((s) => s === 0).length).toBe(2);
  });
});

describe('CostMeter: a run cost from timed calls', () => {
  it('pools short calls into samples of MIN_SAMPLE_MS, and keeps the least ms per step (load only slows a sample)', () => {
    const m = new CostMeter();
    expect(m.cost).toBeNaN();
    m.add(0.3, 10); // below the clock's resolution alone
    m.add(0.4, 10);
    expect(m.cost).toBeNaN();
    m.add(0.5, 10); // 1.2 ms over 30 steps
    expect(m.cost).toBeCloseTo(0.04, 12);
    m.add(9, 100); // a sample slowed by other work on the machine
    expect(m.cost).toBeCloseTo(0.04, 12);
    m.add(3, 100);
    expect(m.cost).toBeCloseTo(0.03, 12);
    m.add(0, 0); // a stopped run's empty report
    expect(m.cost).toBeCloseTo(0.03, 12);
  });
});

describe('a sub-worker report in one buffer', () => {
  it('packReports/unpackReports: every column of every run through one transferred buffer, unchanged', async () => {
    const cfgs = race().slice(0, 3);
    const host = new ShardHost();
    await host.init();
    const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
    host.putDataset(1, ds);
    host.open(7, 1, 'auto');
    const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
    const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
    for (const [r, c] of cfgs.entries()) await host.add(7, r + 2, c, init, null);
    const one = await built(new CpuBackend(), cfgs);
    const plain = await one.train(30); // epochs end within (about 10 steps per epoch): epoch rows too
    const packed = host.trainPacked(7, 30);
    expect(packed.data.buffer.byteLength).toBe(packed.data.byteLength);
    const sent = structuredClone(packed, { transfer: [packed.data.buffer] });
    expect(packed.data.length).toBe(0); // moved, not copied
    const got = unpackReports(sent);
    expect(got.map((g) => g.run)).toEqual([2, 3, 4]);
    expect(got[0].progress.epochs.n).toBeGreaterThan(0);
    expect(collect([got.map((g) => g.progress)])).toEqual(collect([plain]));
    // a report with no rows (stopped runs) packs to an empty buffer
    const empty = packReports([], []);
    expect(empty.data.length).toBe(0);
    expect(unpackReports(empty)).toEqual([]);
  });
});
