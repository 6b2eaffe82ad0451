// The loss surface over a plane in weight space, evaluated in slices: a G x G grid of points
// theta(a, b) = origin + a*d1 + b*d2 is cut into slices of a few parameter vectors each, so the
// worker can answer one slice between two training steps and training never stalls.
//
// values[j*G + i] is the loss at column i (a axis), row j (b axis): the layout d3-contour reads.
import { type Plane, planePoint } from './plane';

/** [aMin, aMax, bMin, bMax] of a plane region. */
export type Extent = [number, number, number, number];

/**
 * A region around every path (each [K, 2] interleaved) with `margin` of the span on each side;
 * both axes get the same length so the contours are not stretched (the plane's axes are
 * orthonormal for PCA, and distances along them are comparable).
 */
export function pathsExtent(paths: readonly Float32Array[], margin = 0.3): Extent {
  let a0 = Number.POSITIVE_INFINITY;
  let a1 = Number.NEGATIVE_INFINITY;
  let b0 = Number.POSITIVE_INFINITY;
  let b1 = Number.NEGATIVE_INFINITY;
  for (const p of paths)
    for (let k = 0; k + 1 < p.length; k += 2) {
      if (!Number.isFinite(p[k]) || !Number.isFinite(p[k + 1])) continue;
      a0 = Math.min(a0, p[k]);
      a1 = Math.max(a1, p[k]);
      b0 = Math.min(b0, p[k + 1]);
      b1 = Math.max(b1, p[k + 1]);
    }
  if (!(a1 >= a0 && b1 >= b0)) return [-1, 1, -1, 1];
  const span = Math.max(a1 - a0, b1 - b0, 1e-6) * (1 + 2 * margin);
  const ca = (a0 + a1) / 2;
  const cb = (b0 + b1) / 2;
  return [ca - span / 2, ca + span / 2, cb - span / 2, cb + span / 2];
}

/** Plane coordinates of grid cell (i, j): cell centres, so the grid matches a canvas pixel grid. */
export function cellCenter(extent: Extent, res: number, i: number, j: number): [number, number] {
  const [a0, a1, b0, b1] = extent;
  return [a0 + ((i + 0.5) * (a1 - a0)) / res, b0 + ((j + 0.5) * (b1 - b0)) / res];
}

/** A surface being filled slice by slice. */
export class SurfaceJob {
  readonly plane: Plane;
  readonly extent: Extent;
  readonly res: number;
  /** [res*res] losses; NaN where not evaluated yet. */
  readonly values: Float32Array;
  private next = 0;
  private received = 0;

  constructor(plane: Plane, extent: Extent, res: number) {
    if (!(Number.isInteger(res) && res >= 2 && res <= 256)) throw new Error(`surface: res must be 2..256, got ${res}`);
    this.plane = plane;
    this.extent = extent;
    this.res = res;
    this.values = new Float32Array(res * res).fill(Number.NaN);
  }

  get done(): boolean {
    return this.received === this.values.length;
  }

  /** Fraction of the grid evaluated, 0..1. */
  get progress(): number {
    return this.received / this.values.length;
  }

  /**
   * The next up-to-`max` grid points as thetas[k, P] (one flat array) and the index of the first,
   * or null when every point has been handed out.
   */
  nextSlice(max: number): { start: number; k: number; thetas: Float32Array } | null {
    const n = this.values.length;
    if (this.next >= n) return null;
    const P = this.plane.origin.length;
    const k = Math.min(Math.max(1, Math.floor(max)), n - this.next);
    const thetas = new Float32Array(k * P);
    for (let s = 0; s < k; s++) {
      const idx = this.next + s;
      const [a, b] = cellCenter(this.extent, this.res, idx % this.res, Math.floor(idx / this.res));
      planePoint(this.plane, a, b, thetas.subarray(s * P, (s + 1) * P));
    }
    const start = this.next;
    this.next += k;
    return { start, k, thetas };
  }

  /** Store the losses of a slice handed out by nextSlice. */
  accept(start: number, losses: ArrayLike<number>): void {
    if (start < 0 || start + losses.length > this.values.length)
      throw new Error(`surface: slice ${start}+${losses.length} outside the ${this.values.length}-point grid`);
    for (let s = 0; s < losses.length; s++) this.values[start + s] = losses[s];
    this.received += losses.length;
  }
}

/** Multiply-adds one surface point costs the trainer: a forward pass over the split (about n * P). */
const pointCost = (n: number, params: number) => Math.max(1, n) * Math.max(1, params);
/** Work per lossAt call: about 20 ms of a CPU engine, so a slice fits between two training chunks. */
export const SLICE_BUDGET = 2e7;
/** Work per surface: a few seconds of a CPU engine at most. */
export const SURFACE_BUDGET = 4e9;
/** Refreshing while training is allowed when one surface costs at most this. */
export const FOLLOW_BUDGET = 1e9;

/**
 * How to evaluate a surface for a split of n points and P parameters: points per lossAt call,
 * the resolution (the wanted one, lowered for big problems, never under 7), and whether the
 * view may refresh it periodically while training.
 */
export function surfacePlan(
  n: number,
  params: number,
  wantedRes: number,
): { res: number; slice: number; follow: boolean } {
  const c = pointCost(n, params);
  const slice = Math.max(1, Math.min(16, Math.floor(SLICE_BUDGET / c)));
  const res = Math.min(wantedRes, Math.max(7, Math.floor(Math.sqrt(SURFACE_BUDGET / c))));
  return { res, slice, follow: res * res * c <= FOLLOW_BUDGET };
}
