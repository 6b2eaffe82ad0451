// Speed and compile-time probes on the parity page (development, and the numbers npm run bench
// builds its rows on). Never asserted in tests: speed depends on the machine.
import { DIGITS_PATH } from '../../../src/engine/data/digits';
import type { OptimizerName } from '../../../src/engine/types';
import { loadDigits } from '../../digits';
import type { GpuBackendOptions } from '../backend';
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
