// Moving a run between the CPU engine and WebGPU with its whole state (src/engine/snapshot.ts,
// TrainingBackend.exportState / importState), for e2e/state.spec.ts. Each harness returns per-step
// losses of the moved run and of the undisturbed CPU run (same config, data, init), by step index.
import { makeDataset } from '../../src/engine/data/dataset';
import { defaultConfig } from '../../src/engine/defaults';
import { buildLayout, initParams } from '../../src/engine/layout';
import { Rng, streamSeed } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/types';
import type { TrainingBackend } from '../../workers/backend';
import { CpuBackend } from '../../workers/cpu/backend';
import { GpuBackend } from '../../workers/gpu/backend';

/** Batch norm, a plateau schedule (patience 1: reductions within 300 steps) and early stopping on. */
function config(optimizer: string, batchNorm: boolean, wide = false): TrainConfig {
  const c = defaultConfig();
  c.data = { ...c.data, name: 'circle', samples: 200, valFraction: 0.2, noise: 0.1 };
  c.batchSize = 16;
  c.seed = 3;
  // wide: 2-256-256-2, ~67k weights, so one exported Adam state (w, m, v, best w) is ~1 MB of arrays
  // and a leak of one state per move stands out of the heap's noise (the heap test below)
  c.model.hidden = wide
    ? [
        { units: 256, activation: 'tanh', dropout: 0, batchNorm },
        { units: 256, activation: 'relu', dropout: 0, batchNorm },
      ]
    : [
        { units: 8, activation: 'tanh', dropout: 0, batchNorm },
        { units: 6, activation: 'relu', dropout: 0, batchNorm },
      ];
  c.optimizer = { ...c.optimizer, name: optimizer as TrainConfig['optimizer']['name'] };
  c.optimizer.lr = optimizer === 'sgd' || optimizer === 'adagrad' ? 0.1 : 0.01;
  c.schedule = { ...c.schedule, kind: 'plateau', patience: 1, factor: 0.5 };
  // patience 30: early stopping stays on and fires, if at all, after the last move (LAMB stopped at 170 with 15)
  c.earlyStop = { enabled: true, patience: 30, minDelta: 0.001, restoreBest: true };
  return c;
}

function setup(optimizer: string, batchNorm = true, wide = false) {
  const cfg = config(optimizer, batchNorm, wide);
  const ds = makeDataset(cfg.data, cfg.seed);
  const layout = buildLayout(cfg.model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfg.model, new Rng(streamSeed(cfg.seed, 'init')));
  return { cfg, ds, init };
}

/** loss by step index (NaN where absent), n steps of `b` in calls of at most 50. */
async function trainInto(b: TrainingBackend, n: number, into: number[]): Promise<string> {
  let status = 'ok';
  for (let done = 0; done < n; done += 50) {
    const [p] = await b.train(Math.min(50, n - done));
    for (let i = 0; i < p.steps.n; i++) into[p.steps.step[i]] = p.steps.loss[i];
    status = p.status;
  }
  return status;
}

export interface MoveReport {
  moved: number[];
  reference: number[];
  status: [string, string];
  /** What the features under test did in the reference run: lr values seen, early stop step. */
  lrs: number;
  refSteps: number;
  optT: number[];
}

type Reference = Awaited<ReturnType<typeof reference>>;

function report(moved: number[], ref: Reference, status: string, optT: number[]): MoveReport {
  return { moved, reference: ref.loss, status: [status, ref.status], lrs: ref.lrs, refSteps: ref.loss.length, optT };
}

async function reference(optimizer: string, n: number, batchNorm: boolean) {
  const { cfg, ds, init } = setup(optimizer, batchNorm);
  const cpu = new CpuBackend();
  await cpu.build([cfg], ds, init);
  const loss: number[] = [];
  const lrs = new Set<number>();
  let status = 'ok';
  for (let done = 0; done < n; done += 50) {
    const [p] = await cpu.train(50);
    for (let i = 0; i < p.steps.n; i++) {
      loss[p.steps.step[i]] = p.steps.loss[i];
      lrs.add(p.steps.lr[i]);
    }
    status = p.status;
  }
  return { loss, status, lrs: lrs.size };
}

/** 100 steps on the CPU, 100 on the GPU, 100 on the CPU, against 300 on the CPU. */
async function cpuGpuCpu(optimizer: string, batchNorm: boolean): Promise<MoveReport> {
  const { cfg, ds, init } = setup(optimizer, batchNorm);
  const ref = await reference(optimizer, 300, batchNorm);
  const moved: number[] = [];
  const a = new CpuBackend();
  await a.build([cfg], ds, init);
  await trainInto(a, 100, moved);
  const s1 = await a.exportState(0);
  const gpu = await GpuBackend.create();
  const optT: number[] = [s1.opt.t];
  try {
    await gpu.build([cfg], ds, init);
    await gpu.importState(0, s1);
    await trainInto(gpu, 100, moved);
    const s2 = await gpu.exportState(0);
    optT.push(s2.opt.t);
    const b = new CpuBackend();
    await b.build([cfg], ds, init);
    await b.importState(0, s2);
    const status = await trainInto(b, 100, moved);
    return report(moved, ref, status, optT);
  } finally {
    gpu.dispose();
  }
}

/**
 * Adam on the GPU; its state is checkpointed at step 100, the device is lost at step 150, a new
 * device imports the checkpoint and trains on to step 300 (steps 100..149 are re-done).
 */
async function deviceLoss(batchNorm: boolean): Promise<MoveReport> {
  const { cfg, ds, init } = setup('adam', batchNorm);
  const ref = await reference('adam', 300, batchNorm);
  const moved: number[] = [];
  const first = await GpuBackend.create();
  await first.build([cfg], ds, init);
  await trainInto(first, 100, moved);
  const checkpoint = await first.exportState(0);
  await trainInto(first, 50, moved);
  const lost = new Promise<void>((resolve) => first.onDeviceLost(() => resolve()));
  first.simulateDeviceLoss();
  await lost;
  const second = await GpuBackend.create();
  try {
    await second.build([cfg], ds, init);
    await second.importState(0, checkpoint);
    const status = await trainInto(second, 200, moved);
    return report(moved, ref, status, [checkpoint.opt.t]);
  } finally {
    second.dispose();
  }
}

/** 20 moves back and forth through one GpuBackend (batch norm on): its buffers and bytes after each. */
async function buffersOverMoves(): Promise<{ buffers: number[]; bytes: number[] }> {
  const { cfg, ds, init } = setup('adam');
  cfg.earlyStop = { ...cfg.earlyStop, enabled: false };
  const cpu = new CpuBackend();
  await cpu.build([cfg], ds, init);
  const gpu = await GpuBackend.create();
  const buffers: number[] = [];
  const bytes: number[] = [];
  try {
    await gpu.build([cfg], ds, init);
    for (let k = 0; k < 20; k++) {
      await gpu.importState(0, await cpu.exportState(0));
      await gpu.train(5);
      await cpu.importState(0, await gpu.exportState(0));
      await cpu.train(5);
      const c = gpu.counters();
      buffers.push(c.buffers);
      bytes.push(c.bytes);
    }
    return { buffers, bytes };
  } finally {
    gpu.dispose();
  }
}

/**
 * The page's JS heap over 20 moves back and forth (the test reads the heap between calls, after a
 * forced GC, through the DevTools protocol): open() builds a wide Adam run on both backends,
 * move() does one CPU -> GPU -> CPU round trip of 5 + 5 steps and drops the exported states, close() frees.
 */
const heapRig: { cpu?: CpuBackend; gpu?: GpuBackend; bytes: number } = { bytes: 0 };
async function heapOpen(): Promise<{ stateBytes: number }> {
  const { cfg, ds, init } = setup('adam', true, true);
  cfg.earlyStop = { ...cfg.earlyStop, enabled: false };
  heapRig.cpu = new CpuBackend();
  await heapRig.cpu.build([cfg], ds, init);
  heapRig.gpu = await GpuBackend.create();
  await heapRig.gpu.build([cfg], ds, init);
  const s = await heapRig.cpu.exportState(0);
  // bytes of the typed arrays one exported state holds (weights, moments, BN statistics, best weights)
  const walk = (v: unknown): number =>
    ArrayBuffer.isView(v)
      ? v.byteLength
      : v && typeof v === 'object'
        ? Object.values(v as Record<string, unknown>).reduce<number>((a, x) => a + walk(x), 0)
        : 0;
  heapRig.bytes = walk(s);
  return { stateBytes: heapRig.bytes };
}
async function heapMove(): Promise<number> {
  const { cpu, gpu } = heapRig;
  if (!cpu || !gpu) throw new Error('heapOpen() first');
  await gpu.importState(0, await cpu.exportState(0));
  await gpu.train(5);
  await cpu.importState(0, await gpu.exportState(0));
  const [p] = await cpu.train(5);
  return p.steps.step[p.steps.n - 1];
}
function heapClose(): void {
  heapRig.gpu?.dispose();
  heapRig.cpu = undefined;
  heapRig.gpu = undefined;
}

/** The same 300 steps on the GPU alone (no move): the GPU's own distance from the engine, for diagnosis. */
async function gpuOnly(optimizer: string, batchNorm: boolean): Promise<MoveReport> {
  const { cfg, ds, init } = setup(optimizer, batchNorm);
  const ref = await reference(optimizer, 300, batchNorm);
  const moved: number[] = [];
  const gpu = await GpuBackend.create();
  try {
    await gpu.build([cfg], ds, init);
    const status = await trainInto(gpu, 300, moved);
    return report(moved, ref, status, []);
  } finally {
    gpu.dispose();
  }
}

async function adapter(): Promise<{ ok: boolean; name: string }> {
  try {
    const g = await GpuBackend.create();
    const name = g.info.name;
    g.dispose();
    return { ok: true, name };
  } catch (e) {
    return { ok: false, name: e instanceof Error ? e.message : String(e) };
  }
}

const harness = { adapter, cpuGpuCpu, deviceLoss, buffersOverMoves, gpuOnly, heapOpen, heapMove, heapClose };

declare global {
  interface Window {
    stateMoves: typeof harness;
  }
}
window.stateMoves = harness;
document.body.dataset.ready = '1';
