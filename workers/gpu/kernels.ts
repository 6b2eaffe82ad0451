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
import nsLibRaw from './kernels/lib/newton_schulz.wgsl?raw';
import optimLibRaw from './kernels/lib/optimizers.wgsl?raw';
import stepLib from './kernels/lib/step.wgsl?raw';
import lossWGSL from './kernels/loss.wgsl?raw';
import matmulWGSL from './kernels/matmul.wgsl?raw';
import matmulDwWGSL from './kernels/matmul_dw.wgsl?raw';
import matmulDxWGSL from './kernels/matmul_dx.wgsl?raw';
import newtonSchulzWGSL from './kernels/newton_schulz5.wgsl?raw';
import normsWGSL from './kernels/norms.wgsl?raw';
import updateWGSL from './kernels/update.wgsl?raw';
import { optimizersWGSL } from './optimizers';
import { NS_RED } from './plan';

/** uniform: var<uniform>; read: var<storage, read>; storage: var<storage, read_write>. */
export type BindingKind = 'uniform' | 'read' | 'storage';

export interface KernelSpec {
  code: string;
  /** @group(0) bindings in order. */
  bindings: BindingKind[];
  /**
   * Field names of the binding-0 uniform struct, in WGSL order (all u32; pad* fields are written
   * as 0): packUniform() packs a named object by them; kernels.test.ts checks them against the
   * WGSL struct. For the fused kernel: the scalar head of its struct (FUSED_DIMS), followed there
   * by its layer and item tables.
   */
  uniform?: readonly string[];
  /** Has @group(1) @binding(0): the per-step uniform with a dynamic offset (lib/step.wgsl). */
  stepUniform: boolean;
  /**
   * Constants that size a storage array (WGSL allows no override there), with the values used when
   * none is given: passed among the override constants, written in front of the text as
   * `const NAME: u32 = value;` (PipelineCache: one shader module per set of values).
   */
  sizes?: Readonly<Record<string, number>>;
}

const withLibs = (...parts: string[]) => parts.join('\n');
/** The fused kernel's fixed array lengths (fused.ts fixedWords); these defaults only for a bare compile. */
const FUSED_SIZES = { STATE_WORDS: 4, SCRATCH_WORDS: 4 };
// Generated constants go in front of the libraries that use them: the hyper table's word names
// (hyper.ts) and the optimizer ids, rules and dispatch (optimizers.ts).
const hyperLib = withLibs(hyperWGSL(), hyperLibRaw);
const optimLib = withLibs(optimizersWGSL(), optimLibRaw);
// Muon's Newton-Schulz (needs the kernel's `ns` binding and WG); its region layout from plan.ts.
const nsLib = withLibs(`const NS_RED: u32 = ${NS_RED}u;  // generated: plan.ts NS_RED`, nsLibRaw);
// Training kernels read the step uniform; most also the hyper table, hash, activations and dropout.
const TRAIN_LIBS = [hashLib, actLib, dropoutLib, stepLib, hyperLib];

/**
 * The fused kernel's uniform (fused/common.wgsl `Dims`): these scalar words, then the network
 * table `layers: array<Layer, FUSED_MAX_LAYERS>` (FUSED_LAYER) and the work items
 * `items: array<vec4<u32>, FUSED_MAX_ITEMS>`; fused.ts packs all three by name.
 */
export const FUSED_DIMS = [
  'L',
  'R',
  'RPW',
  'B',
  'P',
  'SS',
  'M',
  'S',
  'nTrain',
  'nVal',
  'D',
  'C',
  'runMem',
  'partOff',
  'xVal',
  'yTrain',
  'yVal',
  'nItems',
  'nParamItems',
  'dataRun',
  'rowsRun',
  'gradOff',
  'mOff',
  'vOff',
  'prevOff',
  'statsOff',
  'prevStatsOff',
  'trackOff',
  'flagsOff',
  'nParamSeg',
  'scOff',
  'xin',
  'nsRun',
  'pad0',
  'pad1',
  'pad2',
] as const;

/**
 * fused/common.wgsl `struct Layer`: four vec4<u32> fields (dims, bn, act, grad), named here word
 * by word (theta offsets; flags: bit 0 hidden, 1 batch norm, 8.. activation; mem offsets within a
 * run slot).
 */
export const FUSED_LAYER = {
  dims: ['I', 'O', 'wOff', 'bOff'],
  bn: ['gammaOff', 'betaOff', 'rsOff', 'flags'],
  act: ['zOff', 'uOff', 'hOff', 'oOff'],
  grad: ['statsOff', 'dAOff', 'dZOff', 'nsOff'],
} as const;
export type FusedLayerWords = {
  [F in (typeof FUSED_LAYER)[keyof typeof FUSED_LAYER][number]]: number;
};

/** One `Layer` of the fused uniform, 16 words in the struct's order (every word named). */
export function packFusedLayer(v: FusedLayerWords): number[] {
  return Object.values(FUSED_LAYER)
    .flat()
    .map((f) => v[f]);
}

export const KERNELS = {
  // (both used by the parity suite only)
  hash_fill: {
    code: withLibs(hashLib, hashFillWGSL),
    uniform: ['seed', 'step', 'layer', 'units', 'samples'] as const,
    bindings: ['uniform', 'storage'],
    stepUniform: false,
  },
  activation: {
    code: withLibs(actLib, activationWGSL),
    uniform: ['n'] as const,
    bindings: ['uniform', 'read', 'read', 'storage'],
    stepUniform: false,
  },
  // U in, Newton-Schulz region, O out (the update kernels' orthogonalisation, alone)
  newton_schulz5: {
    code: withLibs(nsLib, newtonSchulzWGSL),
    uniform: ['rows', 'cols', 'pad0', 'pad1'] as const,
    bindings: ['uniform', 'read', 'storage', 'storage'],
    stepUniform: false,
  },
  // data, rows, state (theta), acts, hyper
  matmul: {
    code: withLibs(...TRAIN_LIBS, matmulWGSL),
    uniform: [
      'M',
      'N',
      'K',
      'layer',
      'xOff',
      'wOff',
      'bOff',
      'P',
      'zOff',
      'hOff',
      'oOff',
      'aRun',
      'dataRun',
      'hasBias',
      'rowsRun',
      'pad',
    ] as const,
    bindings: ['uniform', 'read', 'read', 'read', 'storage', 'read'],
    stepUniform: true,
  },
  // state (W), acts (a, h of the layer below), dacts (dZ in, dX or dA out), hyper
  matmul_dx: {
    code: withLibs(...TRAIN_LIBS, matmulDxWGSL),
    uniform: ['M', 'N', 'K', 'layer', 'dzOff', 'dRun', 'outOff', 'P', 'wOff', 'aOff', 'hOff', 'aRun'] as const,
    bindings: ['uniform', 'read', 'read', 'storage', 'read'],
    stepUniform: true,
  },
  // data, rows, acts (X), dacts (dZ), state (dW, db written into the grad section)
  matmul_dw: {
    code: withLibs(stepLib, matmulDwWGSL),
    uniform: ['M', 'N', 'K', 'P', 'dzOff', 'dRun', 'xOff', 'aRun', 'gOff', 'dbOff', 'dataRun', 'rowsRun'] as const,
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'storage'],
    stepUniform: true,
  },
  // state (gamma, beta, running stats), acts (z in; u, h, o, batch stats out), hyper
  batchnorm_forward: {
    code: withLibs(...TRAIN_LIBS, bnForwardWGSL),
    uniform: [
      'B',
      'O',
      'layer',
      'P',
      'zOff',
      'uOff',
      'hOff',
      'oOff',
      'statsOff',
      'aRun',
      'gammaOff',
      'betaOff',
      'rsOff',
      'rsRun',
      'pad0',
      'pad1',
    ] as const,
    bindings: ['uniform', 'read', 'storage', 'read'],
    stepUniform: true,
  },
  // state (gamma in; dGamma, dBeta out), acts (z, batch stats), dacts (dU in, dZ out)
  batchnorm_backward: {
    code: withLibs(stepLib, bnBackwardWGSL),
    uniform: [
      'B',
      'O',
      'P',
      'gammaOff',
      'gGammaOff',
      'gBetaOff',
      'zOff',
      'statsOff',
      'aRun',
      'duOff',
      'dzOff',
      'dRun',
    ] as const,
    bindings: ['uniform', 'storage', 'read', 'storage'],
    stepUniform: true,
  },
  // labels/targets, rows, acts (outputs), dacts (dLogits / probabilities out), records + track, hyper
  loss: {
    code: withLibs(stepLib, hyperLib, lossWGSL),
    uniform: ['B', 'C', 'R', 'M', 'xOff', 'aRun', 'dOff', 'dRun', 'rowsRun', 'recWord', 'trackOff', 'pad'] as const,
    bindings: ['uniform', 'read', 'read', 'read', 'storage', 'storage', 'read'],
    stepUniform: true,
  },
  // state (grad += penalty gradients), acts (h), hyper, segments, partials out
  norms: {
    code: withLibs(stepLib, hyperLib, normsWGSL),
    uniform: ['nSeg', 'P', 'gradOff', 'aRun', 'pad0', 'pad1', 'pad2', 'pad3'] as const,
    bindings: ['uniform', 'storage', 'read', 'read', 'read', 'storage'],
    stepUniform: true,
  },
  // state (theta, grad, m, v, prev, running stats), acts (batch stats), hyper, segments, partials, records,
  // Muon's Newton-Schulz scratch
  update: {
    code: withLibs(stepLib, hyperLib, optimLib, nsLib, updateWGSL),
    uniform: [
      'nSeg',
      'nParamSeg',
      'R',
      'M',
      'P',
      'gradOff',
      'mOff',
      'vOff',
      'prevOff',
      'statsOff',
      'prevStatsOff',
      'SS',
      'aRun',
      'trackOff',
      'flagsOff',
      'B',
      'L',
      'nsRun',
      'pad1',
      'pad2',
    ] as const,
    bindings: ['uniform', 'storage', 'read', 'read', 'read', 'read', 'storage', 'storage'],
    stepUniform: true,
  },
  // the whole small-MLP chunk: dataset, pre-augmented batches, rows, hyper, state, records, scratch;
  // its scratch in workgroup memory (GPUs) or in a storage buffer (software adapters)
  fused_mlp: {
    code: withLibs(
      ...TRAIN_LIBS,
      optimLib,
      nsLib,
      fusedCommon,
      memWorkgroup,
      fusedForward,
      fusedBackward,
      fusedUpdate,
      fusedMlpWGSL,
    ),
    uniform: FUSED_DIMS,
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'storage', 'storage', 'storage', 'storage'],
    stepUniform: true,
    sizes: FUSED_SIZES,
  },
  fused_mlp_storage: {
    code: withLibs(
      ...TRAIN_LIBS,
      optimLib,
      nsLib,
      fusedCommon,
      memStorage,
      fusedForward,
      fusedBackward,
      fusedUpdate,
      fusedMlpWGSL,
    ),
    uniform: FUSED_DIMS,
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'storage', 'storage', 'storage', 'storage'],
    stepUniform: true,
    sizes: FUSED_SIZES,
  },
} satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;

/** Kernels whose Dims uniform packUniform() writes. */
export type DimsKernel = {
  [K in KernelName]: (typeof KERNELS)[K] extends { uniform: readonly string[] } ? K : never;
}[KernelName];
type DimsField<K extends DimsKernel> = (typeof KERNELS)[K]['uniform'][number];
/** The named values of kernel K's uniform (every field but the pads). */
export type DimsOf<K extends DimsKernel> = { [F in Exclude<DimsField<K>, `pad${string}`>]: number };

/** The word index of field `f` in kernel K's uniform (for a partial rewrite with writeBuffer). */
export function uniformWord<K extends DimsKernel>(name: K, f: DimsField<K>): number {
  return (KERNELS[name].uniform as readonly string[]).indexOf(f);
}

/** Kernel K's uniform words from its named values, in the WGSL struct's order (pads 0). */
export function packUniform<K extends DimsKernel>(name: K, values: DimsOf<K>): number[] {
  const fields: readonly string[] = KERNELS[name].uniform;
  const v = values as Record<string, number>;
  for (const key of Object.keys(v))
    if (!fields.includes(key)) throw new Error(`${name} uniform: no field '${key}' in its Dims struct`);
  return fields.map((f) => {
    if (f.startsWith('pad')) return 0;
    const x = v[f];
    // an integer; -1 (a region the kernel never touches, e.g. h of a batch-norm layer) wraps to 2^32 - 1
    if (!Number.isInteger(x)) throw new Error(`${name} uniform: field '${f}' must be an integer, got ${x}`);
    return x >>> 0;
  });
}
