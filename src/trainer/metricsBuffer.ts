// Metric history of every run, kept OUTSIDE React state: the bridge appends each batch the
// worker streams, charts read the columns on requestAnimationFrame (leva Monitor style) and
// redraw only when `version` changed. React never sees individual samples.
//
// Bounded over an hour of training: each series has a fixed capacity. When it fills, pairs of
// neighbouring points merge into one (mean for values, so a loss curve keeps its shape) and the
// stride doubles: old history gets coarser, never dropped, and memory stays constant. New samples
// accumulate into a bucket of `stride` samples; the partial bucket is visible as the last point.
import type { EpochColumns, RunMetrics } from '../../workers/protocol';

/** How samples merge into one point: average, keep the latest, or keep the largest. */
export type Reduce = 'mean' | 'last' | 'max';

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
  /** Samples pushed in total (before down-sampling). */
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

  /** View of column c over the points held (no copy; valid until the next push). */
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

  /** Append one sample: row[c] is column c's value. */
  push(row: ArrayLike<number>): void {
    const { acc, reduce, data } = this;
    const first = this.pending === 0;
    for (let c = 0; c < acc.length; c++) {
      const v = row[c];
      if (reduce[c] === 'mean') acc[c] = first ? v : acc[c] + v;
      else if (reduce[c] === 'last') acc[c] = v;
      else acc[c] = first ? v : Math.max(acc[c], v);
    }
    this.pending++;
    this.total++;
    // The partial bucket is written in place so the newest sample is always visible.
    const slot = this.committed;
    for (let c = 0; c < acc.length; c++) data[c][slot] = reduce[c] === 'mean' ? acc[c] / this.pending : acc[c];
    if (this.pending === this.strideValue) {
      this.pending = 0;
      this.committed++;
      if (this.committed === this.capacity) this.halve();
    }
  }

  /** Forget everything (same columns and capacity). */
  clear(): void {
    this.committed = 0;
    this.pending = 0;
    this.strideValue = 1;
    this.total = 0;
  }

  // Merge neighbours 2j, 2j+1 -> j. Both hold `stride` samples, so the plain mean is exact.
  private halve(): void {
    const half = this.capacity / 2;
    for (let c = 0; c < this.data.length; c++) {
      const d = this.data[c];
      const r = this.reduce[c];
      for (let j = 0; j < half; j++) {
        const a = d[2 * j];
        const b = d[2 * j + 1];
        d[j] = r === 'mean' ? 0.5 * (a + b) : r === 'last' ? b : Math.max(a, b);
      }
    }
    this.committed = half;
    this.strideValue *= 2;
  }
}

/** Per-step columns; per-layer columns follow: updateRatio[0..L), then gradNorm[0..L). */
export const STEP_COLUMNS = ['step', 'epoch', 'loss', 'dataLoss', 'batchAcc', 'lr'] as const;
export type StepColumn = (typeof STEP_COLUMNS)[number];
/** Per-epoch columns (one point per completed epoch). */
export const EPOCH_COLUMNS = [
  'epoch',
  'step',
  'trainLoss',
  'trainAcc',
  'valLoss',
  'valAcc',
  'lr',
  'bestEpoch',
  'improved',
] as const;
export type EpochColumn = (typeof EPOCH_COLUMNS)[number];
const EPOCH_REDUCE: Reduce[] = ['mean', 'mean', 'mean', 'mean', 'mean', 'mean', 'mean', 'last', 'max'];

/** Bounded history of one run. */
export class RunHistory {
  readonly layers: number;
  readonly steps: SeriesBuffer;
  readonly epochs: SeriesBuffer;
  private readonly stepRow: Float64Array;
  private readonly epochRow = new Float64Array(EPOCH_COLUMNS.length);

  constructor(layers: number, stepCapacity: number, epochCapacity: number) {
    this.layers = layers;
    const names: string[] = [...STEP_COLUMNS];
    for (let l = 0; l < layers; l++) names.push(`updateRatio${l}`);
    for (let l = 0; l < layers; l++) names.push(`gradNorm${l}`);
    this.steps = new SeriesBuffer(
      names,
      names.map(() => 'mean'),
      stepCapacity,
    );
    this.epochs = new SeriesBuffer(EPOCH_COLUMNS, EPOCH_REDUCE, epochCapacity);
    this.stepRow = new Float64Array(names.length);
  }

  /** Column of the per-step series (view, valid until the next append). */
  step(name: StepColumn): Float64Array {
    return this.steps.column(STEP_COLUMNS.indexOf(name));
  }

  /** ||dW||/||W|| of layer l per step point. */
  updateRatio(l: number): Float64Array {
    return this.steps.column(STEP_COLUMNS.length + l);
  }

  /** ||dL/dW|| of layer l per step point. */
  gradNorm(l: number): Float64Array {
    return this.steps.column(STEP_COLUMNS.length + this.layers + l);
  }

  /** Column of the per-epoch series. */
  epoch(name: EpochColumn): Float64Array {
    return this.epochs.column(EPOCH_COLUMNS.indexOf(name));
  }

  append(m: RunMetrics): void {
    const row = this.stepRow;
    const L = this.layers;
    const K = STEP_COLUMNS.length;
    const width = Math.min(L, m.layers); // a mismatch would mean a stale batch; never read past it
    for (let i = 0; i < m.n; i++) {
      row[0] = m.step[i];
      row[1] = m.epoch[i];
      row[2] = m.loss[i];
      row[3] = m.dataLoss[i];
      row[4] = m.batchAcc[i];
      row[5] = m.lr[i];
      for (let l = 0; l < width; l++) {
        row[K + l] = m.updateRatio[i * m.layers + l];
        row[K + L + l] = m.gradNorm[i * m.layers + l];
      }
      this.steps.push(row);
    }
    this.appendEpochs(m.epochs);
  }

  private appendEpochs(e: EpochColumns): void {
    const row = this.epochRow;
    for (let i = 0; i < e.n; i++) {
      row[0] = e.epoch[i];
      row[1] = e.step[i];
      row[2] = e.trainLoss[i];
      row[3] = e.trainAcc[i];
      row[4] = e.valLoss[i];
      row[5] = e.valAcc[i];
      row[6] = e.lr[i];
      row[7] = e.bestEpoch[i];
      row[8] = e.improved[i];
      this.epochs.push(row);
    }
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
