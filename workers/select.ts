// Which backend trains this config: forced by the user/URL, or 'auto' = the CPU engine at once,
// while handoff.ts measures both on the side (a few steps each, a fraction of a second once the
// GPU's kernels are compiled) and moves the runs to the GPU only when it is faster. A software
// adapter (SwiftShader: isFallbackAdapter) runs shaders on the same CPU cores, is far slower
// than the TypeScript engine for small nets, and must not win by default: it has to beat the
// CPU engine by FALLBACK_MARGIN. Without WebGPU, the CPU engine is used and the reason kept.
import type { Dataset } from '../src/engine';
import { gpuRefusal } from '../src/engine/optimizers/registry';
import type { TrainConfig } from '../src/engine/types';
import type { BackendInfo, Inits, TrainingBackend } from './backend';
import { CPU_NAME_TS } from './cpu/backend';
import { cpuCapacityProblem, MAX_CPU_STEP_MACS } from './cpu/capacity';
import type { BackendChoice, BackendReason, BackendStatus, Calibration } from './protocol';

/** A fallback (software) adapter must be this many times faster than the CPU engine to win 'auto'. */
export const FALLBACK_MARGIN = 2;
/** Wall-time budget of the timed steps per backend, ms (warm-up and build come on top). */
export const CALIBRATION_BUDGET_MS = 120;
/** Below this many flops per step a software adapter is not even measured against the TypeScript engine (see stepFlops). */
export const FALLBACK_WORTH_FLOPS = 5e7;
/**
 * The same bound against the CPU engine on its WebAssembly SIMD kernels: never, within what the CPU
 * engine takes on (workers/cpu/capacity.ts, 3e9 flops). Measured (bench/results.md, 2 cores, SwiftShader):
 * the software adapter trains 784-256-256-10 at batch 128 (0.2 GFLOP a step, the largest bench net the
 * CPU takes) at 1.45 steps/s, the WebAssembly CPU engine at 40-190 steps/s on one thread: both run on the
 * same cores, and SIMD GEMMs leave a software rasterizer's shaders no room to be FALLBACK_MARGIN faster.
 * Building its kernels there takes 3-34 s of those cores, which the running CPU training would lose.
 */
export const FALLBACK_WORTH_FLOPS_WASM = 6 * MAX_CPU_STEP_MACS;

/** Flops per step below which a software adapter is not measured against this CPU backend. */
export function fallbackWorthFlops(cpu: BackendInfo): number {
  return cpu.name === CPU_NAME_TS ? FALLBACK_WORTH_FLOPS : FALLBACK_WORTH_FLOPS_WASM;
}

export interface BackendFactories {
  /** The CPU engine, not built; `warm: false` skips its warm-up at build (a side measurement warms up itself). */
  cpu(opts?: { warm?: boolean }): TrainingBackend;
  /**
   * A WebGPU backend (device requested, not built), or null when this environment has no WebGPU.
   * May throw an error carrying `reason` ('no-webgpu' | 'no-adapter' | 'device-request-failed').
   */
  gpu: (() => Promise<TrainingBackend>) | null;
  /**
   * The adapter `gpu` would get, described without loading the GPU code or asking for a device
   * (null: none); optional. The 'auto' probe reads it first: a software adapter on a net too small
   * for it (fallbackWorthFlops) is decided on at once, with no device made and no kernels loaded.
   */
  gpuAdapter?: () => Promise<Pick<BackendInfo, 'name' | 'fallbackAdapter'> | null>;
  /**
   * Set up the page's GPU connection now (idempotent; optional). A worker's first WebGPU call blocks
   * its thread until that is done, so create() makes it before building unless the CPU is forced.
   */
  connectGpu?: () => void;
}

export interface Selection {
  backend: TrainingBackend;
  status: BackendStatus;
  /** 'auto' started on the CPU engine: handoff.ts measures WebGPU on the side and moves the runs when faster. */
  probe?: boolean;
}

export const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function gpuFailureReason(e: unknown): BackendReason {
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
    measuring: 'started at once; WebGPU is being measured on the side (the runs move there only if faster)',
  };
  return `CPU engine: ${why[reason]}.`;
}

/**
 * Steps per second of a built backend: one warm-up step (pipeline compilation, JIT), then calls
 * of doubling size until the budget is spent; the best rate of one call counts (robust to a GC
 * pause). The backend has trained afterwards: the caller resets it. `before`, when given, is
 * awaited before every call (the warm-up included): a side measurement yields there to the
 * worker's messages and waits while a Play waits for its first step; false stops measuring
 * (the best rate so far is returned, 0 when no call was timed).
 */
export async function measureSpeed(
  b: TrainingBackend,
  budgetMs = CALIBRATION_BUDGET_MS,
  maxCallMs = Number.POSITIVE_INFINITY,
  before?: () => Promise<boolean>,
): Promise<number> {
  if (before && !(await before())) return 0;
  await b.train(1);
  let n = 1;
  let spent = 0;
  let best = 0;
  while (spent < budgetMs) {
    if (before && !(await before())) break;
    const t0 = performance.now();
    const progress = await b.train(n);
    const dt = performance.now() - t0;
    spent += dt;
    const stepped = Math.max(0, ...progress.map((p) => p.steps.n));
    if (stepped === 0) break; // every run stopped (diverged during calibration): rate so far stands
    if (dt > 0) best = Math.max(best, (stepped * 1000) / dt);
    if (dt < Math.min(budgetMs / 4, maxCallMs / 2)) n = Math.min(n * 2, 4096);
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

/**
 * Pick and build the backend for `cfgs`. Never throws for GPU trouble: the CPU engine is the floor.
 * 'auto' builds the CPU engine at once (probe: true) and leaves the measuring and the move to the
 * GPU to handoff.ts, except for a network the CPU engine refuses, which goes to the GPU directly.
 */
export async function selectBackend(
  choice: BackendChoice,
  cfgs: TrainConfig[],
  dataset: Dataset,
  init: Inits,
  factories: BackendFactories,
  cache: CalibrationCache = new Map(),
): Promise<Selection> {
  const onCpu = async (reason: BackendReason, message: string, calibration: Calibration | null = null) => {
    const cpu = factories.cpu();
    await cpu.build(cfgs, dataset, init);
    return { backend: cpu, status: status(cpu, choice, reason, message, calibration) };
  };
  if (choice === 'cpu') return onCpu('forced', cpuFallbackMessage('forced'));
  if (!factories.gpu) return onCpu('no-webgpu', cpuFallbackMessage('no-webgpu'));
  // A rule the WebGPU backend lacks (spec gpuUnsupported; every registered rule runs there today): the CPU engine,
  // saying why, with no device asked for and nothing measured.
  const refused = choice === 'auto' ? cfgs.map((c) => gpuRefusal(c.optimizer.name)).find(Boolean) : null;
  if (refused) return onCpu('gpu-error', cpuFallbackMessage('gpu-error', refused));
  const tooLarge = cpuCapacityProblem(cfgs, dataset) !== null;
  if (choice === 'auto' && !tooLarge) {
    const cached = cache.get(calibrationKey(cfgs, dataset));
    // Measured before on this shape and the CPU won: do not even ask for a device.
    if (cached?.kind === 'cpu')
      return onCpu('calibrated', cpuWinsMessage(cached.gpu, cached.calibration), cached.calibration);
    return { ...(await onCpu('measuring', cpuFallbackMessage('measuring'))), probe: true };
  }

  let gpu: TrainingBackend | null = null;
  try {
    gpu = await factories.gpu();
    await gpu.build(cfgs, dataset, init);
  } catch (e) {
    gpu?.dispose();
    const reason = gpuFailureReason(e);
    return onCpu(reason, cpuFallbackMessage(reason, errText(e)));
  }
  if (choice === 'webgpu')
    return {
      backend: gpu,
      status: status(gpu, choice, 'forced', `WebGPU (${gpu.info.name}): chosen by the backend switch.`),
    };
  // 'auto' on a network the CPU engine refuses (workers/cpu/capacity.ts): no race to run.
  const message = `WebGPU (${gpu.info.name}): this network is too large for the CPU engine.`;
  return { backend: gpu, status: status(gpu, choice, 'calibrated', message) };
}

export function gpuWinsMessage(gpu: BackendInfo, c: Calibration): string {
  const ratio = (c.gpuStepsPerSec ?? 0) / Math.max(1e-9, c.cpuStepsPerSec);
  return `WebGPU (${gpu.name}): ${ratio.toFixed(1)}x faster than the CPU engine on this network (${fmt(c.gpuStepsPerSec ?? 0)} vs ${fmt(c.cpuStepsPerSec)} steps/s).`;
}

export function cpuWinsMessage(gpu: BackendInfo, c: Calibration): string {
  const g = c.gpuStepsPerSec ?? 0;
  const soft = gpu.fallbackAdapter ? ', a software adapter' : '';
  const speeds = `(${fmt(c.cpuStepsPerSec)} vs ${fmt(g)} steps/s)`;
  if (gpu.fallbackAdapter && g > c.cpuStepsPerSec)
    return `CPU engine: WebGPU (${gpu.name}${soft}) was not ${FALLBACK_MARGIN}x faster on this network ${speeds}.`;
  const ratio = c.cpuStepsPerSec / Math.max(1e-9, g);
  return `CPU engine: ${ratio.toFixed(1)}x faster than WebGPU (${gpu.name}${soft}) on this network ${speeds}.`;
}
