// Metric history of every run, kept OUTSIDE React state: the bridge appends each batch the
// worker streams, charts read the columns on requestAnimationFrame (leva Monitor style) and
// redraw only when `version` changed. React never sees individual samples.
//
// Bounded over an hour of training: each series has a fixed capacity. When it fills, pairs of
// neighbouring points merge into one (mean for values, so a loss curve keeps its shape) and the
// stride doubles: old history gets coarser, never dropped, and memory stays constant. New samples
// accumulate into a bucket of `stride` samples; the partial bucket is visible as the last point.
// Columns and their reductions come from the metrics table (src/engine/metricsSchema.ts); a batch
// is appended column to column, never pivoted into rows.

import type { RunMetrics } from '../../workers/protocol';
import {
  EPOCH_METRICS,
  type EpochField,
  fieldsOf,
  type LayerField,
  type MetricSpec,
  type Reduce,
  type ScalarField,
  STEP_METRICS,
  type StepField,
  type StepMetrics,
} from '../engine/metricsSchema';

export type { Reduce };

/** One source column of a batch: value i is data[offset + i * stride] (per-layer: offset l, stride L). */
export interface ColumnSource {
  data: ArrayLike<number>;
  offset: number;
  stride: number;
}

/** A columnar series of fixed capacity with down-sampling by pairwise merge when full. */
export class SeriesBuffer {
  readonly capacity: number;
  readonly names: readonly string[];
  private readonly reduce: readonly Reduce[];
  private readonly data: Float64Array[];
  private readonly acc: Float64Array;
  private committed = 0;
  private pending = 0;
  private strideValue = 1;
  /** Samples appended in total (before down-sampling). */
  total = 0;

  constructor(names: readonly string[], reduce: readonly Reduce[], capacity: number) {
    if (names.length !== reduce.length) throw new Error('SeriesBuffer: one reduce mode per column');
    if (capacity < 4 || capacity % 2 !== 0) throw new Error('SeriesBuffer: capacity must be even and >= 4');
    this.names = names;
    this.reduce = reduce;
    this.capacity = capacity;
    this.data = names.map(() => new Float64Array(capacity));
    this.acc = new Float64Array(names.length);
  }

  /** Points held (committed buckets plus the partial one being filled). */
  get size(): number {
    return this.committed + (this.pending > 0 ? 1 : 0);
  }

  /** Samples per committed point (1 until the first merge, then 2, 4, ...). */
  get stride(): number {
    return this.strideValue;
  }

  /** View of column c over the points held (no copy; valid until the next append). */
  column(c: number): Float64Array {
    return this.data[c].subarray(0, this.size);
  }

  /** Index of a column by name (-1 if absent). */
  indexOf(name: string): number {
    return this.names.indexOf(name);
  }

  /** Latest value of column c, NaN when empty. */
  last(c: number): number {
    const n = this.size;
    return n > 0 ? this.data[c][n - 1] : Number.NaN;
  }

  /**
   * Append n samples, column by column (src[c] feeds column c). Samples go into buckets of
   * `stride`: first the partial bucket is topped up, then whole buckets are reduced straight from
   * the source, then the rest starts a new partial bucket; a full buffer merges pairs in between.
   */
  append(src: readonly ColumnSource[], n: number): void {
    if (src.length !== this.data.length) throw new Error('SeriesBuffer: one source per column');
    let i = 0;
    while (i < n) {
      const S = this.strideValue;
      if (this.pending > 0 || n - i < S) {
        const k = Math.min(n - i, S - this.pending);
        this.fillPartial(src, i, k);
        i += k;
      } else {
        const m = Math.min(Math.floor((n - i) / S), this.capacity - this.committed);
        this.fillWhole(src, i, m);
        i += m * S;
        this.committed += m;
        if (this.committed === this.capacity) this.halve();
      }
    }
    this.total += n;
  }

  /** Forget everything (same columns and capacity). */
  clear(): void {
    this.committed = 0;
    this.pending = 0;
    this.strideValue = 1;
    this.total = 0;
  }

  // k samples from i into the partial bucket, which is written in place so the newest sample is
  // always visible; a bucket that reaches `stride` samples is committed.
  private fillPartial(src: readonly ColumnSource[], i: number, k: number): void {
    const first = this.pending === 0;
    const count = this.pending + k;
    const slot = this.committed;
    for (let c = 0; c < this.data.length; c++) {
      const { data, offset, stride } = src[c];
      const r = this.reduce[c];
      let a = this.acc[c];
      for (let j = 0; j < k; j++) a = fold(r, first && j === 0, a, data[offset + (i + j) * stride]);
      this.acc[c] = a;
      this.data[c][slot] = r === 'mean' ? a / count : a;
    }
    this.pending = count;
    if (count === this.strideValue) {
      this.pending = 0;
      this.committed++;
      if (this.committed === this.capacity) this.halve();
    }
  }

  // m whole buckets of `stride` samples from i, each reduced straight into its point.
  private fillWhole(src: readonly ColumnSource[], i: number, m: number): void {
    const S = this.strideValue;
    for (let c = 0; c < this.data.length; c++) {
      const { data, offset, stride } = src[c];
      const r = this.reduce[c];
      const d = this.data[c];
      for (let b = 0; b < m; b++) {
        const at = offset + (i + b * S) * stride;
        let a = data[at];
        for (let j = 1; j < S; j++) a = fold(r, false, a, data[at + j * stride]);
        d[this.committed + b] = r === 'mean' ? a / S : a;
      }
    }
  }

  // Merge neighbours 2j, 2j+1 -> j. Both hold `stride` samples, so the plain mean is exact.
  private halve(): void {
    const half = this.capacity / 2;
    for (let c = 0; c < this.data.length; c++) {
      const d = this.data[c];
      const r = this.reduce[c];
      for (let j = 0; j < half; j++) d[j] = merge(r, d[2 * j], d[2 * j + 1]);
    }
    this.committed = half;
    this.strideValue *= 2;
  }
}

/** Accumulate v into a bucket's accumulator a (the bucket's first sample starts it). */
function fold(r: Reduce, first: boolean, a: number, v: number): number {
  if (first || r === 'last') return v;
  if (r === 'mean') return a + v;
  return r === 'max' ? Math.max(a, v) : Math.min(a, v);
}

/** Two neighbouring points of equal stride as one. */
function merge(r: Reduce, a: number, b: number): number {
  if (r === 'mean') return 0.5 * (a + b);
  if (r === 'last') return b;
  return r === 'max' ? Math.max(a, b) : Math.min(a, b);
}

/** Scalar per-step fields (one ring-buffer column each); per-layer fields follow as `${name}${l}`. */
export const STEP_COLUMNS = fieldsOf(STEP_METRICS).filter((k) => !isLayerField(k)) as StepColumn[];
export type StepColumn = ScalarField<StepMetrics>;
/** Per-layer per-step fields (updateRatio, gradNorm): one column per layer. */
export const LAYER_COLUMNS = fieldsOf(STEP_METRICS).filter(isLayerField) as LayerColumn[];
export type LayerColumn = LayerField<StepMetrics>;
/** Per-epoch fields (one point per completed epoch). */
export const EPOCH_COLUMNS = fieldsOf(EPOCH_METRICS);
export type EpochColumn = EpochField;

function isLayerField(k: StepField): boolean {
  return (STEP_METRICS[k] as MetricSpec).perLayer === true;
}

/** Bounded history of one run: one column per scalar field and per (per-layer field, layer), in table order. */
export class RunHistory {
  readonly layers: number;
  readonly steps: SeriesBuffer;
  readonly epochs: SeriesBuffer;
  /** Index of a step field's first column (per-layer: layer 0). */
  private readonly stepAt = new Map<string, number>();

  constructor(layers: number, stepCapacity: number, epochCapacity: number) {
    this.layers = layers;
    const names: string[] = [];
    const reduce: Reduce[] = [];
    for (const k of fieldsOf(STEP_METRICS)) {
      this.stepAt.set(k, names.length);
      const f: MetricSpec = STEP_METRICS[k];
      if (!f.perLayer) names.push(k);
      else for (let l = 0; l < layers; l++) names.push(`${k}${l}`);
      while (reduce.length < names.length) reduce.push(f.reduce);
    }
    this.steps = new SeriesBuffer(names, reduce, stepCapacity);
    const epochReduce = EPOCH_COLUMNS.map((k) => (EPOCH_METRICS[k] as MetricSpec).reduce);
    this.epochs = new SeriesBuffer(EPOCH_COLUMNS, epochReduce, epochCapacity);
  }

  /** Column of a scalar per-step field (view, valid until the next append). */
  step(name: StepColumn): Float64Array {
    return this.steps.column(this.stepAt.get(name) ?? -1);
  }

  /** Column of a per-layer per-step field at layer l (e.g. updateRatio: ||dW||/||W|| of layer l). */
  layer(name: LayerColumn, l: number): Float64Array {
    return this.steps.column((this.stepAt.get(name) ?? -1) + l);
  }

  /** Column of the per-epoch series. */
  epoch(name: EpochColumn): Float64Array {
    return this.epochs.column(EPOCH_COLUMNS.indexOf(name));
  }

  /** Append a batch of the worker, column to column. */
  append(m: RunMetrics): void {
    const L = this.layers;
    const src: ColumnSource[] = [];
    for (const k of fieldsOf(STEP_METRICS)) {
      if (!(STEP_METRICS[k] as MetricSpec).perLayer) src.push({ data: m[k], offset: 0, stride: 1 });
      else for (let l = 0; l < L; l++) src.push({ data: m[k], offset: l, stride: L });
    }
    this.steps.append(src, m.n);
    const e = m.epochs;
    this.epochs.append(
      EPOCH_COLUMNS.map((k) => ({ data: e[k], offset: 0, stride: 1 })),
      e.n,
    );
  }
}

export interface MetricsBufferOptions {
  /** Points per run in the per-step series (even; default 4096). */
  stepCapacity?: number;
  /** Points per run in the per-epoch series (even; default 2048). */
  epochCapacity?: number;
}

/**
 * Histories of all runs of the current generation (compare mode has several). A history is
 * created on the run's first batch, with the layer count the batch carries, so batches that
 * overtake the create() reply still land correctly.
 */
export class MetricsBuffer {
  /** The worker generation these histories belong to (-1 before the first batch). */
  generation = -1;
  /** One entry per run; null until that run's first batch. */
  runs: (RunHistory | null)[] = [];
  /** Increments on every change: a canvas redraws only when it differs from what it drew. */
  version = 0;
  private readonly stepCapacity: number;
  private readonly epochCapacity: number;

  constructor(options: MetricsBufferOptions = {}) {
    this.stepCapacity = options.stepCapacity ?? 4096;
    this.epochCapacity = options.epochCapacity ?? 2048;
  }

  /** Start a new, empty generation of `runs` runs. */
  reset(generation: number, runs: number): void {
    this.generation = generation;
    this.runs = Array.from({ length: runs }, () => null);
    this.version++;
  }

  /**
   * The runs were regrouped in the same generation (a branch, a dropped branch): new run i keeps
   * the history of old run from[i], or starts empty (null: a branch, whose curve starts at its step).
   */
  remap(from: readonly (number | null)[]): void {
    this.runs = from.map((f) => (f === null ? null : (this.runs[f] ?? null)));
    this.version++;
  }

  /**
   * Append a batch of generation `generation` with `runCount` runs. A newer generation clears
   * the histories first; an older one (a batch in flight during a rebuild) is dropped: false.
   */
  append(generation: number, runCount: number, metrics: readonly RunMetrics[]): boolean {
    if (generation < this.generation) return false;
    if (generation > this.generation || runCount !== this.runs.length) this.reset(generation, runCount);
    for (const m of metrics) {
      if (m.run < 0 || m.run >= this.runs.length) continue;
      let h = this.runs[m.run];
      if (!h || h.layers !== m.layers) {
        h = new RunHistory(m.layers, this.stepCapacity, this.epochCapacity);
        this.runs[m.run] = h;
      }
      h.append(m);
    }
    if (metrics.length > 0) this.version++;
    return true;
  }
}
