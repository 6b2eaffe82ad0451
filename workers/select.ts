// Which backend trains this config: forced by the user/URL, or 'auto' = a short calibration
// (a few steps on each backend, a fraction of a second) that keeps the faster one. A software
// adapter (SwiftShader: isFallbackAdapter) runs shaders on the same CPU cores, is far slower
// than the TypeScript engine for small nets, and must not win by default: it has to beat the
// CPU engine by FALLBACK_MARGIN. Without WebGPU, the CPU engine is used and the reason kept.
import type { Dataset } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import type { BackendInfo, Inits, TrainingBackend } from './backend';
import { cpuCapacityProblem } from './cpu/capacity';
import type { BackendChoice, BackendReason, BackendStatus, Calibration } from './protocol';

/** A fallback (software) adapter must be this many times faster than the CPU engine to win 'auto'. */
export const FALLBACK_MARGIN = 2;
/** Wall-time budget of the timed steps per backend, ms (warm-up and build come on top). */
export const CALIBRATION_BUDGET_MS = 120;
/** 'auto' waits at most this long (from the start of the choice) for the GPU's warm-up and timing. */
export const AUTO_GPU_DEADLINE_MS = 800;
/** Below this many flops per step a software adapter is not even measured (see stepFlops). */
export const FALLBACK_WORTH_FLOPS = 5e7;

export interface BackendFactories {
  cpu(): TrainingBackend;
  /**
   * A WebGPU backend (device requested, not built), or null when this environment has no WebGPU.
   * May throw an error carrying `reason` ('no-webgpu' | 'no-adapter' | 'device-request-failed').
   */
  gpu: (() => Promise<TrainingBackend>) | null;
}

export interface Selection {
  backend: TrainingBackend;
  status: BackendStatus;
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function gpuFailureReason(e: unknown): BackendReason {
  const r = (e as { reason?: unknown } | null)?.reason;
  if (r === 'no-webgpu') return 'no-webgpu';
  if (r === 'no-adapter' || r === 'device-request-failed') return 'adapter-failed';
  return 'gpu-error';
}

function status(
  b: TrainingBackend,
  requested: BackendChoice,
  reason: BackendReason,
  message: string,
  calibration: Calibration | null = null,
): BackendStatus {
  return { ...b.info, requested, reason, message, calibration, deviceLosses: 0 };
}

/** "CPU engine: ..." sentence for a CPU fallback. */
export function cpuFallbackMessage(reason: BackendReason, detail = ''): string {
  const why: Record<BackendReason, string> = {
    'no-webgpu': 'this browser has no WebGPU',
    'adapter-failed': `the WebGPU adapter request failed${detail ? ` (${detail})` : ''}`,
    'device-lost': `the GPU device was lost and could not be re-created${detail ? ` (${detail})` : ''}`,
    'gpu-error': `the WebGPU backend could not train this network${detail ? ` (${detail})` : ''}`,
    forced: 'chosen by the backend switch',
    calibrated: 'measured faster on this machine',
    'fallback-adapter': 'the only WebGPU adapter is a software one',
  };
  return `CPU engine: ${why[reason]}.`;
}

/**
 * Steps per second of a built backend: one warm-up step (pipeline compilation, JIT), then calls
 * of doubling size until the budget is spent; the best rate of one call counts (robust to a GC
 * pause). The backend has trained afterwards: the caller resets it.
 */
export async function measureSpeed(b: TrainingBackend, budgetMs = CALIBRATION_BUDGET_MS): Promise<number> {
  await b.train(1);
  let n = 1;
  let spent = 0;
  let best = 0;
  while (spent < budgetMs) {
    const t0 = performance.now();
    const progress = await b.train(n);
    const dt = performance.now() - t0;
    spent += dt;
    const stepped = Math.max(0, ...progress.map((p) => p.steps.n));
    if (stepped === 0) break; // every run stopped (diverged during calibration): rate so far stands
    if (dt > 0) best = Math.max(best, (stepped * 1000) / dt);
    if (dt < budgetMs / 4) n = Math.min(n * 2, 4096);
  }
  return best;
}

/** Calibration results by architecture key, so a rebuild of the same shape does not re-measure. */
export type CalibrationCache = Map<string, { kind: 'cpu' | 'webgpu'; calibration: Calibration; gpu: BackendInfo }>;

export function calibrationKey(cfgs: TrainConfig[], ds: Dataset): string {
  const c = cfgs[0];
  const arch = c.model.hidden.map((h) => `${h.units}${h.activation[0]}${h.batchNorm ? 'b' : ''}`).join('-');
  return `${ds.inputDim}>${arch}>${ds.outputDim}|B${c.batchSize}|R${cfgs.length}|N${ds.nTrain}`;
}

/**
 * Rough cost of one training step of all runs, in flops: forward 2, backward 4 multiply-adds per
 * weight and sample. Only used to skip measuring a software adapter where it cannot win.
 */
export function stepFlops(cfgs: TrainConfig[], ds: Dataset): number {
  const c = cfgs[0];
  let inputs = ds.inputDim;
  let weights = 0;
  for (const h of c.model.hidden) {
    weights += inputs * h.units;
    inputs = h.units;
  }
  weights += inputs * ds.outputDim;
  return 6 * Math.min(c.batchSize, ds.nTrain) * weights * cfgs.length;
}

type Outcome = { speed: number } | { error: string } | { late: true };

/** measureSpeed(b), or { late } once the deadline passes (the measurement is abandoned, b must be disposed). */
async function measureBefore(b: TrainingBackend, deadline: number): Promise<Outcome> {
  const left = deadline - performance.now();
  if (left <= 0) return { late: true };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ late: true }), left);
  });
  const measured = measureSpeed(b).then(
    (speed): Outcome => ({ speed }),
    (e): Outcome => ({ error: errText(e) }),
  );
  const out = await Promise.race([measured, late]);
  clearTimeout(timer);
  return out;
}

/** Pick and build the backend for `cfgs`. Never throws for GPU trouble: the CPU engine is the floor. */
export async function selectBackend(
  choice: BackendChoice,
  cfgs: TrainConfig[],
  dataset: Dataset,
  init: Inits,
  factories: BackendFactories,
  cache: CalibrationCache = new Map(),
): Promise<Selection> {
  const t0 = performance.now();
  const buildCpu = async () => {
    const cpu = factories.cpu();
    await cpu.build(cfgs, dataset, init);
    return cpu;
  };
  const onCpu = async (reason: BackendReason, message: string, calibration: Calibration | null = null) => {
    const cpu = await buildCpu();
    return { backend: cpu, status: status(cpu, choice, reason, message, calibration) };
  };
  if (choice === 'cpu') return onCpu('forced', cpuFallbackMessage('forced'));
  if (!factories.gpu) return onCpu('no-webgpu', cpuFallbackMessage('no-webgpu'));
  const key = calibrationKey(cfgs, dataset);
  const cached = choice === 'auto' ? cache.get(key) : undefined;
  // Measured before on this shape and the CPU won: do not even ask for a device.
  if (cached?.kind === 'cpu')
    return onCpu('calibrated', cpuWinsMessage(cached.gpu, cached.calibration), cached.calibration);

  let gpu: TrainingBackend | null = null;
  try {
    gpu = await factories.gpu();
    if (choice === 'auto' && !cached && gpu.info.fallbackAdapter && stepFlops(cfgs, dataset) < FALLBACK_WORTH_FLOPS) {
      // A software adapter on a small net: compiling its kernels alone takes seconds there, and it
      // cannot win. Measure the CPU (for the status line) and keep it.
      const info = gpu.info;
      gpu.dispose();
      const cpu = await buildCpu();
      const cpuSpeed = await measureSpeed(cpu);
      await cpu.reset();
      const calibration = { cpuStepsPerSec: cpuSpeed, gpuStepsPerSec: null, ms: performance.now() - t0 };
      const message = `CPU engine: the only WebGPU adapter is a software one (${info.name}), far slower than the CPU engine on a network this small (CPU ${fmt(cpuSpeed)} steps/s).`;
      return { backend: cpu, status: status(cpu, choice, 'fallback-adapter', message, calibration) };
    }
    await gpu.build(cfgs, dataset, init);
  } catch (e) {
    gpu?.dispose();
    const reason = gpuFailureReason(e);
    return onCpu(reason, cpuFallbackMessage(reason, errText(e)));
  }
  if (choice === 'webgpu') {
    return {
      backend: gpu,
      status: status(gpu, choice, 'forced', `WebGPU (${gpu.info.name}): chosen by the backend switch.`),
    };
  }
  if (cached) {
    return {
      backend: gpu,
      status: status(gpu, choice, 'calibrated', gpuWinsMessage(gpu.info, cached.calibration), cached.calibration),
    };
  }

  // A network the CPU engine refuses (workers/cpu/capacity.ts) leaves no race to run.
  if (cpuCapacityProblem(cfgs, dataset))
    return {
      backend: gpu,
      status: status(
        gpu,
        choice,
        'calibrated',
        `WebGPU (${gpu.info.name}): this network is too large for the CPU engine.`,
      ),
    };
  // Both measured; the GPU (warm-up = kernel compilation included) must be done by the deadline.
  const g = await measureBefore(gpu, t0 + AUTO_GPU_DEADLINE_MS);
  const cpu = await buildCpu();
  const cpuSpeed = await measureSpeed(cpu);
  const gpuSpeed = 'speed' in g ? g.speed : null;
  const calibration: Calibration = { cpuStepsPerSec: cpuSpeed, gpuStepsPerSec: gpuSpeed, ms: performance.now() - t0 };
  const margin = gpu.info.fallbackAdapter ? FALLBACK_MARGIN : 1;
  if (gpuSpeed !== null && gpuSpeed > cpuSpeed * margin) {
    cpu.dispose();
    await gpu.reset();
    cache.set(key, { kind: 'webgpu', calibration, gpu: gpu.info });
    return {
      backend: gpu,
      status: status(gpu, choice, 'calibrated', gpuWinsMessage(gpu.info, calibration), calibration),
    };
  }
  gpu.dispose();
  await cpu.reset();
  if ('error' in g)
    return {
      backend: cpu,
      status: status(cpu, choice, 'gpu-error', cpuFallbackMessage('gpu-error', g.error), calibration),
    };
  if ('late' in g) {
    // Not cached: a real GPU may well be ready next time (its compiled pipelines are cached by the browser).
    const message = `CPU engine: WebGPU (${gpu.info.name}) was not ready within ${AUTO_GPU_DEADLINE_MS} ms (still compiling its kernels).`;
    return { backend: cpu, status: status(cpu, choice, 'calibrated', message, calibration) };
  }
  cache.set(key, { kind: 'cpu', calibration, gpu: gpu.info });
  return {
    backend: cpu,
    status: status(cpu, choice, 'calibrated', cpuWinsMessage(gpu.info, calibration), calibration),
  };
}

function gpuWinsMessage(gpu: BackendInfo, c: Calibration): string {
  const ratio = (c.gpuStepsPerSec ?? 0) / Math.max(1e-9, c.cpuStepsPerSec);
  return `WebGPU (${gpu.name}): ${ratio.toFixed(1)}x faster than the CPU engine on this network (${fmt(c.gpuStepsPerSec ?? 0)} vs ${fmt(c.cpuStepsPerSec)} steps/s).`;
}

function cpuWinsMessage(gpu: BackendInfo, c: Calibration): string {
  const g = c.gpuStepsPerSec ?? 0;
  const soft = gpu.fallbackAdapter ? ', a software adapter' : '';
  const speeds = `(${fmt(c.cpuStepsPerSec)} vs ${fmt(g)} steps/s)`;
  if (gpu.fallbackAdapter && g > c.cpuStepsPerSec)
    return `CPU engine: WebGPU (${gpu.name}${soft}) was not ${FALLBACK_MARGIN}x faster on this network ${speeds}.`;
  const ratio = c.cpuStepsPerSec / Math.max(1e-9, g);
  return `CPU engine: ${ratio.toFixed(1)}x faster than WebGPU (${gpu.name}${soft}) on this network ${speeds}.`;
}
