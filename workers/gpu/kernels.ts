// The kernel table: name -> WGSL source (library functions + one kernel file) and its bindings.
// A webgpu-torch-style spec: every kernel is a plain .wgsl file imported with Vite's ?raw; sizes
// come in through uniforms and `override` constants; the only generated WGSL is constants and the
// optimizer dispatch (hyper.ts, optimizers.ts). WGSL has no #include,
// so the few shared helpers (hash, activations, dropout, the step uniform, optimizer rules) live
// in kernels/lib/*.wgsl and are prepended here.

import { hyperWGSL } from './hyper';
import activationWGSL from './kernels/activation.wgsl?raw';
import bnBackwardWGSL from './kernels/batchnorm_backward.wgsl?raw';
import bnForwardWGSL from './kernels/batchnorm_forward.wgsl?raw';
import fusedBackward from './kernels/fused/backward.wgsl?raw';
import fusedCommon from './kernels/fused/common.wgsl?raw';
import fusedForward from './kernels/fused/forward.wgsl?raw';
import memStorage from './kernels/fused/mem_storage.wgsl?raw';
import memWorkgroup from './kernels/fused/mem_workgroup.wgsl?raw';
import fusedUpdate from './kernels/fused/update.wgsl?raw';
import fusedMlpWGSL from './kernels/fused_mlp.wgsl?raw';
import hashFillWGSL from './kernels/hash_fill.wgsl?raw';
import actLib from './kernels/lib/activation.wgsl?raw';
import dropoutLib from './kernels/lib/dropout.wgsl?raw';
import hashLib from './kernels/lib/hash.wgsl?raw';
import hyperLibRaw from './kernels/lib/hyper.wgsl?raw';
import optimLibRaw from './kernels/lib/optimizers.wgsl?raw';
import stepLib from './kernels/lib/step.wgsl?raw';
import lossWGSL from './kernels/loss.wgsl?raw';
import matmulWGSL from './kernels/matmul.wgsl?raw';
import matmulDwWGSL from './kernels/matmul_dw.wgsl?raw';
import matmulDxWGSL from './kernels/matmul_dx.wgsl?raw';
import normsWGSL from './kernels/norms.wgsl?raw';
import updateWGSL from './kernels/update.wgsl?raw';
import { optimizersWGSL } from './optimizers';

/** uniform: var<uniform>; read: var<storage, read>; storage: var<storage, read_write>. */
export type BindingKind = 'uniform' | 'read' | 'storage';

export interface KernelSpec {
  code: string;
  /** @group(0) bindings in order. */
  bindings: BindingKind[];
  /** Has @group(1) @binding(0): the per-step uniform with a dynamic offset (lib/step.wgsl). */
  stepUniform: boolean;
}

const withLibs = (...parts: string[]) => parts.join('\n');
// Generated constants go in front of the libraries that use them: the hyper table's word names
// (hyper.ts) and the optimizer ids, rules and dispatch (optimizers.ts).
const hyperLib = withLibs(hyperWGSL(), hyperLibRaw);
const optimLib = withLibs(optimizersWGSL(), optimLibRaw);
// Training kernels read the step uniform; most also the hyper table, hash, activations and dropout.
const TRAIN_LIBS = [hashLib, actLib, dropoutLib, stepLib, hyperLib];

export const KERNELS = {
  hash_fill: { code: withLibs(hashLib, hashFillWGSL), bindings: ['uniform', 'storage'], stepUniform: false },
  activation: {
    code: withLibs(actLib, activationWGSL),
    bindings: ['uniform', 'read', 'read', 'storage'],
    stepUniform: false,
  },
  // data, rows, state (theta), acts, hyper
  matmul: {
    code: withLibs(...TRAIN_LIBS, matmulWGSL),
    bindings: ['uniform', 'read', 'read', 'read', 'storage', 'read'],
    stepUniform: true,
  },
  // state (W), acts (a, h of the layer below), dacts (dZ in, dX or dA out), hyper
  matmul_dx: {
    code: withLibs(...TRAIN_LIBS, matmulDxWGSL),
    bindings: ['uniform', 'read', 'read', 'storage', 'read'],
    stepUniform: true,
  },
  // data, rows, acts (X), dacts (dZ), state (dW, db written into the grad section)
  matmul_dw: {
    code: withLibs(stepLib, matmulDwWGSL),
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'storage'],
    stepUniform: true,
  },
  // state (gamma, beta, running stats), acts (z in; u, h, o, batch stats out), hyper
  batchnorm_forward: {
    code: withLibs(...TRAIN_LIBS, bnForwardWGSL),
    bindings: ['uniform', 'read', 'storage', 'read'],
    stepUniform: true,
  },
  // state (gamma in; dGamma, dBeta out), acts (z, batch stats), dacts (dU in, dZ out)
  batchnorm_backward: {
    code: withLibs(stepLib, bnBackwardWGSL),
    bindings: ['uniform', 'storage', 'read', 'storage'],
    stepUniform: true,
  },
  // labels/targets, rows, acts (outputs), dacts (dLogits / probabilities out), records + track, hyper
  loss: {
    code: withLibs(stepLib, hyperLib, lossWGSL),
    bindings: ['uniform', 'read', 'read', 'read', 'storage', 'storage', 'read'],
    stepUniform: true,
  },
  // state (grad += penalty gradients), acts (h), hyper, segments, partials out
  norms: {
    code: withLibs(stepLib, hyperLib, normsWGSL),
    bindings: ['uniform', 'storage', 'read', 'read', 'read', 'storage'],
    stepUniform: true,
  },
  // state (theta, grad, m, v, prev, running stats), acts (batch stats), hyper, segments, partials, records
  update: {
    code: withLibs(stepLib, hyperLib, optimLib, updateWGSL),
    bindings: ['uniform', 'storage', 'read', 'read', 'read', 'read', 'storage'],
    stepUniform: true,
  },
  // the whole small-MLP chunk: dataset, pre-augmented batches, rows, hyper, state, records, scratch;
  // its scratch in workgroup memory (GPUs) or in a storage buffer (software adapters)
  fused_mlp: {
    code: withLibs(
      ...TRAIN_LIBS,
      optimLib,
      fusedCommon,
      memWorkgroup,
      fusedForward,
      fusedBackward,
      fusedUpdate,
      fusedMlpWGSL,
    ),
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'storage', 'storage', 'storage'],
    stepUniform: true,
  },
  fused_mlp_storage: {
    code: withLibs(
      ...TRAIN_LIBS,
      optimLib,
      fusedCommon,
      memStorage,
      fusedForward,
      fusedBackward,
      fusedUpdate,
      fusedMlpWGSL,
    ),
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'storage', 'storage', 'storage'],
    stepUniform: true,
  },
} satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;
