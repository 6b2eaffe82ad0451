// Speed and compile-time probes on the parity page (development, and the numbers npm run bench
// builds its rows on). Never asserted in tests: speed depends on the machine.
import { makeDataset } from '../../../src/engine/data/dataset';
import { DIGITS_PATH } from '../../../src/engine/data/digits';
import { buildLayout, initParams } from '../../../src/engine/layout';
import { Rng, streamSeed } from '../../../src/engine/rng';
import type { OptimizerName, TrainConfig } from '../../../src/engine/types';
import { loadDigits } from '../../digits';
import { GpuBackend, type GpuBackendOptions } from '../backend';
import { KERNELS, type KernelName } from '../kernels';
import { PipelineCache } from '../pipelines';
import { matmulGflops, profileOps, type SpeedResult, trainSpeed } from './speed';
import { getRunner } from './suite';
import { smallConfig } from './training';

/** Speed probe (development and bench): a named shape, steps per second and dispatches per step. */
export async function speedProbe(
  shape: 'small' | 'small-adam' | 'digits' | 'compare6',
  ms = 2000,
): Promise<SpeedResult> {
  const make = (opt: OptimizerName) => {
    const c = smallConfig();
    c.model.hidden = [16, 16].map((units) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false }));
    c.data = { ...c.data, samples: 400, valFraction: 0.3 };
    c.batchSize = 32;
    c.optimizer.name = opt;
    return c;
  };
  if (shape === 'small') return trainSpeed([make('sgd')], ms);
  if (shape === 'small-adam') return trainSpeed([make('adam')], ms);
  if (shape === 'compare6')
    return trainSpeed((['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const).map(make), ms);
  const digits = await loadDigits(new URL(`../../${DIGITS_PATH}`, document.baseURI));
  const c = smallConfig();
  c.data = { ...c.data, name: 'digits', samples: 2000, valFraction: 0.2 };
  c.model.hidden = [256, 256].map((units) => ({ units, activation: 'relu', dropout: 0, batchNorm: false }));
  c.batchSize = 128;
  return trainSpeed([c], ms, 16, {}, digits);
}

/** GFLOP/s of the forward matmul kernel at n x n x n (`reps` dispatches in one submission). */
export async function matmulSpeed(n: number, reps = 10): Promise<number> {
  const k = await getRunner();
  return matmulGflops(k.gpu, n, reps);
}

/** Development probe: R runs of the small net, all with one optimizer (or mixed when 'mixed'). */
export async function speedRuns(
  R: number,
  opt: OptimizerName | 'mixed',
  ms = 3000,
  opts: GpuBackendOptions = {},
): Promise<SpeedResult> {
  const names = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
  const cfgs = Array.from({ length: R }, (_, r) => {
    const c = smallConfig();
    c.model.hidden = [16, 16].map((units) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false }));
    c.data = { ...c.data, samples: 400, valFraction: 0.3 };
    c.batchSize = 32;
    c.optimizer.name = opt === 'mixed' ? names[r % names.length] : opt;
    return c;
  });
  return trainSpeed(cfgs, ms, 64, opts);
}

export async function profileRuns(R: number, opt: OptimizerName): Promise<string[]> {
  const cfgs = Array.from({ length: R }, () => {
    const c = smallConfig();
    c.model.hidden = [16, 16].map((units) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false }));
    c.data = { ...c.data, samples: 400, valFraction: 0.3 };
    c.batchSize = 32;
    c.optimizer.name = opt;
    return c;
  });
  return profileOps(cfgs);
}

/** Development probe: configs as JSON-able patches of the small net. */
export async function speedCustom(
  patches: Record<string, unknown>[],
  ms = 3000,
  opts: GpuBackendOptions = {},
  per = 64,
): Promise<SpeedResult> {
  const cfgs = patches.map((p) => {
    const c = smallConfig();
    c.model.hidden = [16, 16].map((units) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false }));
    c.data = { ...c.data, samples: 400, valFraction: 0.3 };
    c.batchSize = 32;
    const d = p.data as Record<string, unknown> | undefined;
    Object.assign(c, { ...p, data: { ...c.data, ...d } });
    return c;
  });
  return trainSpeed(cfgs, ms, per, opts);
}

/** Development probe: milliseconds to compile one pipeline variant (fresh PipelineCache). */
export async function compileTime(name: KernelName, constants: Record<string, number>): Promise<number> {
  const k = await getRunner();
  const pipes = new PipelineCache(k.device);
  const t0 = performance.now();
  await pipes.warm([[name, constants]]);
  return performance.now() - t0;
}

/** Development probe: the composed WGSL of a kernel. */
export function kernelCode(name: KernelName): string {
  return KERNELS[name].code;
}

/** Development probe: milliseconds to compile arbitrary WGSL (auto layout). */
export async function compileCode(code: string, constants: Record<string, number>): Promise<number | string> {
  const k = await getRunner();
  const t0 = performance.now();
  try {
    const module = k.device.createShaderModule({ code });
    await k.device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main', constants } });
  } catch (e) {
    return String(e);
  }
  return performance.now() - t0;
}

export async function profileDigits(): Promise<string[]> {
  const digits = await loadDigits(new URL(`../../${DIGITS_PATH}`, document.baseURI));
  const c = smallConfig();
  c.data = { ...c.data, name: 'digits', samples: 2000, valFraction: 0.2 };
  c.model.hidden = [256, 256].map((units) => ({ units, activation: 'relu', dropout: 0, batchNorm: false }));
  c.batchSize = 128;
  return profileOps([c], 5, digits);
}

type ProbeSet = 'a-sgd' | 'a-adam' | 'c' | 'e' | 'c-adam' | 'e-adam' | `${'sgd' | 'adam'}*${number}`;

/**
 * The configs of the bench's small-net sets (bench/tasks.ts: 2-16-16-2 tanh, batch 32, 65,536
 * training samples in order, no shuffle): 'a-sgd' / 'a-adam' one run, 'c' the 6-optimizer race,
 * 'e' the 64-run sweep (32 lrs x SGD, Adam); 'c-adam', 'e-adam': the same sets all Adam;
 * 'adam*N' / 'sgd*N': N runs of one optimizer.
 */
function probeSet(set: ProbeSet): TrainConfig[] {
  const lr = { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.05, rmsprop: 0.005, adam: 0.005 } as const;
  type O = keyof typeof lr;
  const race: O[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
  const scale = Array.from({ length: 32 }, (_, i) => 10 ** (-2 + (2 * i) / 31));
  const many = /^(sgd|adam)\*(\d+)$/.exec(set);
  const runs: [O, number][] = many
    ? Array.from({ length: Number(many[2]) }, (): [O, number] => [many[1] as O, 1])
    : set === 'a-sgd'
      ? [['sgd', 1]]
      : set === 'a-adam'
        ? [['adam', 1]]
        : set === 'c'
          ? race.map((o) => [o, 1])
          : set === 'c-adam'
            ? race.map(() => ['adam', 1])
            : set === 'e-adam'
              ? [...scale, ...scale].map((s): [O, number] => ['adam', s])
              : [...scale.map((s): [O, number] => ['sgd', s]), ...scale.map((s): [O, number] => ['adam', s])];
  return runs.map(([o, s]) => {
    const c = smallConfig();
    c.seed = 1;
    c.data = { ...c.data, samples: 81920, valFraction: 0.2, shuffle: false };
    c.model.hidden = [16, 16].map((units) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false }));
    c.batchSize = 32;
    c.optimizer = { ...c.optimizer, name: o, lr: lr[o] * s, momentum: 0.9, rho: 0.9, beta1: 0.9 };
    c.optimizer = { ...c.optimizer, beta2: 0.999, eps: 1e-8 };
    return c;
  });
}

let opened: GpuBackend | null = null;

/** Development probe: build a set (probeSet) on a fresh backend, warm it; returns the path it took. */
export async function openSet(set: ProbeSet, opts: GpuBackendOptions = {}): Promise<string> {
  closeSet();
  const cfgs = probeSet(set);
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  const gpu = await GpuBackend.create(opts);
  opened = gpu;
  await gpu.build(cfgs, ds, init);
  await gpu.train(128);
  const f = gpu.pathInfo.fused;
  const shape = f ? ` wg ${f.wg} groups ${f.groups} runs ${f.runs} ${f.scratch}` : '';
  return `${gpu.pathInfo.path}${gpu.pathInfo.reason ? ` (${gpu.pathInfo.reason})` : ''}${shape}`;
}

/**
 * Development probe: `calls` train(k) calls of the opened set from a reset (no epoch end within
 * 2,048 steps); the fastest call and the whole window in milliseconds.
 */
export async function trainSet(k: number, calls: number): Promise<{ best: number; total: number; steps: number }> {
  const gpu = opened;
  if (!gpu) throw new Error('openSet first');
  await gpu.reset();
  let best = Number.POSITIVE_INFINITY;
  const t0 = performance.now();
  for (let c = 0; c < calls; c++) {
    const s = performance.now();
    await gpu.train(k);
    best = Math.min(best, performance.now() - s);
  }
  return { best, total: performance.now() - t0, steps: k * calls };
}

export function closeSet(): void {
  opened?.dispose();
  opened = null;
}

/**
 * Development probe: for each steps-per-call k in `pers`, the best milliseconds per train(k) call
 * of a set over about `ms` (from a reset: no epoch end), so a fit call = fixed + k * perStep
 * separates the per-call host cost from the per-step cost.
 */
export async function speedSet(
  set: ProbeSet,
  pers: number[] = [1, 16, 128],
  ms = 1500,
  opts: GpuBackendOptions = {},
): Promise<{ path: string; perCall: { k: number; ms: number; calls: number }[] }> {
  const path = await openSet(set, opts);
  try {
    const perCall = [];
    for (const k of pers) {
      const one = await trainSet(k, 1);
      const calls = Math.max(3, Math.min(Math.floor(2000 / k), Math.ceil(ms / one.total)));
      perCall.push({ k, ms: (await trainSet(k, calls)).best, calls });
    }
    return { path, perCall };
  } finally {
    closeSet();
  }
}
