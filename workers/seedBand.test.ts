// Seed bands in the worker: runs that differ only in model.initSeed train together in one
// backend, each from its own initial weights, on the shared data and minibatch order; member k
// is exactly the run with initSeed k trained alone, and a Run built from that config agrees.
import { describe, expect, it } from 'vitest';
import { defaultConfig, Run } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { backendOps, lossesOf, serviceWithLog } from './testDoubles';

const withSeed = (k: number): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 200;
  c.model.initSeed = k;
  return c;
};

describe('seed bands (model.initSeed per run)', () => {
  it('each run starts from its own weights; member k equals initSeed k trained alone', async () => {
    const { svc, updates } = serviceWithLog();
    const r = await svc.create([withSeed(0), withSeed(1), withSeed(2)]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.runs).toBe(3);
    await svc.step(30);
    const l0 = lossesOf(updates, 0);
    const l1 = lossesOf(updates, 1);
    const l2 = lossesOf(updates, 2);
    // Different initial weights: different losses from the very first step.
    expect(l1[0]).not.toBe(l0[0]);
    expect(l2[0]).not.toBe(l1[0]);
    const alone = serviceWithLog();
    await alone.svc.create([withSeed(1)]);
    await alone.svc.step(30);
    expect(lossesOf(alone.updates)).toEqual(l1);
    const ref = new Run(withSeed(2), undefined, { ops: await backendOps() }).step(30);
    expect(l2).toEqual(ref.steps.map((s) => Math.fround(s.loss)));
  });

  it('initSeed k draws the weights of master seed + k, with the master seed data', () => {
    const a = withSeed(3);
    const b = withSeed(0);
    b.seed = a.seed + 3;
    const ra = new Run(a);
    const rb = new Run(b);
    expect(ra.getParams()).toEqual(rb.getParams());
    expect(ra.dataset.xTrain).not.toEqual(rb.dataset.xTrain);
    expect(ra.dataset.xTrain).toEqual(new Run(withSeed(0)).dataset.xTrain);
  });
});
