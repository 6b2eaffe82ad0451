// How far a trajectory picture can be trusted (Li et al. 2018 draw paths on a plane; a path that
// leaves the plane is drawn as if it lay on it). For snapshots theta_k of one path, a plane
// (origin o, directions d1, d2) and the path's final weights theta_F:
//   x_k   = theta_k - o,  p_k = a_k d1 + b_k d2     (a_k, b_k: least squares, plane.ts projectPoint)
//   off_k = ||x_k - p_k||                           distance of the snapshot from the plane
//   far_k = ||theta_k - theta_F||                   distance from the final weights
//   ratio_k = off_k / far_k                         (NaN at the final weights themselves)
// A ratio near 0: the drawn point is where the snapshot is; near 1 or more: the point's place on
// the picture says little about where the weights were.
//   explained = sum_k ||p_k - mean p||^2 / sum_k ||x_k - mean x||^2   (all paths' snapshots together)
// the fraction of the snapshots' variance (about their mean) that lies in the plane; for the PCA
// plane it equals lambda1 + lambda2 over the trace (plane.ts explained), for random directions it
// is usually tiny: the honest number beside a random-direction picture.
import { type Plane, projectPoint } from './plane';

export interface PathFit {
  /** ratio_k per snapshot, in the path's order. */
  ratio: Float64Array;
  /** Largest and median finite ratio (NaN when none). */
  maxRatio: number;
  medianRatio: number;
}

export interface PlaneFit {
  explained: number;
  paths: PathFit[];
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The fit of `paths` (each a list of snapshots [P], ending at that path's final weights) to `plane`. */
export function planeFit(plane: Plane, paths: readonly (readonly Float32Array[])[]): PlaneFit {
  const work = planeFitWork(plane, paths);
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** meanX += (s - origin) / n */
function addMean(meanX: Float64Array, s: Float32Array, origin: Float32Array, n: number): void {
  for (let i = 0; i < meanX.length; i++) meanX[i] += (s[i] - origin[i]) / n;
}

/** meanX + origin, as float32 weights. */
function shifted(meanX: Float64Array, origin: Float32Array): Float32Array {
  const out = new Float32Array(meanX.length);
  for (let i = 0; i < out.length; i++) out[i] = meanX[i] + origin[i];
  return out;
}

/** One snapshot's squared distances: off the plane, from the final weights, and both deviations from the mean. */
function snapshotFit(
  plane: Plane,
  s: Float32Array,
  final: Float32Array,
  meanX: Float64Array,
  ma: number,
  mb: number,
): { off: number; far: number; dev: number; pdev: number } {
  const { origin, d1, d2 } = plane;
  const [a, b] = projectPoint(plane, s);
  let off = 0;
  let far = 0;
  let dev = 0;
  let pdev = 0;
  for (let i = 0; i < origin.length; i++) {
    const x = s[i] - origin[i];
    const p = a * d1[i] + b * d2[i];
    off += (x - p) ** 2;
    far += (s[i] - final[i]) ** 2;
    dev += (x - meanX[i]) ** 2;
    pdev += (p - (ma * d1[i] + mb * d2[i])) ** 2;
  }
  return { off, far, dev, pdev };
}

/**
 * The work of planeFit, pausing after each snapshot (O(P)): a digits race holds hundreds of
 * snapshots of 50,000 weights, one long task on the page unless run in slices (plane.ts `sliced`).
 * The loops are plain functions (a generator's own loops stay unoptimized in V8: 13-50 ms a pass).
 */
export function* planeFitWork(plane: Plane, paths: readonly (readonly Float32Array[])[]): Generator<void, PlaneFit> {
  const { origin } = plane;
  const P = origin.length;
  const all = paths.flat();
  const n = all.length;
  const meanX = new Float64Array(P);
  for (const s of all) {
    addMean(meanX, s, origin, n);
    yield;
  }
  const [ma, mb] = n > 0 ? projectPoint(plane, shifted(meanX, origin)) : [0, 0];
  yield;
  let total = 0;
  let inPlane = 0;
  const fits: PathFit[] = [];
  for (const list of paths) {
    const final = list[list.length - 1];
    const ratio = new Float64Array(list.length);
    for (let k = 0; k < list.length; k++) {
      const { off, far, dev, pdev } = snapshotFit(plane, list[k], final, meanX, ma, mb);
      total += dev;
      inPlane += pdev;
      ratio[k] = far > 0 ? Math.sqrt(off / far) : Number.NaN;
      yield;
    }
    const finite = Array.from(ratio).filter(Number.isFinite);
    fits.push({
      ratio,
      maxRatio: finite.length ? Math.max(...finite) : Number.NaN,
      medianRatio: median(finite),
    });
  }
  return { explained: total > 0 ? inPlane / total : Number.NaN, paths: fits };
}
