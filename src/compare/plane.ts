// A 2D plane through weight space onto which training trajectories are projected and over
// which the loss surface is drawn (Li et al. 2018, "Visualizing the Loss Landscape of Neural
// Nets", sections 5-7):
//   theta(a, b) = origin + a*d1 + b*d2          origin, d1, d2: [P]
// Two ways to choose d1, d2:
//   - PCA of the snapshots relative to the final weights (section 7): M = [theta_k - theta_final]
//     rows, centred; d1, d2 = its top two principal directions. Random directions miss the
//     trajectory almost entirely in high dimension; the PCA plane holds most of its variance.
//   - Filter-normalized random directions (section 4): Gaussian d, then each row of each weight
//     matrix (one unit's incoming weights, the MLP's "filter") rescaled to the norm of the same
//     row of theta; biases and batch-norm parameters get 0 (their "ignore biasbn" setting).
// In compare mode the PCA is taken over the snapshots of all runs at once, so every path lies on
// one shared plane and the paths can be compared against the same contours.

import { symmetricEigenWork } from '../engine/eigen';
import { Rng } from '../engine/rng';

export interface Plane {
  kind: 'pca' | 'random';
  origin: Float32Array;
  d1: Float32Array;
  d2: Float32Array;
  /** Fraction of the snapshots' variance along d1 and d2 (PCA); NaN for random directions. */
  explained: [number, number];
}

/** One weight matrix W[rows, cols] inside theta, row-major: row r is unit r's incoming weights. */
export interface WeightBlock {
  offset: number;
  rows: number;
  cols: number;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Evenly spaced indices 0..K-1 (always keeping the first and the last), at most m of them. */
export function subsampleIndices(K: number, m: number): number[] {
  if (K <= m) return Array.from({ length: K }, (_, i) => i);
  return Array.from({ length: m }, (_, i) => Math.round((i * (K - 1)) / (m - 1)));
}

/** A unit vector orthogonal to u (unit), from a fixed seed: the second axis of a straight-line path. */
function orthogonalTo(u: Float64Array, seed: number): Float64Array {
  const rng = new Rng(seed);
  for (;;) {
    const w = Float64Array.from(u, () => rng.gaussian());
    const c = dot(w, u);
    for (let i = 0; i < w.length; i++) w[i] -= c * u[i];
    const n = Math.sqrt(dot(w, w));
    if (n > 1e-6) return w.map((x) => x / n);
  }
}

/**
 * The PCA plane of `snapshots` (each [P]) relative to `origin` (the final weights).
 * Directions come from at most `maxSnapshots` evenly spaced snapshots (the eigenproblem is
 * min(K, P) square); every snapshot can still be projected afterwards.
 * Signs are fixed so the first snapshot (the start) has negative coordinates on both axes.
 */
export function pcaPlane(snapshots: readonly Float32Array[], origin: Float32Array, maxSnapshots = 200): Plane {
  const work = pcaWork(snapshots, origin, maxSnapshots);
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** Main-thread time slice of pcaPlaneSliced, ms: well under the 50 ms of a long task. */
export const PCA_SLICE_MS = 8;

/**
 * pcaPlane in slices of about PCA_SLICE_MS, yielding to the page between them: the Gram matrix of
 * a digits race (88 snapshots of 50,890 weights: 2e8 multiply-adds) took one 200 ms task otherwise.
 */
export function pcaPlaneSliced(
  snapshots: readonly Float32Array[],
  origin: Float32Array,
  maxSnapshots = 200,
  sliceMs = PCA_SLICE_MS,
): Promise<Plane> {
  return sliced(pcaWork(snapshots, origin, maxSnapshots), sliceMs);
}

/** Run a generator of work to its end, yielding to the page (a macrotask) every `sliceMs` of main-thread time. */
export async function sliced<T>(work: Generator<void, T>, sliceMs = PCA_SLICE_MS): Promise<T> {
  let t0 = performance.now();
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
    if (performance.now() - t0 > sliceMs) {
      await new Promise((go) => setTimeout(go, 0));
      t0 = performance.now();
    }
  }
}

// The O(P) loops of the work below live in plain functions, not in the generator's body: V8 runs
// a generator's own loops unoptimized (no on-stack replacement there), and a loop over a digits
// net's 50,890 weights in a generator cost 5-30 ms per pass (one pass of the old pcaWork's tail:
// 40-114 ms of main-thread CPU in one task, measured with a Chromium CPU profile). Same operations
// in the same order as before, so the same floats.

/** Row k of D = snapshot - origin, added to the mean (divided by K as it goes). */
function diffRow(D: Float64Array, k: number, s: Float32Array, origin: Float32Array, mean: Float64Array, K: number) {
  const P = origin.length;
  for (let i = 0; i < P; i++) {
    const d = s[i] - origin[i];
    D[k * P + i] = d;
    mean[i] += d / K;
  }
}

function centreRow(D: Float64Array, k: number, mean: Float64Array) {
  const P = mean.length;
  for (let i = 0; i < P; i++) D[k * P + i] -= mean[i];
}

/** Dot product of rows a and b of D[., P]. */
function rowDot(D: Float64Array, a: number, b: number, P: number): number {
  let s = 0;
  for (let i = 0; i < P; i++) s += D[a * P + i] * D[b * P + i];
  return s;
}

/** d += u * (row k of D). */
function addRow(d: Float64Array, u: number, D: Float64Array, k: number) {
  const P = d.length;
  for (let i = 0; i < P; i++) d[i] += u * D[k * P + i];
}

/** C[i, j>=i] += D[k, i] * D[k, j] (upper triangle of the covariance). */
function addOuter(C: Float64Array, D: Float64Array, k: number, P: number) {
  for (let i = 0; i < P; i++) {
    const di = D[k * P + i];
    for (let j = i; j < P; j++) C[i * P + j] += di * D[k * P + j];
  }
}

function unitVec(d: Float64Array): Float64Array {
  const n = Math.sqrt(dot(d, d));
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] / n;
  return out;
}

/** u -= c * v. */
function subScaled(u: Float64Array, c: number, v: Float64Array) {
  for (let i = 0; i < u.length; i++) u[i] -= c * v[i];
}

/** (start - origin) . u */
function offsetDot(start: Float32Array, origin: Float32Array, u: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += (start[i] - origin[i]) * u[i];
  return s;
}

function negate(u: Float64Array) {
  for (let i = 0; i < u.length; i++) u[i] = -u[i];
}

/** The work of pcaPlane, pausing (yield) after each piece of at most O(P) (or O(P^2) for P < K) multiply-adds. */
function* pcaWork(
  snapshots: readonly Float32Array[],
  origin: Float32Array,
  maxSnapshots: number,
): Generator<void, Plane> {
  const P = origin.length;
  if (P < 2) throw new Error(`trajectory: a plane needs at least 2 weights, the network has ${P}`);
  if (snapshots.length < 2) throw new Error(`trajectory: need at least 2 weight snapshots, got ${snapshots.length}`);
  snapshots.forEach((s, k) => {
    if (s.length !== P) throw new Error(`trajectory: snapshot ${k} has ${s.length} weights, the origin ${P}`);
  });
  const rows = subsampleIndices(snapshots.length, maxSnapshots);
  const K = rows.length;
  // D[K, P] = snapshot - origin, then centred over the rows (PCA of the differences, as sklearn does).
  const D = new Float64Array(K * P);
  const mean = new Float64Array(P);
  for (let k = 0; k < K; k++) {
    diffRow(D, k, snapshots[rows[k]], origin, mean, K);
    yield;
  }
  for (let k = 0; k < K; k++) {
    centreRow(D, k, mean);
    yield;
  }

  const dirs: Float64Array[] = [];
  let values: Float64Array;
  if (K <= P) {
    // Gram form: G = D D^T [K, K]; G u = lambda u  =>  (D^T D)(D^T u) = lambda (D^T u), so d = D^T u / sqrt(lambda).
    const G = new Float64Array(K * K);
    for (let a = 0; a < K; a++)
      for (let b = a; b < K; b++) {
        G[a * K + b] = G[b * K + a] = rowDot(D, a, b, P);
        yield;
      }
    const eig = yield* symmetricEigenWork(G, K); // ascending: the largest is last
    values = eig.values.reverse();
    for (let c = K - 1; c >= Math.max(0, K - 2); c--) {
      const d = new Float64Array(P);
      for (let k = 0; k < K; k++) {
        addRow(d, eig.vectors[k * K + c], D, k);
        yield;
      }
      dirs.push(d);
    }
  } else {
    // Covariance form: C = D^T D [P, P]; its eigenvectors are the directions themselves.
    const C = new Float64Array(P * P);
    for (let k = 0; k < K; k++) {
      addOuter(C, D, k, P);
      yield;
    }
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) C[i * P + j] = C[j * P + i];
    const eig = yield* symmetricEigenWork(C, P); // ascending: the largest is last
    values = eig.values.reverse();
    for (let c = P - 1; c >= P - 2; c--) dirs.push(Float64Array.from({ length: P }, (_, i) => eig.vectors[i * P + c]));
  }
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  if (!(total > 0)) throw new Error('trajectory: the weights have not moved yet, so there is no plane to project on');
  const lam1 = Math.max(values[0], 0);
  const lam2 = Math.max(values[1] ?? 0, 0);
  const u1 = unitVec(dirs[0]);
  yield;
  // A straight path (rank 1) has no second direction: take any axis orthogonal to the first.
  let u2: Float64Array;
  if (lam2 > 1e-10 * lam1 && dirs[1]) {
    u2 = unitVec(dirs[1]);
    yield;
    subScaled(u2, dot(u2, u1), u1); // re-orthogonalize against round-off in the Gram form
    yield;
    u2 = unitVec(u2);
  } else u2 = orthogonalTo(u1, 0x5eed);
  yield;
  const start = snapshots[0];
  if (offsetDot(start, origin, u1) > 0) negate(u1);
  yield;
  if (offsetDot(start, origin, u2) > 0) negate(u2);
  yield;
  const plane: Plane = {
    kind: 'pca',
    origin: new Float32Array(origin),
    d1: new Float32Array(u1),
    d2: new Float32Array(u2),
    explained: [lam1 / total, lam2 / total],
  };
  return plane;
}

/**
 * One filter-normalized random direction: Gaussian entries inside each weight block, each row
 * rescaled to the norm of the same row of theta; zero outside the blocks (biases, batch norm).
 */
export function filterNormalizedDirection(theta: Float32Array, blocks: readonly WeightBlock[], rng: Rng): Float32Array {
  const d = new Float32Array(theta.length);
  for (const { offset, rows, cols } of blocks) {
    if (offset < 0 || offset + rows * cols > theta.length)
      throw new Error(
        `trajectory: weight block at ${offset} of ${rows}x${cols} lies outside the ${theta.length} weights`,
      );
    for (let r = 0; r < rows; r++) {
      const o = offset + r * cols;
      let nd = 0;
      let nt = 0;
      for (let c = 0; c < cols; c++) {
        const g = rng.gaussian();
        d[o + c] = g;
        nd += g * g;
        nt += theta[o + c] * theta[o + c];
      }
      const s = nd > 0 ? Math.sqrt(nt / nd) : 0;
      for (let c = 0; c < cols; c++) d[o + c] *= s;
    }
  }
  return d;
}

/** Plane through `origin` along two filter-normalized random directions (seeded). */
export function randomPlane(origin: Float32Array, blocks: readonly WeightBlock[], seed: number): Plane {
  const rng = new Rng(seed);
  const d1 = filterNormalizedDirection(origin, blocks, rng);
  const d2 = filterNormalizedDirection(origin, blocks, rng);
  return { kind: 'random', origin: Float32Array.from(origin), d1, d2, explained: [Number.NaN, Number.NaN] };
}

/**
 * Coordinates (a, b) of theta on the plane: the least-squares solution of
 *   origin + a*d1 + b*d2 ~ theta
 * (plain dot products when d1, d2 are orthonormal, as the PCA directions are; random directions
 * are only nearly orthogonal, so solve the 2x2 normal equations).
 */
export function projectPoint(plane: Plane, theta: Float32Array): [number, number] {
  const { origin, d1, d2 } = plane;
  let r1 = 0;
  let r2 = 0;
  for (let i = 0; i < origin.length; i++) {
    const x = theta[i] - origin[i];
    r1 += x * d1[i];
    r2 += x * d2[i];
  }
  const g11 = dot(d1, d1);
  const g12 = dot(d1, d2);
  const g22 = dot(d2, d2);
  const det = g11 * g22 - g12 * g12;
  if (!(det > 1e-20 * g11 * g22)) throw new Error('trajectory: the two directions are parallel or zero');
  return [(g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det];
}

/** Projects a whole path: [K, 2] coordinates, interleaved (a0, b0, a1, b1, ...). */
export function projectPath(plane: Plane, snapshots: readonly Float32Array[]): Float32Array {
  const work = projectWork(plane, snapshots);
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** The work of projectPath, pausing after each snapshot (O(P)); run it with `sliced` on the page. */
export function* projectWork(plane: Plane, snapshots: readonly Float32Array[]): Generator<void, Float32Array> {
  const out = new Float32Array(snapshots.length * 2);
  for (let k = 0; k < snapshots.length; k++) {
    const [a, b] = projectPoint(plane, snapshots[k]);
    out[2 * k] = a;
    out[2 * k + 1] = b;
    yield;
  }
  return out;
}

/** theta(a, b) = origin + a*d1 + b*d2, written into `out` ([P]). */
export function planePoint(
  plane: Plane,
  a: number,
  b: number,
  out = new Float32Array(plane.origin.length),
): Float32Array {
  const { origin, d1, d2 } = plane;
  for (let i = 0; i < origin.length; i++) out[i] = origin[i] + a * d1[i] + b * d2[i];
  return out;
}
