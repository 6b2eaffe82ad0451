// Backend choice and device-loss recovery, with a GPU double (testDoubles.ts) standing in for
// WebGPU: the real adapter is exercised by e2e/worker.spec.ts in Chromium.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { MAX_RECREATES } from './recover';
import { AUTO_GPU_DEADLINE_MS } from './select';
import { TrainerService } from './service';
import { DeviceDouble, serviceWithLog, stepsOf, waitFor } from './testDoubles';

const small = (): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 200;
  return c;
};

describe('backend choice', () => {
  it("'auto' does not even measure a software adapter on a small net, and says why", async () => {
    const { svc } = serviceWithLog(async () => new DeviceDouble(5, true));
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    const b = r.value.backend;
    expect(b).toMatchObject({ kind: 'cpu', reason: 'fallback-adapter' });
    expect(b.calibration?.cpuStepsPerSec).toBeGreaterThan(0);
    expect(b.calibration?.gpuStepsPerSec).toBeNull();
    expect(b.message).toMatch(/software one \(test adapter\)/);
  });

  it("'auto' measures both and keeps the faster, starting from step 0 with the initial weights", async () => {
    const slowGpu = serviceWithLog(async () => new DeviceDouble(5, false));
    const r = await slowGpu.svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend).toMatchObject({ kind: 'cpu', reason: 'calibrated' });
    const c = r.value.backend.calibration!;
    expect(c.gpuStepsPerSec).toBeGreaterThan(0);
    expect(c.cpuStepsPerSec).toBeGreaterThan(c.gpuStepsPerSec!);
    expect(r.value.backend.message).toMatch(/CPU engine: [\d.]+x faster than WebGPU \(test adapter\)/);
    // Calibration trained the backend; the run still starts at step 0 from the shared initial weights.
    expect((await slowGpu.svc.getStatus()).runs[0].step).toBe(0);
    const fresh = serviceWithLog();
    await fresh.svc.create([small()]);
    expect(await slowGpu.svc.getParams(0)).toEqual(await fresh.svc.getParams(0));

    // A GPU that is faster than the (here deliberately slowed) CPU wins.
    const fastGpu = new TrainerService({
      factories: { cpu: () => new DeviceDouble(5, false, 'cpu'), gpu: async () => new DeviceDouble(0, false) },
    });
    const f = await fastGpu.create([small()]);
    expect(f.ok && f.value.backend).toMatchObject({ kind: 'webgpu', reason: 'calibrated' });
    expect(f.ok && f.value.backend.message).toMatch(/WebGPU \(test adapter\): [\d.]+x faster than the CPU engine/);
  });

  it("'auto' does not wait for a GPU that is still warming up at the deadline", async () => {
    const { svc } = serviceWithLog(async () => new DeviceDouble(AUTO_GPU_DEADLINE_MS + 500, false));
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend).toMatchObject({ kind: 'cpu', reason: 'calibrated' });
    expect(r.value.backend.calibration?.gpuStepsPerSec).toBeNull();
    expect(r.value.backend.message).toMatch(/not ready within/);
    expect(r.value.backend.calibration!.ms).toBeLessThan(AUTO_GPU_DEADLINE_MS + 400);
  });

  it('forced choices are obeyed, and a forced WebGPU without WebGPU falls back with the reason', async () => {
    const withGpu = serviceWithLog(async () => new DeviceDouble());
    const g = await withGpu.svc.create([small()], { backend: 'webgpu' });
    expect(g.ok && g.value.backend).toMatchObject({ kind: 'webgpu', reason: 'forced' });
    const c = await withGpu.svc.create([small()], { backend: 'cpu' });
    expect(c.ok && c.value.backend).toMatchObject({ kind: 'cpu', reason: 'forced' });
    const none = serviceWithLog(null);
    const n = await none.svc.create([small()], { backend: 'webgpu' });
    expect(n.ok && n.value.backend).toMatchObject({ kind: 'cpu', reason: 'no-webgpu' });
    const failing = serviceWithLog(async () => {
      throw Object.assign(new Error('requestAdapter() returned null'), { reason: 'no-adapter' });
    });
    const f = await failing.svc.create([small()], { backend: 'webgpu' });
    expect(f.ok && f.value.backend.reason).toBe('adapter-failed');
    expect(f.ok && f.value.backend.message).toMatch(/adapter request failed \(requestAdapter\(\) returned null\)/);
  });

  it('a lost device is survived: training continues from the last parameters and the page is told', async () => {
    const { svc, updates } = serviceWithLog(async () => new DeviceDouble());
    await svc.create([small()], { backend: 'webgpu' });
    await svc.step(30);
    expect(await svc.testLoseDevice()).toBe(true);
    // The chunk that hit the loss is redone on the re-created device: step(30) still delivers 30 steps.
    const st = await svc.step(30);
    expect(st.backend).toMatchObject({ kind: 'webgpu', deviceLosses: 1 });
    expect(st.notice).toMatch(/device was lost at step 30/);
    expect(st.runs[0].step).toBe(60);
    expect(stepsOf(updates)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect((await svc.getStatus()).runs[0].state).toBe('paused');
    // The parameters moved over: the new backend does not start from the initial weights.
    const init = serviceWithLog();
    await init.svc.create([small()]);
    expect(await svc.getParams(0)).not.toEqual(await init.svc.getParams(0));
  });

  it('a device lost while paused is recovered at once and the page is told', async () => {
    const { svc, updates } = serviceWithLog(async () => new DeviceDouble());
    await svc.create([small()], { backend: 'webgpu' });
    await svc.step(10);
    const n = updates.length;
    expect(await svc.testLoseDevice()).toBe(true);
    await waitFor(() => updates.length > n);
    const last = updates[updates.length - 1].status;
    expect(last.backend).toMatchObject({ kind: 'webgpu', deviceLosses: 1 });
    expect(last.notice).toMatch(/lost at step 10/);
    expect((await svc.step(5)).runs[0].step).toBe(15);
  });

  it('moves to the CPU engine when device losses keep coming', async () => {
    const { svc } = serviceWithLog(async () => new DeviceDouble());
    await svc.create([small()], { backend: 'webgpu' });
    for (let i = 0; i <= MAX_RECREATES; i++) {
      await svc.step(5);
      expect(await svc.testLoseDevice()).toBe(true);
    }
    const st = await svc.step(5);
    expect(st.backend).toMatchObject({ kind: 'cpu', reason: 'device-lost', deviceLosses: MAX_RECREATES + 1 });
    expect(st.notice).toMatch(/CPU engine/);
    expect(await svc.testLoseDevice()).toBe(false);
    const after = await svc.step(5);
    expect(after.runs[0].step).toBeGreaterThan(st.runs[0].step);
  });
});
