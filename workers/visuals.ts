// What the charts draw besides the metric curves: the decision boundary of a 2D set (the
// model evaluated over a grid of the raw input box, through the same preprocessing as
// the data, applied by the backend), per-layer weight histograms, and bounded weight snapshots for trajectories.
import type { Dataset, ParamLayout } from '../src/engine';
import type { BoundaryGrid, VisualOptions, WeightHistograms, WeightSnapshots } from './protocol';

export const DEFAULT_VISUALS: VisualOptions = {
  boundary: false,
  boundaryRes: 64,
  histograms: false,
  histogramBins: 30,
  weights: false,
  intervalMs: 300,
};

/** Largest P for which current weights are streamed (network diagram). */
export const MAX_STREAMED_PARAMS = 200_000;

/** Merge and clamp visual options (bad numbers fall back to the current value). */
export function mergeVisualOptions(cur: VisualOptions, patch: Partial<VisualOptions>): VisualOptions {
  const int = (v: unknown, lo: number, hi: number, dflt: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : dflt;
  return {
    boundary: typeof patch.boundary === 'boolean' ? patch.boundary : cur.boundary,
    boundaryRes: int(patch.boundaryRes, 8, 256, cur.boundaryRes),
    histograms: typeof patch.histograms === 'boolean' ? patch.histograms : cur.histograms,
    histogramBins: int(patch.histogramBins, 4, 200, cur.histogramBins),
    weights: typeof patch.weights === 'boolean' ? patch.weights : cur.weights,
    intervalMs: int(patch.intervalMs, 100, 60_000, cur.intervalMs),
  };
}

/** True when the data is a 2D set with a view box (boundary plots make sense). */
export function hasBoundary(ds: Dataset): boolean {
  return ds.inputDim === 2 && ds.bounds !== undefined;
}

/**
 * The res x res grid over the raw bounds, cell centres, row j (y) then column i (x): x[res*res, 2]
 * in RAW coordinates; backend.predict applies the dataset's preprocessing (as Run.predict does).
 */
export function boundaryInputs(ds: Dataset, res: number): Float32Array {
  const b = ds.bounds!;
  const x = new Float32Array(res * res * 2);
  for (let j = 0; j < res; j++) {
    const y = b.yMin + ((j + 0.5) * (b.yMax - b.yMin)) / res;
    for (let i = 0; i < res; i++) {
      const k = (j * res + i) * 2;
      x[k] = b.xMin + ((i + 0.5) * (b.xMax - b.xMin)) / res;
      x[k + 1] = y;
    }
  }
  return x;
}

export function boundaryGrid(ds: Dataset, run: number, step: number, res: number, values: Float32Array): BoundaryGrid {
  const b = ds.bounds!;
  return {
    run,
    step,
    res,
    bounds: [b.xMin, b.xMax, b.yMin, b.yMax],
    channels: values.length / (res * res),
    values,
  };
}

/** Histogram of each layer's W over [min, max] of that layer (a constant layer puts all in bin 0). */
export function weightHistograms(
  layout: ParamLayout,
  theta: Float32Array,
  run: number,
  step: number,
  bins: number,
): WeightHistograms {
  const L = layout.layers.length;
  const lo = new Float32Array(L);
  const hi = new Float32Array(L);
  const counts = new Uint32Array(L * bins);
  layout.layers.forEach((layer, l) => {
    const w = theta.subarray(layer.w, layer.w + layer.outDim * layer.inDim);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of w) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      // Diverged weights: an empty histogram with NaN edges says so rather than inventing a range.
      lo[l] = Number.NaN;
      hi[l] = Number.NaN;
      return;
    }
    lo[l] = min;
    hi[l] = max;
    const scale = max > min ? bins / (max - min) : 0;
    for (const v of w) counts[l * bins + Math.min(bins - 1, Math.floor((v - min) * scale))]++;
  });
  return { run, step, bins, lo, hi, counts };
}

/**
 * Flat theta every `every` steps for trajectory plots, bounded in count and bytes: when full,
 * every other snapshot is dropped (the first, step 0, always stays) and `every` doubles, so an
 * hour of training keeps an evenly spaced path of at most `max` points.
 */
export class SnapshotStore {
  readonly params: number;
  readonly max: number;
  every: number;
  private steps: number[] = [];
  private thetas: Float32Array[] = [];

  constructor(params: number, every = 10, maxCount = 200, maxBytes = 32 * 1024 * 1024) {
    this.params = params;
    this.every = every;
    this.max = Math.max(2, Math.min(maxCount, Math.floor(maxBytes / (4 * Math.max(1, params)))));
  }

  get count(): number {
    return this.steps.length;
  }

  /** Step at which the next snapshot is due. */
  nextDue(): number {
    if (this.steps.length === 0) return 0;
    const last = this.steps[this.steps.length - 1];
    return (Math.floor(last / this.every) + 1) * this.every;
  }

  /** Keep a copy of theta at `step` (ignored unless due). */
  add(step: number, theta: Float32Array): void {
    if (step < this.nextDue()) return;
    this.steps.push(step);
    this.thetas.push(theta.slice());
    if (this.steps.length > this.max) {
      this.steps = this.steps.filter((_, i) => i % 2 === 0);
      this.thetas = this.thetas.filter((_, i) => i % 2 === 0);
      this.every *= 2;
    }
  }

  clear(): void {
    this.steps = [];
    this.thetas = [];
  }

  /** An independent copy (a branch starts with its parent's trajectory up to the branch point). */
  clone(): SnapshotStore {
    const c = new SnapshotStore(this.params, this.every, this.max, Number.POSITIVE_INFINITY);
    c.steps = this.steps.slice();
    c.thetas = this.thetas.map((t) => t.slice());
    return c;
  }

  /** Everything kept, packed [k, P]. */
  export(run: number): WeightSnapshots {
    const k = this.steps.length;
    const thetas = new Float32Array(k * this.params);
    this.thetas.forEach((t, i) => {
      thetas.set(t, i * this.params);
    });
    return { run, params: this.params, count: k, steps: Float64Array.from(this.steps), thetas };
  }
}
