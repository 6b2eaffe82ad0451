// What a lesson demo measures about a run beyond its loss curves: weight statistics (L1/L2
// lessons), per-layer activation statistics (batch norm), and the decision boundary (2D sets).
// Pure functions of a Run's current state, shared by the demo's charts and by lessons.test.ts,
// so the test checks the very numbers the teacher's screen shows.
import { forward } from '../../src/engine/network';
import type { Run } from '../../src/engine/trainer';

export interface WeightStats {
  /** Entries of all weight matrices (biases and batch-norm parameters excluded). */
  count: number;
  /** Weights that are exactly 0.0. */
  exactZeros: number;
  /** Weights with |w| < 1e-3 ("effectively zero"). */
  nearZeros: number;
  /** ||W||_2 over all weight matrices. */
  l2: number;
  /** Largest |w|. */
  maxAbs: number;
  /** Histogram of w over [-range, range] in `bins.length` equal bins (values outside clamp to the ends). */
  bins: number[];
  range: number;
}

/** Statistics of the weight matrices of `run` (W[O, I] of every dense layer). */
export function weightStats(run: Run, nBins = 41, range = 0): WeightStats {
  const theta = run.getParams();
  let count = 0;
  let exactZeros = 0;
  let nearZeros = 0;
  let sq = 0;
  let maxAbs = 0;
  for (const L of run.layout.layers) {
    for (let k = L.w; k < L.w + L.outDim * L.inDim; k++) {
      const w = theta[k];
      count++;
      if (w === 0) exactZeros++;
      if (Math.abs(w) < 1e-3) nearZeros++;
      sq += w * w;
      maxAbs = Math.max(maxAbs, Math.abs(w));
    }
  }
  const r = range > 0 ? range : Math.max(maxAbs, 1e-6);
  const bins = new Array<number>(nBins).fill(0);
  for (const L of run.layout.layers) {
    for (let k = L.w; k < L.w + L.outDim * L.inDim; k++) {
      const t = (theta[k] + r) / (2 * r);
      bins[Math.min(nBins - 1, Math.max(0, Math.floor(t * nBins)))]++;
    }
  }
  return { count, exactZeros, nearZeros, l2: Math.sqrt(sq), maxAbs, bins, range: r };
}

export interface ActivationStats {
  /** Per hidden layer: mean and standard deviation of its post-activation values h. */
  mean: number[];
  std: number[];
  /** Per hidden layer: fraction of units near saturation (|h| > 0.97 for tanh, h < 0.03 or > 0.97 for sigmoid). */
  saturated: number[];
}

/** Activation statistics over (up to `maxSamples` of) the validation inputs, in evaluation mode. */
export function activationStats(run: Run, maxSamples = 256): ActivationStats {
  const ds = run.dataset;
  const split = ds.nVal > 0 ? { x: ds.xVal, n: ds.nVal } : { x: ds.xTrain, n: ds.nTrain };
  const n = Math.min(split.n, maxSamples);
  const x = split.x.subarray(0, n * ds.inputDim);
  const opts = { train: false, model: run.cfg.model, dropoutSeed: 0, step: 0 };
  const f = forward(run.layout, run.getParams(), run.getBnStats(), x, n, opts);
  const out: ActivationStats = { mean: [], std: [], saturated: [] };
  run.layout.layers.forEach((L, i) => {
    if (!L.hidden) return;
    const h = f.layers[i].h;
    let s = 0;
    let s2 = 0;
    let sat = 0;
    for (let k = 0; k < h.length; k++) {
      s += h[k];
      s2 += h[k] * h[k];
      if (L.activation === 'tanh' && Math.abs(h[k]) > 0.97) sat++;
      if (L.activation === 'sigmoid' && (h[k] < 0.03 || h[k] > 0.97)) sat++;
    }
    const m = s / h.length;
    out.mean.push(m);
    out.std.push(Math.sqrt(Math.max(0, s2 / h.length - m * m)));
    out.saturated.push(sat / h.length);
  });
  return out;
}

export interface BoundaryGrid {
  res: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** [res*res] predicted class per cell, row 0 at yMax (top). */
  cls: Uint8Array;
  /** [res*res] probability of that class. */
  conf: Float32Array;
}

/** The classifier's decision on a res x res grid over the dataset's view box; null for non-2D sets. */
export function boundaryGrid(run: Run, res = 48): BoundaryGrid | null {
  const ds = run.dataset;
  if (!ds.bounds || ds.inputDim !== 2 || ds.kind !== 'classification') return null;
  const { xMin, xMax, yMin, yMax } = ds.bounds;
  const pts = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const k = r * res + c;
      pts[2 * k] = xMin + ((c + 0.5) / res) * (xMax - xMin);
      pts[2 * k + 1] = yMax - ((r + 0.5) / res) * (yMax - yMin);
    }
  }
  const p = run.predict(pts, res * res);
  const C = ds.classes;
  const cls = new Uint8Array(res * res);
  const conf = new Float32Array(res * res);
  for (let k = 0; k < res * res; k++) {
    let best = 0;
    for (let j = 1; j < C; j++) if (p[k * C + j] > p[k * C + best]) best = j;
    cls[k] = best;
    conf[k] = p[k * C + best];
  }
  return { res, xMin, xMax, yMin, yMax, cls, conf };
}
