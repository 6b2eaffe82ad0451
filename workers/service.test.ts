// The worker's API object, driven directly in Node over the CPU backend (the same object
// trainer.worker.ts exposes with Comlink).
import { describe, expect, it } from 'vitest';
import { defaultConfig, Run } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { CpuBackend } from './cpu/backend';
import { TrainerService } from './service';
import { backendOps, lossesOf, serviceWithLog, sleep, stepsOf, waitFor } from './testDoubles';

const small = (): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 200;
  return c;
};

/** A regression net with a step size no loss survives: it must diverge within a few steps. */
const explosive = (): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'regPlane';
  c.model.loss = 'mse';
  c.model.initScale = 3;
  c.model.hidden = [{ units: 16, activation: 'relu', dropout: 0, batchNorm: false }];
  c.optimizer.lr = 10;
  return c;
};

describe('TrainerService over the CPU backend', () => {
  it('creates runs and says why it uses the CPU when there is no WebGPU', async () => {
    const { svc } = serviceWithLog();
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend.kind).toBe('cpu');
    expect(r.value.backend.reason).toBe('no-webgpu');
    expect(r.value.backend.message).toMatch(/no WebGPU/);
    expect(r.value.layers.map((l) => l.units)).toEqual([8, 8, 2]);
    expect(r.value.dataset.bounds).not.toBeNull();
    const st = await svc.getStatus();
    expect(st.runs[0]).toMatchObject({ state: 'paused', step: 0 });
  });

  it('never touches WebGPU when the CPU engine is forced; makes the GPU connection first otherwise', async () => {
    // A worker's first WebGPU call blocks its thread until the page's GPU connection is up (a GPU
    // process busy with another page once held a forced-CPU sweep at "Building" for 90 s).
    const calls: string[] = [];
    const svc = new TrainerService({
      factories: {
        cpu: (o) => {
          calls.push('cpu');
          return new CpuBackend(o);
        },
        gpu: null,
        connectGpu: () => calls.push('connect'),
      },
    });
    expect((await svc.create([small()], { backend: 'cpu' })).ok).toBe(true);
    expect(calls).toEqual(['cpu']);
    await svc.setBackend('cpu');
    expect(calls).not.toContain('connect');
    calls.length = 0;
    expect((await svc.create([small()], { backend: 'auto' })).ok).toBe(true);
    expect(calls[0]).toBe('connect');
    expect(calls).toContain('cpu');
    calls.length = 0;
    await svc.setBackend('webgpu');
    expect(calls[0]).toBe('connect');
  });

  it('builds digits (images loaded in the worker) and sends only a sample of the images', async () => {
    const { svc } = serviceWithLog();
    const c = defaultConfig();
    c.data.name = 'digits';
    c.data.samples = 600;
    c.model.hidden = [{ units: 16, activation: 'relu', dropout: 0, batchNorm: false }];
    const r = await svc.create([c]);
    if (!r.ok) throw new Error(r.message);
    const d = r.value.dataset;
    expect(d.image).toEqual({ width: 28, height: 28 });
    expect(d.bounds).toBeNull();
    expect(d.shownTrain).toBe(256);
    expect(d.xTrain.length).toBe(256 * 784);
    expect(d.yTrain.length).toBe(d.nTrain);
    expect(await svc.getBoundary(0)).toBeNull();
    expect((await svc.predictSplit(0, 'val'))!.length).toBe(d.nVal * 10);
  });

  it('streams exactly the engine numbers: step(n) equals a Run of the same config', async () => {
    const { svc, updates } = serviceWithLog();
    const cfg = small();
    await svc.create([cfg]);
    const st = await svc.step(60);
    expect(st.runs[0].step).toBe(60);
    expect(stepsOf(updates)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const ref = new Run(cfg, undefined, { ops: await backendOps() }).step(60);
    expect(lossesOf(updates)).toEqual(ref.steps.map((s) => Math.fround(s.loss)));
    const m = updates.flatMap((u) => u.metrics);
    expect(m.every((b) => b.updateRatio.length === b.n * 3 && b.gradNorm.length === b.n * 3)).toBe(true);
    const epochs = m.flatMap((b) => [...b.epochs.valLoss]);
    expect(epochs).toEqual(ref.epochs.map((e) => Math.fround(e.valLoss)));
  });

  it('reset gives identical results (same weights, data and minibatches)', async () => {
    const { svc, updates } = serviceWithLog();
    await svc.create([small()]);
    await svc.step(80);
    const g1 = (await svc.getStatus()).generation;
    const first = lossesOf(updates, 0, g1);
    const st = await svc.reset();
    expect(st.generation).toBe(g1 + 1);
    expect(st.runs[0].step).toBe(0);
    await svc.step(80);
    expect(lossesOf(updates, 0, g1 + 1)).toEqual(first);
  });

  it('changes hyperparameters live without a rebuild; architecture changes rebuild', async () => {
    const { svc, updates } = serviceWithLog();
    const cfg = small();
    await svc.create([cfg]);
    await svc.step(20);
    const gen = (await svc.getStatus()).generation;
    const faster = structuredClone(cfg);
    faster.optimizer.lr = 0.05;
    const r = await svc.setConfig(0, faster);
    expect(r).toEqual({ ok: true, value: { rebuilt: false, setup: null, atStep: 20 } });
    updates.length = 0;
    const st = await svc.step(5);
    expect(st.generation).toBe(gen);
    expect(stepsOf(updates)).toEqual([20, 21, 22, 23, 24]);
    expect(updates.flatMap((u) => u.metrics.flatMap((m) => [...m.lr]))).toEqual(
      [0.05, 0.05, 0.05, 0.05, 0.05].map(Math.fround),
    );

    const wider = structuredClone(faster);
    wider.model.hidden[0].units = 12;
    const r2 = await svc.setConfig(0, wider);
    if (!r2.ok) throw new Error(r2.message);
    expect(r2.value.rebuilt).toBe(true);
    expect(r2.value.setup?.generation).toBe(gen + 1);
    expect(r2.value.setup?.layers[0].units).toBe(12);
    expect((await svc.getStatus()).runs[0].step).toBe(0);
  });

  it('trains in the background, batches at most ~20 updates per second, and pausing stops the stream', async () => {
    const { svc, updates } = serviceWithLog();
    await svc.create([small()]);
    await svc.start();
    await sleep(1000);
    const st = await svc.pause();
    const n = updates.length;
    const steps = stepsOf(updates).length;
    expect(st.running).toBe(false);
    expect(st.runs[0].state).toBe('paused');
    expect(steps).toBe(st.runs[0].step); // every step streamed once, in order
    expect(n).toBeLessThanOrEqual(25); // 20/s plus the start and pause updates
    expect(steps / n).toBeGreaterThan(5); // batched, not one message per step
    await sleep(300);
    expect(updates.length).toBe(n);
    expect((await svc.getStatus()).runs[0].step).toBe(st.runs[0].step);
  });

  it('paces to the requested speed', async () => {
    const { svc } = serviceWithLog();
    await svc.create([small()]);
    await svc.setSpeed(40);
    await svc.start();
    await sleep(500);
    const st = await svc.pause();
    expect(st.runs[0].step).toBeGreaterThan(0);
    expect(st.runs[0].step).toBeLessThanOrEqual(40 * 0.5 + 3);
  });

  it('a speed change applies at once, not after the pending slow wait', async () => {
    const { svc } = serviceWithLog();
    await svc.create([small()]);
    await svc.setSpeed(0.5); // one step every 2 s
    await svc.start();
    await sleep(100);
    expect((await svc.getStatus()).runs[0].step).toBeLessThanOrEqual(1);
    await svc.setSpeed('max');
    await sleep(300);
    expect((await svc.pause()).runs[0].step).toBeGreaterThan(10);
  });

  it('reports divergence as a run status with its step, and stops by itself', async () => {
    const { svc, updates } = serviceWithLog();
    const r = await svc.create([explosive()]);
    expect(r.ok).toBe(true);
    await svc.start();
    await waitFor(() => updates.length > 0 && !updates[updates.length - 1].status.running);
    const st = await svc.getStatus();
    expect(st.runs[0].state).toBe('diverged');
    expect(st.runs[0].statusStep).toBeGreaterThanOrEqual(0);
    expect(st.runs[0].statusStep).toBe(st.runs[0].step - 1);
    const losses = lossesOf(updates);
    expect(Number.isFinite(losses[losses.length - 1])).toBe(false);
  });

  it('rejects invalid configs with the field named', async () => {
    const { svc } = serviceWithLog();
    const bad = small();
    bad.optimizer.lr = -1;
    const r1 = await svc.create([bad]);
    expect(r1.ok).toBe(false);
    if (!r1.ok) {
      expect(r1.problems.map((p) => p.field)).toContain('optimizer.lr');
      expect(r1.message).toMatch(/optimizer\.lr/);
    }
    const zero = small();
    zero.model.hidden[1].units = 0;
    const r2 = await svc.create([zero]);
    expect(!r2.ok && r2.problems[0].field).toBe('model.hidden[1].units');
    const other = small();
    other.model.hidden[0].units = 4;
    const r3 = await svc.create([small(), other]);
    expect(!r3.ok && r3.problems[0].field).toBe('runs[1].model.hidden[0].units');
    const r4 = await svc.create(['xor' as unknown as TrainConfig]);
    expect(!r4.ok && r4.problems[0].field).toBe('config');
    const r5 = await svc.create([small()], { backend: 'tpu' as 'cpu' });
    expect(!r5.ok && r5.problems[0].field).toBe('backend');
    // Nothing was built by the failures.
    expect((await svc.getStatus()).runs).toEqual([]);
    // A rejected live change leaves the running config alone.
    await svc.create([small()]);
    const r6 = await svc.setConfig(0, bad);
    expect(!r6.ok && r6.problems[0].field).toBe('optimizer.lr');
    expect((await svc.step(1)).runs[0].state).toBe('paused');
  });

  it('compare runs share data, initial weights and minibatches', async () => {
    const { svc, updates } = serviceWithLog();
    const a = small();
    const adam = small();
    adam.optimizer.name = 'adam';
    adam.optimizer.lr = 0.01;
    const r = await svc.create([a, structuredClone(a), adam]);
    expect(r.ok && r.value.runs).toBe(3);
    await svc.step(40);
    expect(lossesOf(updates, 1)).toEqual(lossesOf(updates, 0));
    expect(lossesOf(updates, 2)).not.toEqual(lossesOf(updates, 0));
    // The first loss is computed before any update: equal for every optimizer.
    expect(lossesOf(updates, 2)[0]).toBe(lossesOf(updates, 0)[0]);
    const alone = serviceWithLog();
    await alone.svc.create([a]);
    await alone.svc.step(40);
    expect(lossesOf(alone.updates)).toEqual(lossesOf(updates, 0));
  });
});
