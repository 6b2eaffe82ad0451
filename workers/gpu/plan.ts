// Where everything lives on the GPU, for R runs of one architecture (the run dimension leads).
// Pure arithmetic over the engine's ParamLayout: no GPU calls, so it is unit-tested in Node.
//
// state (one buffer, f32), each section [R, P] or [R, SS] (SS = layout.statsSize):
//   theta | grad | m | v | prev | runStats | prevRunStats
// acts (one buffer, per run `aRun` floats), per dense layer l with O units and `rows` rows:
//   z [rows, O] | u [rows, O] (batch norm) | h [rows, O] | o [rows, O] (dropout) | batch stats [3, O] (BN)
//   (the output layer has z only: logits or predictions)
// dacts (per run `dRun`): per layer dZ [rows, O], and dU [rows, O] before it for batch-norm layers
// records: [slots, R, M] step records, then track [R, 32], then weight flags [R, nParamSeg]
// ns (Muon's Newton-Schulz scratch, kernels/lib/newton_schulz.wgsl), per run `nsRun` floats: one
//   region per hidden layer's W[O, I], red [NS_RED] | X, Y [n, k] | A, B [n, n] (n = min(O, I), k = max)
import type { ParamLayout } from '../../src/engine/layout';
import { fieldsOf, type MetricSpec, STEP_METRICS } from '../../src/engine/metricsSchema';

export interface LayerPlan {
  index: number;
  hidden: boolean;
  I: number;
  O: number;
  batchNorm: boolean;
  /** Offsets within one run's acts (-1 when absent). */
  z: number;
  u: number;
  h: number;
  o: number;
  bnStats: number;
  /** Offsets within one run's dacts: dU (BN only, else -1) and dZ. */
  dU: number;
  dZ: number;
  /** Offset of W's Newton-Schulz region within one run's ns (hidden layers; -1 for the output layer). */
  ns: number;
}

export interface Segment {
  kind: 'W' | 'b' | 'gamma' | 'beta' | 'h';
  /** Offset in a run's theta (parameters) or acts (activations). */
  off: number;
  len: number;
  layer: number;
  /** gamma rows: running-stats offset (in a run's stats), features, batch-stats offset (in acts). */
  stats: number;
  features: number;
  batchStats: number;
  /** hidden W: its Newton-Schulz region in a run's ns (else -1); its rows O are in `features`. */
  ns: number;
}

export interface GpuPlan {
  R: number;
  rows: number;
  P: number;
  SS: number;
  L: number;
  layers: LayerPlan[];
  /** Section offsets in state (floats). */
  theta: number;
  grad: number;
  m: number;
  v: number;
  prev: number;
  stats: number;
  prevStats: number;
  stateSize: number;
  aRun: number;
  dRun: number;
  /** Floats of Muon's Newton-Schulz scratch per run (the ns buffer, [R, nsRun], when a run uses Muon). */
  nsRun: number;
  segments: Segment[];
  nParamSeg: number;
  /** Word offset of each step-record field (recordLayout), and words per (slot, run). */
  rec: Record<string, number>;
  M: number;
  slots: number;
  trackOff: number;
  flagsOff: number;
  recSize: number;
}

/**
 * A step record is a row of fields (a scalar one f32 word, a per-layer one L words). The step
 * fields the GPU writes take the position their `gpu` entry in src/engine/metricsSchema.ts names
 * (loss 0, dataLoss 1, gradNorm 8, updateRatio 9); these are the GPU's own: the minibatch's correct
 * count and the epoch-end evaluation sums (loss.wgsl, fused_mlp.wgsl). A position nobody takes
 * (3 today) is a free word, ready for a new scalar metric.
 */
const GPU_FIELDS = { correct: 2, trainLoss: 4, trainCorrect: 5, valLoss: 6, valCorrect: 7 } as const;

/** Record fields in order: each position taken at most once, free ones as one unnamed word. */
export function recordFields(): { name: string; perLayer: boolean }[] {
  const fields: { name: string; perLayer: boolean }[] = [];
  const put = (at: number, name: string, perLayer: boolean) => {
    if (fields[at]) throw new Error(`GPU record position ${at}: both ${fields[at].name} and ${name}`);
    fields[at] = { name, perLayer };
  };
  for (const [name, at] of Object.entries(GPU_FIELDS)) put(at, name, false);
  for (const k of fieldsOf(STEP_METRICS)) {
    const f: MetricSpec = STEP_METRICS[k];
    if (f.gpu !== undefined) put(f.gpu, k, f.perLayer === true);
  }
  return Array.from(fields, (f, i) => f ?? { name: `free${i}`, perLayer: false });
}

/** Word offsets of the record fields for L layers, and the words per record M. */
export function recordLayout(L: number): { offsets: Record<string, number>; M: number } {
  const offsets: Record<string, number> = {};
  let M = 0;
  for (const s of recordFields()) {
    offsets[s.name] = M;
    M += s.perLayer ? L : 1;
  }
  return { offsets, M };
}

/** Words of the record's fixed header (the fields before the first per-layer one), the same for every L. */
export const REC = (() => {
  const { offsets } = recordLayout(0);
  const first = recordFields().findIndex((s) => s.perLayer);
  const names = recordFields()
    .slice(0, first < 0 ? undefined : first)
    .map((s) => s.name);
  return Object.fromEntries(names.map((k) => [k, offsets[k]])) as Record<
    'loss' | 'dataLoss' | keyof typeof GPU_FIELDS,
    number
  >;
})();
export const TRACK_WORDS = 32;
/** Partial-sum words at the start of a Newton-Schulz region (>= any workgroup's invocations). */
export const NS_RED = 256;
/** Floats of the Newton-Schulz region of a W[rows, cols] (kernels/lib/newton_schulz.wgsl). */
export function nsRegion(rows: number, cols: number): number {
  const n = Math.min(rows, cols);
  const k = Math.max(rows, cols);
  return NS_RED + 2 * n * k + 2 * n * n;
}
export const SEG_WORDS = 8;
const SEG_KIND = { W: 0, b: 1, gamma: 2, beta: 3, h: 4 } as const;

export function makePlan(layout: ParamLayout, R: number, rows: number, slots: number): GpuPlan {
  if (!(R >= 1 && rows >= 1 && slots >= 1))
    throw new Error(`makePlan: R, rows and slots must be >= 1 (${R}, ${rows}, ${slots})`);
  const P = layout.size;
  const SS = layout.statsSize;
  let a = 0;
  let dd = 0;
  let ns = 0;
  const layers: LayerPlan[] = layout.layers.map((l) => {
    const n = rows * l.outDim;
    const take = (cond: boolean, size: number) => {
      if (!cond) return -1;
      const at = a;
      a += size;
      return at;
    };
    const z = take(true, n);
    const u = take(l.batchNorm, n);
    const h = take(l.hidden, n);
    const o = take(l.hidden, n);
    const bnStats = take(l.batchNorm, 3 * l.outDim);
    const dU = l.batchNorm ? dd : -1;
    if (l.batchNorm) dd += n;
    const dZ = dd;
    dd += n;
    const nsAt = l.hidden ? ns : -1;
    if (l.hidden) ns += nsRegion(l.outDim, l.inDim);
    return {
      index: l.index,
      hidden: l.hidden,
      I: l.inDim,
      O: l.outDim,
      batchNorm: l.batchNorm,
      z,
      u,
      h,
      o,
      bnStats,
      dU,
      dZ,
      ns: nsAt,
    };
  });
  const segments: Segment[] = [];
  const seg = (kind: Segment['kind'], off: number, len: number, layer: number, extra: Partial<Segment> = {}) =>
    segments.push({ kind, off, len, layer, stats: 0, features: 0, batchStats: 0, ns: -1, ...extra });
  for (const l of layout.layers) {
    const hiddenW = l.hidden ? { features: l.outDim, ns: layers[l.index].ns } : {};
    seg('W', l.w, l.outDim * l.inDim, l.index, hiddenW);
    seg('b', l.b, l.outDim, l.index);
    if (l.batchNorm) {
      const bs = layers[l.index].bnStats;
      seg('gamma', l.gamma, l.outDim, l.index, { stats: l.stats, features: l.outDim, batchStats: bs });
      seg('beta', l.beta, l.outDim, l.index);
    }
  }
  const nParamSeg = segments.length;
  for (const l of layers) if (l.hidden) seg('h', l.h, rows * l.O, l.index);
  const L = layout.layers.length;
  const { offsets: rec, M } = recordLayout(L);
  const trackOff = slots * R * M;
  const flagsOff = trackOff + R * TRACK_WORDS;
  return {
    R,
    rows,
    P,
    SS,
    L,
    layers,
    theta: 0,
    grad: R * P,
    m: 2 * R * P,
    v: 3 * R * P,
    prev: 4 * R * P,
    stats: 5 * R * P,
    prevStats: 5 * R * P + R * SS,
    stateSize: 5 * R * P + 2 * R * SS,
    aRun: Math.max(1, a),
    dRun: Math.max(1, dd),
    nsRun: ns,
    segments,
    nParamSeg,
    rec,
    M,
    slots,
    trackOff,
    flagsOff,
    recSize: flagsOff + R * nParamSeg,
  };
}

/** The segment table as the kernels read it (lib: norms.wgsl header). */
export function segmentTable(plan: GpuPlan): Uint32Array<ArrayBuffer> {
  const t = new Uint32Array(plan.segments.length * SEG_WORDS);
  plan.segments.forEach((s, k) => {
    t.set([SEG_KIND[s.kind], s.off, s.len, s.layer, s.stats, s.features, s.batchStats, s.ns >>> 0], k * SEG_WORDS);
  });
  return t;
}

/** Input rows of layer l's X in acts: the previous layer's dropout output or its activations. */
export function inputOffset(plan: GpuPlan, l: number, dropoutOn: boolean[]): number {
  const prev = plan.layers[l - 1];
  return dropoutOn[l - 1] ? prev.o : prev.h;
}
