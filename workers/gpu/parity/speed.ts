// Rough speed probes for development and for the benchmark (npm run bench builds its rows on
// these): steps per second of GpuBackend on a given config, time to the first step (pipeline
// compilation included), dispatches and submissions per step, and a timed forward matmul.
// Never asserted in tests (speed depends on the machine); the bench reports ratios.
import { makeDataset } from '../../../src/engine/data/dataset';
import { buildLayout, initParams } from '../../../src/engine/layout';
import { Rng, streamSeed } from '../../../src/engine/rng';
import type { TrainConfig } from '../../../src/engine/types';
import { GpuBackend, type GpuBackendOptions } from '../backend';
import type { GpuDevice } from '../device';
import type { KernelName } from '../kernels';
import { KernelRunner } from './runner';

export interface SpeedResult {
  stepsPerSec: number;
  /** From GpuBackend.create() to the end of the first train(1): device, build, compilation, one step. */
  firstStepMs: number;
  /** Of which device + build (buffers, uploads). */
  buildMs: number;
  /** 'fused' or 'general'. */
  path: string;
  dispatchesPerStep: number;
  submitsPerStep: number;
  steps: number;
}

/** Build cfgs (runs of one compare set), time the first train(1), then train for about `ms` milliseconds. */
export async function trainSpeed(
  cfgs: TrainConfig[],
  ms = 2000,
  per = 64,
  opts: GpuBackendOptions = {},
): Promise<SpeedResult> {
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  const t0 = performance.now();
  const gpu = await GpuBackend.create(opts);
  try {
    await gpu.build(cfgs, ds, init);
    const buildMs = performance.now() - t0;
    await gpu.train(1);
    const firstStepMs = performance.now() - t0;
    await gpu.train(per); // warm: every variant compiled
    let steps = 0;
    const t1 = performance.now();
    while (performance.now() - t1 < ms) {
      const p = await gpu.train(per);
      steps += p[0].steps.n;
      if (p[0].status !== 'ok') break;
    }
    const secs = (performance.now() - t1) / 1000;
    const c = gpu.counters();
    return {
      stepsPerSec: steps / secs,
      firstStepMs,
      buildMs,
      path: gpu.pathInfo.path,
      dispatchesPerStep: c.dispatchesPerStep,
      submitsPerStep: c.submitsPerStep,
      steps,
    };
  } finally {
    gpu.dispose();
  }
}

/** GFLOP/s of the forward matmul kernel at M = N = K = n: `reps` dispatches in one submission. */
export async function matmulGflops(
  gpu: GpuDevice,
  n: number,
  reps = 10,
  runner?: KernelRunner,
  kernel: KernelName = 'matmul',
): Promise<number> {
  const k = runner ?? new KernelRunner(gpu);
  try {
    const X = new Float32Array(n * n).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
    const acts = k.upload(new Float32Array(n * n * 2));
    k.device.queue.writeBuffer(acts, 0, X);
    const theta = k.upload(new Float32Array(n * n + n).map((_, i) => ((i * 5) % 11) / 11 - 0.5));
    k.setStep(0, { s: 0, rowBase: 0, valid: n });
    const dims = k.uniform([n, n, n, 0, 0, 0, n * n, 0, n * n, 0, 0, 2 * n * n, 0, 1, 0, 0]);
    const bufs = [
      dims,
      k.upload(new Float32Array(1)),
      k.upload(new Uint32Array(1)),
      theta,
      acts,
      k.upload(new Uint32Array(64)),
    ];
    const wg: [number, number, number] = [Math.ceil(n / 32), Math.ceil(n / 32), 1];
    await k.dispatch(kernel, { EPI: 0, XSRC: 0 }, bufs, wg); // compile + warm
    await k.device.queue.onSubmittedWorkDone();
    const t0 = performance.now();
    await k.dispatchMany(kernel, { EPI: 0, XSRC: 0 }, bufs, wg, reps);
    await k.device.queue.onSubmittedWorkDone();
    const secs = (performance.now() - t0) / 1000;
    return (2 * n * n * n * reps) / secs / 1e9;
  } finally {
    if (!runner) k.dispose();
  }
}

/** Development profile: milliseconds per dispatch of each op of the training step (reps each, alone). */
export async function profileOps(cfgs: TrainConfig[], reps = 50): Promise<string[]> {
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  const gpu = await GpuBackend.create();
  try {
    await gpu.build(cfgs, ds, init);
    await gpu.train(40);
    const m = (gpu as unknown as { model: import('../model').GpuModel }).model;
    const ops = [
      ...m.trainOps((gpu as unknown as { variant(): import('../general').TrainVariant }).variant()),
      ...m.evalSplitOps('train'),
    ];
    const out: string[] = [];
    const dev = gpu.gpu.device;
    for (const op of ops) {
      const t0 = performance.now();
      const enc = dev.createCommandEncoder();
      const pass = enc.beginComputePass();
      for (let i = 0; i < reps; i++) {
        pass.setPipeline(op.pipe.pipeline);
        pass.setBindGroup(0, op.group);
        pass.setBindGroup(1, m.res.stepGroup, [0]);
        pass.dispatchWorkgroups(...op.wg);
      }
      pass.end();
      dev.queue.submit([enc.finish()]);
      await dev.queue.onSubmittedWorkDone();
      out.push(`${op.name} wg=${op.wg.join('x')}: ${((performance.now() - t0) / reps).toFixed(3)} ms`);
    }
    return out;
  } finally {
    gpu.dispose();
  }
}
