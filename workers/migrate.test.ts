// Moving runs between backends with their whole state (session.ts migrate, build.ts switchBackend,
// recover.ts): through the worker service with the GPU stand-in (testDoubles.ts DeviceDouble, the
// CPU engine behind the GPU's interface), so every number can be compared bit for bit. The real
// GPU's continuity is e2e/state.spec.ts.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/defaults';
import { GPU_OPTIMIZER_NAMES } from '../src/engine/optimizers/registry';
import type { TrainConfig } from '../src/engine/types';
import type { TrainerUpdate } from './protocol';
import { TrainerService } from './service';
import { DeviceDouble, lossesOf, serviceWithLog, stepsOf } from './testDoubles';

function config(name: TrainConfig['optimizer']['name']): TrainConfig {
  const c = defaultConfig();
  c.model.hidden = [{ units: 8, activation: 'tanh', dropout: 0.2, batchNorm: true }];
  c.data.augmentNoise = 0.05;
  c.optimizer = { ...c.optimizer, name, lr: 0.01 };
  c.schedule = { ...c.schedule, kind: 'plateau', patience: 1, factor: 0.5 };
  // patience 20: early stopping stays on, and fires (if at all) after the third leg began (LAMB stopped at 187 with 10)
  c.earlyStop = { enabled: true, patience: 20, minDelta: 0.01, restoreBest: true };
  return c;
}

async function undisturbed(cfg: TrainConfig, n: number): Promise<number[]> {
  const { svc, updates } = serviceWithLog();
  const r = await svc.create([cfg], { backend: 'cpu' });
  if (!r.ok) throw new Error(r.message);
  await svc.step(n);
  await svc.dispose();
  return lossesOf(updates);
}

describe('a run moved between backends continues as the same run', () => {
  for (const name of GPU_OPTIMIZER_NAMES) {
    it(`${name}: 100 steps "GPU", 100 CPU, 100 "GPU" = 300 steps on the CPU, bit for bit`, async () => {
      const cfg = config(name);
      const { svc, updates } = serviceWithLog(async () => new DeviceDouble(0, false));
      const r = await svc.create([cfg], { backend: 'webgpu' });
      if (!r.ok) throw new Error(r.message);
      await svc.step(100);
      expect((await svc.setBackend('cpu'))?.kind).toBe('cpu');
      await svc.step(100);
      expect((await svc.setBackend('webgpu'))?.kind).toBe('webgpu');
      await svc.step(100);
      await svc.dispose();
      const ref = await undisturbed(cfg, 300);
      expect(ref.length, 'the third leg trained (early stopping fired after step 200, or never)').toBeGreaterThan(200);
      expect(stepsOf(updates)).toEqual(Array.from({ length: ref.length }, (_, i) => i));
      expect(lossesOf(updates)).toEqual(ref);
    });
  }

  it('adam: after a device loss the run goes on from its checkpointed state (moments and t included)', async () => {
    const cfg = config('adam');
    const { svc, updates } = serviceWithLog(async () => new DeviceDouble(0, false));
    const r = await svc.create([cfg], { backend: 'webgpu' });
    if (!r.ok) throw new Error(r.message);
    await svc.step(150);
    expect(await svc.testLoseDevice()).toBe(true);
    await svc.step(150);
    const notice = (await svc.getStatus()).notice ?? '';
    await svc.dispose();
    const from = Number(/from its state at step (\d+)/.exec(notice)?.[1]);
    expect(from, notice).toBeGreaterThan(0);
    expect(from, `${notice}: the checkpoint is older than the loss, so steps are re-done`).toBeLessThan(150);
    // The steps since the checkpoint are re-done at once and not drawn twice: the page's curve is
    // the undisturbed run's, step for step (no rewind, no jump, nothing lost).
    const ref = await undisturbed(cfg, 300);
    const got = lossesOf(updates);
    expect(stepsOf(updates)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(got).toEqual(ref);
    expect(got.length).toBe(300);
  });

  // 'auto' (workers/handoff.ts): the run starts on the CPU engine at once, a GPU measured faster on
  // the side takes it over mid-run with its whole state, and a switch back continues it again.
  for (const name of GPU_OPTIMIZER_NAMES) {
    it(`${name}: 'auto' starts on the CPU, moves to the faster "GPU" at step 100, back at 200 = 300 CPU steps, bit for bit`, async () => {
      const cfg = config(name);
      const updates: TrainerUpdate[] = [];
      // The "CPU" is the engine slowed by 20 ms a call, so the stand-in GPU is measured faster (at 3 ms
      // the side measurement, interleaved with the run's own calls, lost now and then on a loaded machine).
      const svc = new TrainerService({
        factories: { cpu: () => new DeviceDouble(20, false, 'cpu'), gpu: async () => new DeviceDouble(0, false) },
      });
      await svc.subscribe((u) => {
        updates.push(u);
      });
      const r = await svc.create([cfg]);
      if (!r.ok) throw new Error(r.message);
      expect(r.value.backend).toMatchObject({ kind: 'cpu', reason: 'measuring' });
      await svc.step(100); // the probe measures meanwhile; its move waits for this call to end
      await svc.testProbed();
      const moved = await svc.getStatus();
      expect(moved.backend).toMatchObject({ kind: 'webgpu', reason: 'calibrated', movedAtStep: 100 });
      expect(moved.backend?.message).toMatch(/faster than the CPU engine .*moved from the CPU engine at step 100\./);
      expect(moved.notice).toMatch(/Moved to WebGPU at step 100/);
      await svc.step(100);
      expect((await svc.setBackend('cpu'))?.kind).toBe('cpu');
      await svc.step(100);
      await svc.dispose();
      const ref = await undisturbed(cfg, 300);
      expect(ref.length).toBeGreaterThan(200);
      expect(stepsOf(updates)).toEqual(Array.from({ length: ref.length }, (_, i) => i));
      expect(lossesOf(updates)).toEqual(ref);
    });
  }
});

describe('Muon trains on the WebGPU backend: it starts there and a live switch to it stays there', () => {
  const muon = (c: TrainConfig): TrainConfig => ({ ...c, optimizer: { ...c.optimizer, name: 'muon', lr: 0.02 } });

  it("at creation ('webgpu'): on the GPU backend, nothing refused", async () => {
    const { svc } = serviceWithLog(async () => new DeviceDouble(0, false));
    const r = await svc.create([muon(config('adam'))], { backend: 'webgpu' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend).toMatchObject({ kind: 'webgpu', reason: 'forced' });
    await svc.dispose();
  });

  it("at creation ('auto'): measured like every rule the GPU runs, not sent to the CPU engine for its rule", async () => {
    const { svc } = serviceWithLog(async () => new DeviceDouble(0, false));
    const r = await svc.create([muon(config('adam'))]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend).toMatchObject({ kind: 'cpu', reason: 'measuring' });
    expect(r.value.backend.message).not.toMatch(/optimizer\.name/);
    await svc.dispose();
  });

  it('on a live switch: the run stays on the GPU and goes on as Muon, step for step as on the CPU', async () => {
    const cfg = config('adam');
    const { svc, updates } = serviceWithLog(async () => new DeviceDouble(0, false));
    const r = await svc.create([cfg], { backend: 'webgpu' });
    if (!r.ok) throw new Error(r.message);
    await svc.step(60);
    expect((await svc.setConfig(0, muon(cfg))).ok).toBe(true);
    const st = (await svc.getStatus()).backend;
    expect(st).toMatchObject({ kind: 'webgpu', reason: 'forced' });
    expect(st?.movedAtStep).toBeUndefined();
    await svc.step(60);
    await svc.dispose();
    // the same on the CPU engine throughout
    const ref = serviceWithLog();
    const rr = await ref.svc.create([cfg], { backend: 'cpu' });
    if (!rr.ok) throw new Error(rr.message);
    await ref.svc.step(60);
    await ref.svc.setConfig(0, muon(cfg));
    await ref.svc.step(60);
    await ref.svc.dispose();
    expect(lossesOf(updates).length).toBe(120);
    expect(lossesOf(updates)).toEqual(lossesOf(ref.updates));
  });
});
