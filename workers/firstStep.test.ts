// Play's first step of a race spread over workers is drawn from the runs of the training worker's
// own shard (cpu/sharded.ts train's `early`), not after the sub-workers' answers, which are a
// message round trip away (11-61 ms traced on a loaded machine). Sub-workers are simulated in this
// thread (structured clones, as postMessage does); one's first training call is held until the
// test lets it go, so "before its answer" is an order of events, not a race against the clock.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { ShardHost } from './cpu/shard';
import { ShardedCpuBackend } from './cpu/sharded';
import { localEndpoint, type ShardEndpoint, ShardPool } from './cpu/shardPool';
import type { TrainerUpdate } from './protocol';
import { TrainerService } from './service';
import { lossesOf, stepsOf } from './testDoubles';

/** Six racers of (c): 2-16-16-2 tanh, batch 32, the six optimizers of the bench's race. */
function race(): TrainConfig[] {
  const opts: [string, number][] = [
    ['sgd', 0.1],
    ['momentum', 0.05],
    ['nesterov', 0.05],
    ['adagrad', 0.05],
    ['rmsprop', 0.005],
    ['adam', 0.01],
  ];
  return opts.map(([name, lr]) => {
    const c = defaultConfig();
    c.data.name = 'spiral';
    c.data.samples = 400;
    c.batchSize = 32;
    c.model.hidden = [
      { units: 16, activation: 'tanh', dropout: 0, batchNorm: false },
      { units: 16, activation: 'tanh', dropout: 0, batchNorm: false },
    ];
    c.optimizer = { ...c.optimizer, name: name as TrainConfig['optimizer']['name'], lr };
    return c;
  });
}

/** A simulated sub-worker whose first trainPacked call waits for `open()`. */
function heldEndpoint() {
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  let held = 0;
  const inner = localEndpoint(new ShardHost(), true);
  const endpoint = new Proxy(inner, {
    get(target, name, receiver) {
      const f = Reflect.get(target, name, receiver);
      if (name !== 'trainPacked' || held > 0) return f;
      return async (...args: Parameters<ShardEndpoint['trainPacked']>) => {
        held++;
        await gate;
        return inner.trainPacked(...args);
      };
    },
  });
  return { endpoint, open };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

async function service(pool: ShardPool, updates: TrainerUpdate[]) {
  const svc = new TrainerService({ factories: { cpu: () => new ShardedCpuBackend(pool), gpu: null } });
  await svc.subscribe((u) => {
    updates.push(u);
  });
  return svc;
}

describe("Play's first step of a race over workers", () => {
  it("goes out with the training worker's runs while the sub-worker's answer is still held, the rest at once after; curves unchanged", async () => {
    const held = heldEndpoint();
    let spawned = 0;
    const pool = new ShardPool(() => {
      spawned++;
      return held.endpoint;
    }, 2);
    const updates: TrainerUpdate[] = [];
    const svc = await service(pool, updates);
    const r = await svc.create(race());
    if (!r.ok) throw new Error(r.message);
    expect(spawned).toBe(1);
    expect(r.value.backend.name).toMatch(/2 workers/);
    await svc.start();
    const stepOf = (u: TrainerUpdate, k: number) => u.status.runs[k].step;
    // Many turns of the event loop; the sub-worker (runs 3-5) has not answered.
    await turns(50);
    const first = updates.find((u) => stepOf(u, 0) >= 1);
    expect(first, 'no update with run 0 at step 1 while the sub-worker was held').toBeDefined();
    expect([0, 1, 2, 3, 4, 5].map((k) => stepOf(first!, k))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(first!.metrics.map((m) => m.run).sort()).toEqual([0, 1, 2]);
    const before = updates.length;
    held.open();
    await turns(5);
    // the held runs' first step follows in the very next update, not at the next flush
    const next = updates[before];
    expect(next && [3, 4, 5].map((k) => stepOf(next, k))).toEqual([1, 1, 1]);
    expect(next.metrics.map((m) => m.run).sort()).toEqual([3, 4, 5]);
    while (Math.min(...race().map((_, k) => stepsOf(updates, k).length)) < 40) await turns(1);
    await svc.pause();
    // The same curves as the race trained by step() on one worker (the first rows of each run).
    const ref: TrainerUpdate[] = [];
    const one = await service(new ShardPool(null, 1), ref);
    const r1 = await one.create(race());
    if (!r1.ok) throw new Error(r1.message);
    await one.step(40);
    for (let k = 0; k < 6; k++) {
      expect(stepsOf(updates, k).slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(lossesOf(updates, k).slice(0, 40)).toEqual(lossesOf(ref, k));
    }
  });
});
