// Run history inside the worker, through the service on the CPU engine, compared bit for bit:
//  - a mid-run change (setConfig while paused at step k) applies before step k (SetConfigResult.atStep = k);
//  - a planned change list (setPlan: a shared link's `chg=`) replays those changes at the same steps,
//    stepped (step(n)) or played at full speed (start(): the paced loop's turns split at each change),
//    and gives the same per-step losses as the live edits;
//  - branch from here (regroup): a second run continues from the exact state of the first (weights,
//    optimizer memory and t, schedule and plateau state, data position, batch-norm statistics; the
//    dropout masks and augmentation noise are counter-based on the step, engine/hash.ts), so with
//    its changed setting set back it trains step for step as the unbranched run, and its curve
//    starts at the branch step; the parent goes on unchanged.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/defaults';
import type { TrainConfig } from '../src/engine/types';
import type { TrainerUpdate } from './protocol';
import { lossesOf, serviceWithLog, stepsOf, waitFor } from './testDoubles';

/** Dropout, batch norm, input noise, a plateau schedule and momentum: every stream and state a branch must carry. */
function config(): TrainConfig {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 300;
  c.data.augmentNoise = 0.05;
  c.model.hidden = [
    { units: 8, activation: 'tanh', dropout: 0.2, batchNorm: true },
    { units: 8, activation: 'relu', dropout: 0, batchNorm: false },
  ];
  c.batchSize = 16;
  c.optimizer = { ...c.optimizer, name: 'momentum', lr: 0.05 };
  c.schedule = { ...c.schedule, kind: 'plateau', patience: 1, factor: 0.5 };
  return c;
}

const withLr = (c: TrainConfig, lr: number): TrainConfig => ({ ...c, optimizer: { ...c.optimizer, lr } });
const withL2 = (c: TrainConfig, l2: number): TrainConfig => ({ ...c, reg: { ...c.reg, l2 } });

async function created(cfgs: TrainConfig[] = [config()]) {
  const log = serviceWithLog();
  const r = await log.svc.create(cfgs, { backend: 'cpu' });
  if (!r.ok) throw new Error(r.message);
  return log;
}

/** Per-step losses of run r, keyed by step (the wire's float32 values). */
function byStep(updates: TrainerUpdate[], r: number): Map<number, number> {
  const steps = stepsOf(updates, r);
  const losses = lossesOf(updates, r);
  return new Map(steps.map((s, i) => [s, losses[i]]));
}

describe('mid-run changes and their replay', () => {
  const c0 = config();
  const c1 = withLr(c0, 0.02);
  const c2 = withL2(c1, 0.001);

  async function live() {
    const { svc, updates } = await created();
    await svc.step(30);
    const a = await svc.setConfig(0, c1);
    await svc.step(25);
    const b = await svc.setConfig(0, c2);
    await svc.step(45);
    await svc.dispose();
    return { updates, at: [a.ok && a.value.atStep, b.ok && b.value.atStep] };
  }

  it('a change made while paused at step k is recorded at step k and applies from step k on', async () => {
    const { updates, at } = await live();
    expect(at).toEqual([30, 55]);
    const lr = updates.flatMap((u) => u.metrics.filter((m) => m.run === 0).flatMap((m) => [...m.lr]));
    expect(lr.length).toBe(100);
    expect(lr[29]).toBe(Math.fround(0.05));
    expect(lr[30]).toBe(Math.fround(0.02)); // plateau scale still 1 here: ε itself
  });

  it('the planned list replays the same changes at the same steps: the same losses, bit for bit (stepped)', async () => {
    const ref = lossesOf((await live()).updates);
    const { svc, updates } = await created();
    const p = await svc.setPlan(0, [
      { step: 30, config: c1 },
      { step: 55, config: c2 },
    ]);
    expect(p).toEqual({ ok: true, value: 2 });
    await svc.step(100);
    const st = await svc.getStatus();
    await svc.dispose();
    expect(st.runs[0].planApplied).toBe(2);
    expect(lossesOf(updates)).toEqual(ref);
    // and the live edits changed the curve: the replay is not the unchanged run
    const { svc: plain, updates: u0 } = await created();
    await plain.step(100);
    await plain.dispose();
    expect(lossesOf(u0).slice(0, 30)).toEqual(ref.slice(0, 30));
    expect(lossesOf(u0)[31]).not.toBe(ref[31]);
  });

  it('played at full speed, the paced loop still applies each change before exactly its step', async () => {
    const ref = lossesOf((await live()).updates);
    const { svc, updates } = await created();
    await svc.setPlan(0, [
      { step: 30, config: c1 },
      { step: 55, config: c2 },
    ]);
    await svc.setSpeed('max');
    await svc.start();
    await waitFor(() => stepsOf(updates).length >= 100, 60_000);
    await svc.pause();
    await svc.dispose();
    expect(lossesOf(updates).slice(0, 100)).toEqual(ref);
  });

  it('refuses a plan that is out of order or rebuilds the network, naming the field', async () => {
    const { svc } = await created();
    const unordered = await svc.setPlan(0, [
      { step: 40, config: c1 },
      { step: 10, config: c2 },
    ]);
    expect(unordered.ok).toBe(false);
    if (!unordered.ok) expect(unordered.problems[0].field).toBe('plan[1].step');
    const wider = structuredClone(c1);
    wider.model.hidden[0].units = 16;
    const rebuild = await svc.setPlan(0, [{ step: 10, config: wider }]);
    expect(rebuild.ok).toBe(false);
    if (!rebuild.ok) expect(rebuild.problems[0].field).toBe('plan[0].model.hidden[0].units');
    await svc.dispose();
  });

  it('a live change drops the planned changes not yet applied', async () => {
    const mine = withLr(c1, 0.01);
    const { svc, updates } = await created();
    await svc.setPlan(0, [
      { step: 10, config: c1 },
      { step: 40, config: c2 },
    ]);
    await svc.step(20);
    await svc.setConfig(0, mine);
    await svc.step(40);
    const st = await svc.getStatus();
    await svc.dispose();
    expect(st.runs[0].planApplied).toBe(1);
    // = the live edits c1 at 10 and mine at 20, without c2 at 40
    const ref = await created();
    await ref.svc.step(10);
    await ref.svc.setConfig(0, c1);
    await ref.svc.step(10);
    await ref.svc.setConfig(0, mine);
    await ref.svc.step(40);
    await ref.svc.dispose();
    expect(lossesOf(updates)).toEqual(lossesOf(ref.updates));
  });
});

describe('branch from here', () => {
  it('the branch continues bit for bit as the unbranched run when its changed setting is set back; its curve starts at the branch step', async () => {
    const c = config();
    const { svc: ref, updates: refU } = await created([c]);
    await ref.step(90);
    await ref.dispose();
    const whole = lossesOf(refU);
    expect(whole.length).toBe(90);

    const { svc, updates } = await created([c]);
    await svc.step(40);
    const b = await svc.regroup([
      { from: 0, config: c },
      { from: 0, config: withLr(c, 0.3) },
    ]);
    if (!b.ok) throw new Error(b.message);
    expect(b.value.runs).toBe(2);
    const st = await svc.getStatus();
    expect(st.runs.map((r) => [r.state, r.step])).toEqual([
      ['paused', 40],
      ['paused', 40],
    ]);
    expect((await svc.setConfig(1, c)).ok).toBe(true); // the changed setting set back
    await svc.step(50);
    await svc.dispose();
    const parent = byStep(updates, 0);
    const branch = byStep(updates, 1);
    expect([...parent.keys()]).toEqual(Array.from({ length: 90 }, (_, i) => i));
    expect([...branch.keys()]).toEqual(Array.from({ length: 50 }, (_, i) => 40 + i));
    expect([...parent.values()]).toEqual(whole);
    expect([...branch.values()]).toEqual(whole.slice(40));
  });

  it('with its changed setting the branch departs from the parent at the branch step, from the same state', async () => {
    const c = config();
    const { svc, updates } = await created([c]);
    await svc.step(40);
    const before = await svc.exportState(0);
    const b = await svc.regroup([
      { from: 0, config: c },
      { from: 0, config: withLr(c, 0.3) },
    ]);
    if (!b.ok) throw new Error(b.message);
    // both runs hold the state the parent had at the branch point (weights, BN statistics, momentum, loop)
    for (const r of [0, 1]) {
      const s = await svc.exportState(r);
      expect(s?.theta).toEqual(before?.theta);
      expect(s?.bnStats).toEqual(before?.bnStats);
      expect(s?.opt.m).toEqual(before?.opt.m);
      expect(s?.loop).toEqual(before?.loop);
    }
    await svc.step(20);
    await svc.dispose();
    const parent = byStep(updates, 0);
    const branch = byStep(updates, 1);
    expect(branch.get(40)).toBe(parent.get(40)); // the first step's loss is before its update
    expect(branch.get(45)).not.toBe(parent.get(45));
    const lr = updates.flatMap((u) => u.metrics.filter((m) => m.run === 1).flatMap((m) => [...m.lr]));
    expect(lr[0]).toBe(Math.fround(0.3));
  });

  it('dropping the branch keeps the parent going as it was; a branch that rebuilds is refused naming the field', async () => {
    const c = config();
    const { svc: ref, updates: refU } = await created([c]);
    await ref.step(60);
    await ref.dispose();
    const { svc, updates } = await created([c]);
    await svc.step(20);
    await svc.regroup([
      { from: 0, config: c },
      { from: 0, config: withLr(c, 0.3) },
    ]);
    await svc.step(20);
    const drop = await svc.regroup([{ from: 0, config: c }]);
    expect(drop.ok && drop.value.runs).toBe(1);
    await svc.step(20);
    const wider = structuredClone(c);
    wider.model.hidden[1].units = 4;
    const bad = await svc.regroup([
      { from: 0, config: c },
      { from: 0, config: wider },
    ]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0].field).toMatch(/^runs\[1\]\.model\.hidden\[1\]\.units$/);
    await svc.dispose();
    expect(lossesOf(updates)).toEqual(lossesOf(refU));
  });
});
