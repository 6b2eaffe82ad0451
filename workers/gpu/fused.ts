// The fused small-net path (kernels/fused_mlp.wgsl): a whole chunk of training steps, epoch-end
// evaluations included, in ONE dispatch. Used when the network is small enough that a workgroup
// holds the activations of its runs in workgroup memory; otherwise the general path runs.
//
// Workgroup memory per run slot (floats): the input rows [B, D], then per layer with O units and B rows:
//   hidden, no batch norm:  h [B, O] (z is not kept: every f' is a function of h alone) | o [B, O] if dropout | dA [B, O]
//   hidden, batch norm:     z [B, O] | h [B, O] (u likewise folded into h) | o if dropout | stats [3, O] | dA = dZ [B, O]
//   output:                 z [B, C] | dZ [B, C]
// then the shared partial sums (max of 2 per sample and 4 per work item, per run slot) and 16
// scalars per run slot. Runs per workgroup (RPW): several on a software adapter (its workgroups
// run on CPU cores: fewer, fuller workgroups), one on a real GPU (one workgroup per run).
import type { Dataset } from '../../src/engine/data/dataset';
import type { ParamLayout } from '../../src/engine/layout';
import { ACTIVATION_NAMES } from '../../src/engine/types';
import type { BufferPool } from './buffers';
import { FUSED_DIMS, type FusedLayerWords, packFusedLayer, packUniform } from './kernels';
import type { Pipeline, PipelineCache } from './pipelines';
import type { GpuPlan } from './plan';
import { labelWords, uniformOf } from './resources';

export const FUSED_MAX_LAYERS = 8;
export const FUSED_MAX_ITEMS = 128;
/** Widest layer the fused path takes (one invocation loops over a layer's inputs). */
export const FUSED_MAX_WIDTH = 64;
/**
 * Parameters per work item of the update phase, tried in this order: on SwiftShader four
 * consecutive invocations run as one SIMD group, which loops as long as its longest item; 16 keeps
 * a 2-16-16-2 net's items (2 to 16 long) even, 64 lets the largest nets fit FUSED_MAX_ITEMS.
 */
export const PARAM_CHUNKS = [16, 32, 64];
const ACT_CHUNK = 256;
/** The ACT constant of fused/common.wgsl when the hidden layers' activations differ: each layer's own. */
export const ACT_EACH_LAYER = 255;
const SC_WORDS = 16;
/** Words of the uniform's scalar head (the layer table starts after it). */
const DIMS_WORDS = FUSED_DIMS.length;

export interface FusedLayout {
  /** Some layer has batch norm / some run may drop units (the kernel compiles the rest out). */
  bn: boolean;
  dropout: boolean;
  /**
   * The activation (index in ACTIVATION_NAMES) every hidden layer shares, compiled in as a constant,
   * or ACT_EACH_LAYER: read per layer from the table (SwiftShader then evaluates every activation's
   * formula for each element, under a lane mask).
   */
  act: number;
  RPW: number;
  groups: number;
  mem: number;
  /** Length of the state array the kernel declares (fixedWords of the plan's state). */
  stateWords: number;
  runMem: number;
  partOff: number;
  scOff: number;
  /** Uniform words (Dims struct of common.wgsl) without S. */
  words: Uint32Array;
}

interface Item {
  kind: number;
  layer: number;
  off: number;
  len: number;
  seg: number;
}

/** The memory plan and uniform table, or the reason the fused path cannot take this network. */
export function fusedLayout(
  layout: ParamLayout,
  plan: GpuPlan,
  ds: Dataset,
  dropout: boolean[],
  R: number,
  groupsWanted: number,
  maxMemBytes: number,
  packMemBytes = maxMemBytes,
): FusedLayout | string {
  // maxMemBytes: the workgroup-memory limit, or the scratch budget of one run in storage (a run's
  // activations must fit it); packMemBytes: what a workgroup's runs may use together (the same for
  // workgroup memory; more in storage, where fewer, fuller workgroups pay fewer barriers per run)
  const L = layout.layers.length;
  const B = plan.rows;
  if (L > FUSED_MAX_LAYERS) return `more than ${FUSED_MAX_LAYERS} layers`;
  const widest = Math.max(layout.inputDim, ...layout.layers.map((l) => l.outDim));
  if (widest > FUSED_MAX_WIDTH) return `a layer wider than ${FUSED_MAX_WIDTH}`;
  // per-run-slot offsets: the input rows first
  let a = B * layout.inputDim;
  const take = (n: number) => {
    const at = a;
    a += n;
    return at;
  };
  const layerWords: FusedLayerWords[] = layout.layers.map((l) => {
    const n = B * l.outDim;
    let z: number;
    let h = 0;
    let o = 0;
    let stats = 0;
    let dA = 0;
    let dZ = 0;
    if (!l.hidden) {
      z = take(n);
      dZ = take(n);
    } else {
      z = l.batchNorm ? take(n) : -1;
      h = take(n);
      if (!l.batchNorm) z = h;
      o = dropout[l.index] ? take(n) : h;
      stats = l.batchNorm ? take(3 * l.outDim) : 0;
      dA = take(n);
      dZ = dA;
    }
    const u = h;
    const flags = (l.hidden ? 1 : 0) | (l.batchNorm ? 2 : 0) | (ACTIVATION_NAMES.indexOf(l.activation) << 8);
    return {
      I: l.inDim,
      O: l.outDim,
      wOff: l.w,
      bOff: l.b,
      gammaOff: Math.max(0, l.gamma),
      betaOff: Math.max(0, l.beta),
      rsOff: Math.max(0, l.stats),
      flags,
      zOff: z,
      uOff: u,
      hOff: h,
      oOff: o,
      statsOff: stats,
      dAOff: dA,
      dZOff: dZ,
      nsOff: Math.max(0, plan.layers[l.index].ns), // Muon's Newton-Schulz region (hidden W)
    };
  });
  const runMem = a;
  // work items: parameter chunks (segments in theta order), then activation chunks; the smallest
  // chunk that keeps within FUSED_MAX_ITEMS (shorter items balance the update over the SIMD lanes)
  let items: Item[] = [];
  let nParamItems = 0;
  for (const chunk of PARAM_CHUNKS) {
    items = [];
    let seg = 0;
    const chunked = (kind: number, layer: number, off: number, len: number, ch: number) => {
      for (let k = 0; k < len; k += ch) items.push({ kind, layer, off: off + k, len: Math.min(ch, len - k), seg });
      seg++;
    };
    for (const l of layout.layers) {
      chunked(0, l.index, l.w, l.outDim * l.inDim, chunk);
      chunked(1, l.index, l.b, l.outDim, chunk);
      if (l.batchNorm) {
        chunked(2, l.index, l.gamma, l.outDim, chunk);
        chunked(3, l.index, l.beta, l.outDim, chunk);
      }
    }
    nParamItems = items.length;
    for (const l of layout.layers) if (l.hidden) chunked(4, l.index, layerWords[l.index].hOff, B * l.outDim, ACT_CHUNK);
    if (items.length <= FUSED_MAX_ITEMS) break;
  }
  if (items.length > FUSED_MAX_ITEMS) return `more than ${FUSED_MAX_ITEMS} work items`;
  const fits = (rpw: number, bytes: number) =>
    rpw * (runMem + Math.max(2 * B, 4 * items.length) + SC_WORDS) <= Math.floor(bytes / 4);
  if (!fits(1, maxMemBytes)) return `its activations (${runMem * 4} bytes per run) do not fit in workgroup memory`;
  let RPW = Math.max(1, Math.ceil(R / Math.max(1, groupsWanted)));
  while (RPW > 1 && !fits(RPW, Math.max(maxMemBytes, packMemBytes))) RPW--;
  const partOff = RPW * runMem;
  const scOff = partOff + RPW * Math.max(2 * B, 4 * items.length);
  const mem = scOff + RPW * SC_WORDS;
  const nTrain = ds.nTrain;
  const D = ds.inputDim;
  const C = ds.outputDim;
  const xVal = nTrain * D;
  const yTrain = xVal + ds.nVal * D;
  const yVal = yTrain + ds.yTrain.length;
  const head = packUniform('fused_mlp', {
    L,
    R,
    RPW,
    B,
    P: plan.P,
    SS: plan.SS,
    M: plan.M,
    S: 0, // steps of a chunk: written per dispatch (paths.ts)
    nTrain,
    nVal: ds.nVal,
    D,
    C,
    runMem,
    partOff,
    xVal,
    yTrain,
    yVal,
    nItems: items.length,
    nParamItems,
    dataRun: 0, // run stride of the pre-augmented batches: written per dispatch (paths.ts)
    rowsRun: plan.slots * B,
    gradOff: plan.grad,
    mOff: plan.m,
    vOff: plan.v,
    prevOff: plan.prev,
    statsOff: plan.stats,
    prevStatsOff: plan.prevStats,
    trackOff: plan.trackOff,
    flagsOff: plan.flagsOff,
    nParamSeg: plan.nParamSeg,
    scOff,
    xin: 0, // the input rows open each run slot
    nsRun: plan.nsRun,
  });
  const words = new Uint32Array(DIMS_WORDS + FUSED_MAX_LAYERS * 16 + FUSED_MAX_ITEMS * 4);
  words.set(head, 0);
  layerWords.forEach((lw, l) => {
    words.set(packFusedLayer(lw), DIMS_WORDS + l * 16);
  });
  items.forEach((it, k) => {
    words.set([it.kind | (it.layer << 8), it.off, it.len, it.seg], DIMS_WORDS + FUSED_MAX_LAYERS * 16 + k * 4);
  });
  const bn = layout.layers.some((l) => l.batchNorm);
  const acts = new Set(layout.layers.filter((l) => l.hidden).map((l) => ACTIVATION_NAMES.indexOf(l.activation)));
  const act = acts.size === 1 ? [...acts][0] : ACT_EACH_LAYER;
  return {
    bn,
    dropout: dropout.some((x) => x),
    act,
    RPW,
    groups: Math.ceil(R / RPW),
    mem,
    stateWords: fixedWords(plan.stateSize),
    runMem,
    partOff,
    scOff,
    words,
  };
}

/** xTrain | xVal | yTrain | yVal in one buffer (labels as u32 bits), as fused/common.wgsl reads it. */
export function uploadDataset(pool: BufferPool, ds: Dataset): GPUBuffer {
  const n = ds.xTrain.length + ds.xVal.length + ds.yTrain.length + ds.yVal.length;
  const u = new Uint32Array(Math.max(1, n));
  const f = new Float32Array(u.buffer);
  let o = 0;
  f.set(ds.xTrain, o);
  o += ds.xTrain.length;
  f.set(ds.xVal, o);
  o += ds.xVal.length;
  u.set(labelWords(ds.yTrain), o);
  o += ds.yTrain.length;
  u.set(labelWords(ds.yVal), o);
  return pool.upload(u, 'dataset');
}

/**
 * Length of a storage array the fused kernel declares with a fixed size (STATE_WORDS, SCRATCH_WORDS
 * in fused/common.wgsl) for n words: n rounded up to a power of two (so that few shader texts
 * exist), and its buffer is allocated that long. Why: WebGPU clamps every index into a storage
 * array; for a runtime-sized array SwiftShader computes arrayLength() for that, with 4 integer
 * divisions, in every pass of every loop that reads the buffer (about 11% of the kernel's time on
 * the 64-run sweep); against a constant length the clamp is one min.
 */
export function fixedWords(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(4, n)));
}

/** The fused kernel's pipeline name and constants for a layout (for PipelineCache.warm). */
export function fusedPipeline(
  f: FusedLayout,
  wg: number,
  xsrc: number,
  lossKind: number,
  opt: number,
  storageScratch: boolean,
): ['fused_mlp' | 'fused_mlp_storage', Record<string, number>] {
  return [
    storageScratch ? 'fused_mlp_storage' : 'fused_mlp',
    // BN, DROP: false compiles batch norm's and dropout's code out of a set that uses neither
    // ACT: the hidden layers' shared activation, else each layer's own (ACT_EACH_LAYER)
    // STATE_WORDS, SCRATCH_WORDS: the fixed array lengths (written into the text: see fixedWords)
    {
      WG: wg,
      MEM: f.mem,
      XSRC: xsrc,
      LOSS: lossKind,
      OPT: opt,
      BN: f.bn ? 1 : 0,
      DROP: f.dropout ? 1 : 0,
      ACT: f.act,
      STATE_WORDS: f.stateWords,
      SCRATCH_WORDS: scratchWords(f, storageScratch),
    },
  ];
}

/** Words of the scratch buffer: every workgroup's MEM in storage, else a stand-in (4 words: 16 bytes). */
function scratchWords(f: FusedLayout, storageScratch: boolean): number {
  return storageScratch ? fixedWords(f.mem * f.groups) : 4;
}

export interface FusedBinding {
  pipe: Pipeline;
  group: GPUBindGroup;
  dims: GPUBuffer;
  scratch: GPUBuffer;
  words: Uint32Array;
  groups: number;
}

/** Pipeline (constants WG, MEM, XSRC, LOSS, OPT, BN, DROP, ACT) and bind group for one fused layout. */
export function bindFused(
  device: GPUDevice,
  pool: BufferPool,
  pipes: PipelineCache,
  f: FusedLayout,
  wg: number,
  xsrc: number,
  lossKind: number,
  opt: number,
  buffers: {
    dataset: GPUBuffer;
    aug: GPUBuffer;
    rows: GPUBuffer;
    hyper: GPUBuffer;
    state: GPUBuffer;
    rec: GPUBuffer;
    ns: GPUBuffer;
  },
  storageScratch: boolean,
): FusedBinding {
  const dims = uniformOf(device, pool, Array.from(f.words), 'fused-dims');
  const [name, constants] = fusedPipeline(f, wg, xsrc, lossKind, opt, storageScratch);
  const pipe = pipes.get(name, constants);
  const b = buffers;
  const scratch = pool.storage(scratchWords(f, storageScratch), 'fused-scratch');
  const group = pipes.bind(pipe, [dims, b.dataset, b.aug, b.rows, b.hyper, b.state, b.rec, scratch, b.ns], name);
  return { pipe, group, dims, scratch, words: f.words, groups: f.groups };
}
