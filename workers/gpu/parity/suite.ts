// The GPU parity suite's entry points, put on `window.gpuParity` by e2e/pages/gpu.ts and called
// by e2e/gpu-parity.spec.ts through page.evaluate. Each returns plain data (validations as
// messages), never throws for a numerical mismatch: the spec asserts and prints the report.

import type { OptimizerName, TrainConfig } from '../../../src/engine/types';
import type { GpuBackendOptions } from '../backend';
import { adapterName, createGpuDevice, type GpuDevice } from '../device';
import { KERNELS, type KernelName } from '../kernels';
import { apiParity, bufferGrowth, type ChecksReport, deviceLoss } from './backendChecks';
import { activationCase, hashCase } from './cases/basic';
import { matmulCase } from './cases/dense';
import { matmulDwCase, matmulDxCase } from './cases/denseBackward';
import { batchnormBackwardCase, batchnormCase, lossCase } from './cases/layers';
import { updateCase } from './cases/update';
import { KernelRunner } from './runner';
import { type TrainingParityOptions, type TrainingParityReport, trainingParity } from './training';
import type { CaseFn } from './util';

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

const optimizerCase = (name: OptimizerName, lr: number) => (c: TrainConfig) => {
  c.optimizer.name = name;
  c.optimizer.lr = lr;
};

// [lr, zeta1] per optimizer: the single-optimizer cases' learning rates, and a zeta1 that leaves
// exact zeros in 200 steps (engine: 6 of 114 parameters with SGD, 3 momentum, 13 Nesterov, 22 Adam,
// 50 Adagrad) while the loss still falls, on a trajectory that is well conditioned: momentum at
// zeta1 = 0.002..0.005 is not (in the engine alone, lr * (1 + 1e-7) moves its final weights by
// 3e-4, more than the tolerance), so it runs at 0.001. At 0.01 the adaptive runs zero every weight.
const L1_CASES: Record<OptimizerName, [lr: number, l1: number]> = {
  sgd: [0.1, 0.005],
  momentum: [0.05, 0.001],
  nesterov: [0.05, 0.002],
  adagrad: [0.05, 0.002],
  rmsprop: [0.005, 0.002],
  adam: [0.01, 0.002],
  adamw: [0.01, 0.002],
  schedulefree: [0.01, 0.002],
};
const l1Case = (name: OptimizerName) => (c: TrainConfig) => {
  optimizerCase(name, L1_CASES[name][0])(c);
  c.reg.l1 = L1_CASES[name][1];
};

/** Named end-to-end scenarios (functions cannot cross page.evaluate, names can). */
export const TRAINING_CASES: Record<string, TrainingParityOptions> = {
  sgd: { patch: optimizerCase('sgd', 0.1) },
  momentum: { patch: optimizerCase('momentum', 0.05) },
  nesterov: { patch: optimizerCase('nesterov', 0.05) },
  adagrad: { patch: optimizerCase('adagrad', 0.05) },
  rmsprop: { patch: optimizerCase('rmsprop', 0.005) },
  adam: { patch: optimizerCase('adam', 0.01) },
  adamw: { patch: optimizerCase('adamw', 0.01) },
  dropout: {
    patch: (c) => {
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, dropout: 0.2 }));
    },
  },
  batchnorm: {
    patch: (c) => {
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, batchNorm: true, activation: 'relu' }));
      c.optimizer.name = 'momentum';
      c.optimizer.lr = 0.05;
    },
  },
  // compare mode: six runs, each its own optimizer and regularization, one set of dispatches
  compare: {
    runs: [
      optimizerCase('sgd', 0.1),
      (c) => {
        optimizerCase('momentum', 0.05)(c);
        c.reg.l2 = 1e-3;
      },
      (c) => {
        optimizerCase('nesterov', 0.05)(c);
        c.reg.l1 = 1e-3;
        c.clipNorm = 0.5;
      },
      (c) => {
        optimizerCase('adagrad', 0.05)(c);
        c.reg.l1Act = 1e-3;
      },
      (c) => {
        optimizerCase('rmsprop', 0.005)(c);
        c.reg.decayBiases = true;
        c.reg.l2 = 1e-3;
      },
      (c) => {
        optimizerCase('adam', 0.01)(c);
        c.schedule.kind = 'cosine';
        c.schedule.totalSteps = 150;
      },
    ],
  },
  // regression with MSE, Gaussian dropout and Gaussian input noise (host-augmented batches)
  regression: {
    patch: (c) => {
      c.data = { ...c.data, name: 'regGauss', augmentNoise: 0.05 };
      c.model.loss = 'mse';
      c.model.dropoutKind = 'gaussian';
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, dropout: 0.1 }));
      c.optimizer.name = 'adam';
      c.optimizer.lr = 0.01;
    },
  },
  // decision points: reduce-on-plateau, early stopping with restore, a maxEpochs budget
  stopping: {
    runs: [
      (c) => {
        c.schedule.kind = 'plateau';
        c.schedule.patience = 1;
        c.earlyStop = { enabled: true, patience: 3, minDelta: 1e-3, restoreBest: true };
      },
      (c) => {
        c.maxEpochs = 12;
      },
    ],
  },
  // live changes halfway (setHyper on both sides): optimizer switch (state cleared), batch size,
  // dropout switched on, L2, learning rate
  live: {
    runs: [optimizerCase('sgd', 0.1), optimizerCase('momentum', 0.05)],
    midway: (c) => {
      c.optimizer.name = c.optimizer.name === 'sgd' ? 'adam' : 'momentum';
      c.optimizer.lr = 0.02;
      c.batchSize = 32;
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, dropout: 0.15 }));
      c.reg.l2 = 1e-3;
    },
  },
  // the schedule's clock across a live batch-size change mid-epoch (16 -> 32 at step 81, epoch 8.1):
  // both sides keep the accumulated epoch progress, step by step the same lr (issue 11 §2)
  clock: {
    per: 27,
    runs: [
      (c) => Object.assign(c.schedule, { kind: 'exponential', eta: 0.8 }),
      (c) => Object.assign(c.schedule, { kind: 'step', every: 3, factor: 0.5 }),
      (c) => Object.assign(c.schedule, { kind: 'inverse', k: 0.5 }),
    ],
    midway: (c) => {
      c.batchSize = 32;
    },
  },
  // the same change with 16 samples left in the epoch (step 99, epoch 9.9): its last step takes the
  // epoch's last 32 samples, a full batch for the GPU's buffers, and the clock reaches epoch 10
  'clock-end': {
    per: 33,
    runs: [
      (c) => Object.assign(c.schedule, { kind: 'exponential', eta: 0.8 }),
      (c) => Object.assign(c.schedule, { kind: 'step', every: 3, factor: 0.5 }),
    ],
    midway: (c) => {
      c.batchSize = 32;
    },
  },
  // divergence: the windowed blow-up rule (lr 50, 1e6) stops the run at the same step; an update that
  // overflows the weights while the loss is still finite (momentum 1e38) restores the last finite ones
  divergence: {
    runs: [
      optimizerCase('sgd', 50),
      optimizerCase('sgd', 1e6),
      optimizerCase('sgd', 0.1),
      (c) => {
        optimizerCase('momentum', 1e20)(c);
        c.optimizer.momentum = 1e38;
      },
    ],
  },
  // L1 as a proximal step (the optimizer's own scale; momentum and Nesterov fold it into the
  // velocity): every optimizer in one compare set (OPT_EACH_RUN), then momentum and AdamW alone
  l1: { runs: (Object.keys(L1_CASES) as OptimizerName[]).map(l1Case) },
  'l1-momentum': { patch: l1Case('momentum') },
  'l1-adamw': { patch: l1Case('adamw') },
  // Adagrad's c0 (optimizer.initialAccumulator): from the start, and on a live switch to Adagrad
  'adagrad-c0': {
    runs: [
      (c) => {
        optimizerCase('adagrad', 0.05)(c);
        c.optimizer.initialAccumulator = 0.1;
      },
      (c) => {
        optimizerCase('sgd', 0.1)(c);
        c.optimizer.initialAccumulator = 0.1;
      },
    ],
    midway: (c) => {
      c.optimizer.name = 'adagrad';
      c.optimizer.lr = 0.05;
    },
  },
};

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
