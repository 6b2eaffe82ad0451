// The GPU parity suite's entry points, put on `window.gpuParity` by e2e/pages/gpu.ts and called
// by e2e/gpu-parity.spec.ts through page.evaluate. Each returns plain data (validations as
// messages), never throws for a numerical mismatch: the spec asserts and prints the report.

import type { GpuBackendOptions } from '../backend';
import { adapterName, createGpuDevice, type GpuDevice } from '../device';
import { KERNELS, type KernelName } from '../kernels';
import { apiParity, bufferGrowth, type ChecksReport, deviceLoss } from './backendChecks';
import { activationCase, hashCase } from './cases/basic';
import { matmulCase } from './cases/dense';
import { matmulDwCase, matmulDxCase } from './cases/denseBackward';
import { batchnormBackwardCase, batchnormCase, lossCase } from './cases/layers';
import { newtonSchulzCase } from './cases/newtonSchulz';
import { updateCase } from './cases/update';
import { KernelRunner } from './runner';
import { type TrainingParityReport, trainingParity } from './training';
import { TRAINING_CASES } from './trainingCases';
import type { CaseFn } from './util';

export { TRAINING_CASES };

export const KERNEL_CASES: Record<string, CaseFn> = {
  hash: hashCase,
  activation: activationCase,
  matmul: matmulCase,
  matmul_dx: matmulDxCase,
  matmul_dw: matmulDwCase,
  batchnorm_forward: batchnormCase,
  batchnorm_backward: batchnormBackwardCase,
  loss: lossCase,
  norms_update: updateCase,
  newton_schulz: newtonSchulzCase,
};

export interface CaseReport {
  name: string;
  ok: boolean;
  checks: number;
  failed: number;
  /** Every failing validation's message, then a one-line summary of the passing ones. */
  report: string;
  worst: number;
}

let gpu: GpuDevice | null = null;
let runner: KernelRunner | null = null;

export async function getRunner(): Promise<KernelRunner> {
  if (!gpu || gpu.isLost()) {
    gpu = await createGpuDevice();
    runner = new KernelRunner(gpu);
  }
  return runner!;
}

/** The adapter line, or the reason there is none (the spec fails loudly on the latter). */
export async function adapter(): Promise<{ ok: boolean; name: string }> {
  try {
    const r = await getRunner();
    return { ok: true, name: adapterName(r.gpu.adapter) };
  } catch (e) {
    return { ok: false, name: (e as Error).message };
  }
}

export async function runKernelCase(name: string, seed = 1): Promise<CaseReport> {
  const fn = KERNEL_CASES[name];
  if (!fn) throw new Error(`unknown kernel case '${name}'`);
  const k = await getRunner();
  const vals = await fn(k, seed);
  const failed = vals.filter((v) => !v.ok);
  const worst = vals.reduce((w, v) => Math.max(w, v.worst), 0);
  const report = [
    ...failed.map((v) => v.message),
    `${name}: ${vals.length - failed.length}/${vals.length} checks within tolerance (worst err/tol ${worst.toFixed(3)})`,
  ].join('\n');
  return {
    name,
    ok: failed.length === 0 && vals.length > 0,
    checks: vals.length,
    failed: failed.length,
    report,
    worst,
  };
}

/** Compile every kernel with its default constants; returns "name: message" for each failure. */
export async function compileAll(): Promise<string[]> {
  const k = await getRunner();
  const errors: string[] = [];
  for (const name of Object.keys(KERNELS) as KernelName[]) {
    try {
      await k.pipes.warm([[name, {}]]);
    } catch (e) {
      const why = await k.pipes.diagnose(name);
      errors.push(`${name}: ${why.length > 0 ? why.join('; ') : (e as Error).message}`);
    }
  }
  return errors;
}

/**
 * The fused kernel's adapter-dependent settings (paths.ts), forced one variant at a time so that
 * what a hardware GPU executes is checked on SwiftShader too.
 */
export const FUSED_VARIANTS = {
  // SwiftShader's own choice: 32 invocations, one workgroup per core, scratch in a storage buffer
  fused: { fusedScratch: 'storage' },
  'fused-workgroup': { fusedScratch: 'workgroup' },
  // everything a hardware GPU picks: 64 invocations, one workgroup per run, workgroup-memory scratch
  'fused-hardware': { adapterKind: 'hardware' },
  // 64 invocations with several runs packed in each of 2 workgroups (storage scratch)
  'fused-wg64': { fusedWorkgroup: 64, fusedGroups: 2, fusedScratch: 'storage' },
  // one workgroup per run with 32 invocations and storage scratch
  'fused-per-run': { adapterKind: 'hardware', fusedWorkgroup: 32, fusedScratch: 'storage' },
  // the hidden activations read from the layer table, as for mixed activations, where 'auto'
  // compiles in the one they share
  'fused-act-table': { fusedScratch: 'storage', fusedActivation: 'table' },
} satisfies Record<string, GpuBackendOptions>;
export type FusedVariant = keyof typeof FUSED_VARIANTS;

/** path: the general multi-kernel path, or the fused kernel in one of FUSED_VARIANTS. */
export async function runTrainingCase(name: string, path: FusedVariant | 'general'): Promise<TrainingParityReport> {
  const o = TRAINING_CASES[name];
  if (!o) throw new Error(`unknown training case '${name}'`);
  if (path === 'general') return trainingParity({ ...o, fused: 'off' });
  return trainingParity({ ...o, fused: 'auto', backend: FUSED_VARIANTS[path] });
}

/** GpuBackend checks beyond training (backendChecks.ts), by name. */
export async function runBackendCheck(name: string): Promise<ChecksReport> {
  switch (name) {
    case 'api-classification':
      return apiParity('classification');
    case 'api-classification-hardware':
      return apiParity('classification', { adapterKind: 'hardware' });
    case 'api-classification-general':
      return apiParity('classification', { fused: 'off' });
    case 'api-regression':
      return apiParity('regression');
    case 'buffers':
      return bufferGrowth();
    case 'device-loss':
      return deviceLoss();
    default:
      throw new Error(`unknown backend check '${name}'`);
  }
}
