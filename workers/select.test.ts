// Backend choice and device-loss recovery, with a GPU double (testDoubles.ts) standing in for
// WebGPU: the real adapter is exercised by e2e/worker.spec.ts in Chromium.
import { describe, expect, it } from 'vitest';
import { type Dataset, defaultConfig } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { CPU_NAME_TS, CPU_NAME_WASM, CpuBackend } from './cpu/backend';
import { MAX_RECREATES } from './recover';
import { FALLBACK_WORTH_FLOPS, fallbackWorthFlops, stepFlops } from './select';
import { TrainerService } from './service';
import { DeviceDouble, serviceWithLog, sleep, stepsOf, waitFor } from './testDoubles';

const small = (): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 200;
  return c;
};

describe('backend choice', () => {
  it("'auto' starts on the CPU at once, does not even build a software adapter on a small net, and says why", async () => {
    const { svc } = serviceWithLog(async () => new DeviceDouble(5, true));
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.backend).toMatchObject({ kind: 'cpu', reason: 'measuring' });
    expect(r.value.backend.message).toMatch(/started at once; WebGPU is being measured on the side/);
    await svc.testProbed();
    const b = (await svc.getStatus()).backend!;
    expect(b).toMatchObject({ kind: 'cpu', reason: 'fallback-adapter' });
    expect(b.calibration?.cpuStepsPerSec).toBeGreaterThan(0);
    expect(b.calibration?.gpuStepsPerSec).toBeNull();
    expect(b.message).toMatch(/software one \(test adapter\)/);
  });

  it("'auto': a software adapter known from its description alone (gpuAdapter) on a small net: no device, no GPU code", async () => {
    let devices = 0;
    const svc = new TrainerService({
      factories: {
        cpu: (o) => new CpuBackend(o),
        gpu: async () => {
          devices++;
          return new DeviceDouble(5, true);
        },
        gpuAdapter: async () => ({ name: 'test adapter (fallback)', fallbackAdapter: true }),
      },
    });
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    await svc.testProbed();
    const b = (await svc.getStatus()).backend!;
    expect(b).toMatchObject({ kind: 'cpu', reason: 'fallback-adapter' });
    expect(b.message).toMatch(/software one \(test adapter \(fallback\)\)/);
    expect(b.calibration?.cpuStepsPerSec).toBeGreaterThan(0);
    expect(devices).toBe(0);
    // A hardware adapter (or a net worth measuring) still gets its device, built and measured.
    const hw = new TrainerService({
      factories: {
        cpu: (o) => new CpuBackend(o),
        gpu: async () => {
          devices++;
          return new DeviceDouble(50, false);
        },
        gpuAdapter: async () => ({ name: 'test adapter', fallbackAdapter: false }),
      },
    });
    await hw.create([small()]);
    await hw.testProbed();
    expect(devices).toBe(1);
    expect((await hw.getStatus()).backend).toMatchObject({ kind: 'cpu', reason: 'calibrated' });
  });

  it("'auto' does not build a software adapter against the WebAssembly CPU engine even on a net above FALLBACK_WORTH_FLOPS", async () => {
    const c = small();
    c.model.hidden = [512, 512].map((units) => ({ units, activation: 'tanh' as const, dropout: 0, batchNorm: false }));
    c.batchSize = 64;
    const { svc } = serviceWithLog(async () => new DeviceDouble(5, true));
    const r = await svc.create([c]);
    if (!r.ok) throw new Error(r.message);
    await svc.testProbed();
    const st = await svc.getStatus();
    const b = st.backend!;
    expect(b.name).toBe(CPU_NAME_WASM);
    // above the TypeScript engine's bound, so only the WebAssembly kernels' bound keeps it unbuilt
    expect(stepFlops([c], { nTrain: 200, inputDim: 2, outputDim: 2 } as Dataset)).toBeGreaterThan(FALLBACK_WORTH_FLOPS);
    expect(b).toMatchObject({ kind: 'cpu', reason: 'fallback-adapter' });
    expect(b.calibration?.gpuStepsPerSec).toBeNull();
    expect(b.message).toMatch(
      /software one \(test adapter\), far slower than the CPU engine with its WebAssembly SIMD kernels/,
    );
    // the TypeScript engine keeps the old bound
    expect(fallbackWorthFlops({ kind: 'cpu', name: CPU_NAME_TS, fallbackAdapter: false })).toBe(FALLBACK_WORTH_FLOPS);
    expect(fallbackWorthFlops({ kind: 'cpu', name: CPU_NAME_WASM, fallbackAdapter: false })).toBeGreaterThan(
      stepFlops([c], { nTrain: 200, inputDim: 2, outputDim: 2 } as Dataset),
    );
  });

  it("'auto' measures both on the side and keeps the faster; the run trains meanwhile, untouched by the measuring", async () => {
    // 50 ms a call: clearly slower than the CPU engine however many steps a measuring call takes
    // (at 5 ms, long calls amortised it to the CPU's own rate and the verdict went by the load)
    const slowGpu = serviceWithLog(async () => new DeviceDouble(50, false));
    const r = await slowGpu.svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    await slowGpu.svc.step(20);
    await slowGpu.svc.testProbed();
    const st = await slowGpu.svc.getStatus();
    expect(st.backend).toMatchObject({ kind: 'cpu', reason: 'calibrated' });
    const c = st.backend!.calibration!;
    expect(c.gpuStepsPerSec).toBeGreaterThan(0);
    expect(c.cpuStepsPerSec).toBeGreaterThan(c.gpuStepsPerSec!);
    expect(st.backend!.message).toMatch(/CPU engine: [\d.]+x faster than WebGPU \(test adapter\)/);
    // Calibration trained side backends only: the run is where 20 steps of a plain CPU run are.
    expect(st.runs[0].step).toBe(20);
    const fresh = serviceWithLog();
    await fresh.svc.create([small()]);
    await fresh.svc.step(20);
    expect(await slowGpu.svc.getParams(0)).toEqual(await fresh.svc.getParams(0));
    // The CPU won on this shape: the next build does not ask for a device.
    let asked = 0;
    const again = serviceWithLog(async () => {
      asked++;
      return new DeviceDouble(5, false);
    });
    await again.svc.create([small()]);
    await again.svc.testProbed();
    await again.svc.create([small()]);
    await again.svc.testProbed();
    expect(asked).toBe(1);
    expect((await again.svc.getStatus()).backend).toMatchObject({ kind: 'cpu', reason: 'calibrated' });

    // A GPU that is faster than the (here deliberately slowed) CPU wins, and the run moves there.
    const fastGpu = new TrainerService({
      factories: { cpu: () => new DeviceDouble(5, false, 'cpu'), gpu: async () => new DeviceDouble(0, false) },
    });
    const f = await fastGpu.create([small()]);
    expect(f.ok && f.value.backend).toMatchObject({ kind: 'cpu', reason: 'measuring' });
    await fastGpu.testProbed();
    const moved = (await fastGpu.getStatus()).backend;
    expect(moved).toMatchObject({ kind: 'webgpu', reason: 'calibrated', movedAtStep: 0 });
    expect(moved?.message).toMatch(/WebGPU \(test adapter\): [\d.]+x faster than the CPU engine/);
  });

  it("'auto' never waits for the GPU: the run trains on the CPU while the device is still being set up", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = new TrainerService({
      factories: {
        cpu: () => new DeviceDouble(3, false, 'cpu'),
        gpu: async () => {
          await gate; // a device (or its kernels) not ready yet
          return new DeviceDouble(0, false);
        },
      },
    });
    const r = await slow.create([small()]);
    if (!r.ok) throw new Error(r.message);
    const st = await slow.step(30);
    expect(st.runs[0].step).toBe(30);
    expect(st.backend).toMatchObject({ kind: 'cpu', reason: 'measuring' });
    release();
    await slow.testProbed();
    // Once the device is there and measured faster, the run moves at the step it had reached.
    expect((await slow.getStatus()).backend).toMatchObject({ kind: 'webgpu', movedAtStep: 30 });
    expect((await slow.step(10)).runs[0].step).toBe(40);
  });

  it("'auto': Play's first step reaches the page before the probe builds, measures or moves anything", async () => {
    // The CPU engine takes 50 ms a call, the device is there after 20 ms: without the wait
    // (TrainerCore.firstStepShown) the GPU build would start while the first step is still training.
    const events: string[] = [];
    class LoggedGpu extends DeviceDouble {
      override async build(...args: Parameters<DeviceDouble['build']>) {
        events.push('gpu build');
        return super.build(...args);
      }
    }
    const svc = new TrainerService({
      factories: {
        cpu: () => new DeviceDouble(50, false, 'cpu'),
        gpu: async () => {
          await sleep(20);
          return new LoggedGpu(0, false);
        },
      },
    });
    void svc.subscribe((u) => {
      if (u.metrics.some((m) => m.step.length > 0) && !events.includes('first step')) events.push('first step');
    });
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    await svc.start();
    await svc.testProbed();
    await svc.pause();
    expect(events.slice(0, 2)).toEqual(['first step', 'gpu build']);
    expect((await svc.getStatus()).backend).toMatchObject({ kind: 'webgpu', reason: 'calibrated' });
  });

  it("'auto': a Play soon after create() is not held up by a side measurement at all: the run's own rate counts", async () => {
    // A software adapter's probe wants the CPU's rate; a side call would block the worker's thread for
    // a step or more. It waits SIDE_WAIT_MS for a Play first (here a minute, so that the machine's load
    // cannot make the Play late): one comes 30 ms after create(). The old probe built its side backend at once.
    let built = 0;
    const svc = new TrainerService({
      sideWaitMs: 60_000,
      factories: {
        cpu: (o) => {
          built++;
          return new CpuBackend(o);
        },
        gpu: async () => new DeviceDouble(5, true),
      },
    });
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    expect(built).toBe(1);
    await sleep(30);
    await svc.start();
    await svc.testProbed();
    await svc.pause();
    expect(built).toBe(1); // no side backend was built
    const b = (await svc.getStatus()).backend!;
    expect(b).toMatchObject({ kind: 'cpu', reason: 'fallback-adapter' });
    expect(b.calibration?.cpuStepsPerSec).toBeGreaterThan(0);
  });

  it("'auto': a Play sent while the CPU is measured on the side trains at once; the measuring gives way", async () => {
    // The CPU engine's calls are synchronous in the worker's thread (here: 15 ms of busy work each).
    // A software adapter's probe measures the CPU on the side right after create(); the page's Play
    // arrives during its first call. It must not wait for the rest (CALIBRATION_BUDGET_MS, ~8 calls):
    // the measuring yields before each call, waits while the Play's first step is due, and then
    // takes the run's own rate instead of measuring on.
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end) {}
    };
    const events: string[] = [];
    let built = 0;
    let svc: TrainerService | null = null;
    class BusyCpu extends CpuBackend {
      private readonly side = built++ > 0;
      override async train(n: number) {
        busy(15);
        if (this.side) {
          // the page's Play, posted while this call runs: a message handled at the next yield
          if (!events.includes('side call')) setTimeout(() => void svc?.start(), 0);
          events.push('side call');
        }
        return super.train(n);
      }
    }
    svc = new TrainerService({ factories: { cpu: () => new BusyCpu(), gpu: async () => new DeviceDouble(5, true) } });
    void svc.subscribe((u) => {
      if (u.metrics.some((m) => m.step.length > 0) && !events.includes('first step')) events.push('first step');
    });
    const r = await svc.create([small()]);
    if (!r.ok) throw new Error(r.message);
    await waitFor(() => events.includes('first step'));
    await svc.testProbed();
    await svc.pause();
    // Only the side call the Play came in; none after it: the run's own rate counts.
    expect(events).toEqual(['side call', 'first step']);
    const b = (await svc.getStatus()).backend!;
    expect(b).toMatchObject({ kind: 'cpu', reason: 'fallback-adapter' });
    expect(b.calibration?.cpuStepsPerSec).toBeGreaterThan(0);
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
