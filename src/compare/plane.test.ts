import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { filterNormalizedDirection, pcaPlane, planePoint, projectPath, projectPoint, randomPlane } from './plane';

const gaussianVec = (n: number, rng: Rng) => Float64Array.from({ length: n }, () => rng.gaussian());
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));

/** Two orthonormal vectors in R^P (Gram-Schmidt of Gaussians). */
function orthonormalPair(P: number, rng: Rng): [Float64Array, Float64Array] {
  const u = gaussianVec(P, rng);
  const nu = norm(u);
  for (let i = 0; i < P; i++) u[i] /= nu;
  const v = gaussianVec(P, rng);
  const c = dot(u, v);
  for (let i = 0; i < P; i++) v[i] -= c * u[i];
  const nv = norm(v);
  for (let i = 0; i < P; i++) v[i] /= nv;
  return [u, v];
}

/** A damped spiral origin + a_k u + b_k v, wider along u than along v, ending at the origin. */
function spiral(origin: Float64Array, u: Float64Array, v: Float64Array, K: number): Float32Array[] {
  return Array.from({ length: K }, (_, k) => {
    const r = (K - 1 - k) / (K - 1);
    const a = 3 * r * Math.cos(k / 4);
    const b = 1 * r * Math.sin(k / 4);
    return Float32Array.from(origin, (o, i) => o + a * u[i] + b * v[i]);
  });
}

/** Length of the component of d inside span{u, v} divided by |d| (1 = d lies in the plane). */
const inPlane = (d: Float32Array, u: Float64Array, v: Float64Array) => Math.hypot(dot(d, u), dot(d, v)) / norm(d);

describe('pcaPlane', () => {
  // Both code paths: Gram form (K <= P) and covariance form (K > P).
  for (const [P, K] of [
    [60, 40],
    [12, 90],
  ]) {
    it(`recovers the plane a trajectory lies in (P=${P}, K=${K})`, () => {
      const rng = new Rng(P * 7 + K);
      const origin = gaussianVec(P, rng);
      const [u, v] = orthonormalPair(P, rng);
      const snaps = spiral(origin, u, v, K);
      const plane = pcaPlane(snaps, snaps[K - 1], 500);
      expect(inPlane(plane.d1, u, v)).toBeCloseTo(1, 5);
      expect(inPlane(plane.d2, u, v)).toBeCloseTo(1, 5);
      expect(dot(plane.d1, plane.d2)).toBeCloseTo(0, 6);
      expect(norm(plane.d1)).toBeCloseTo(1, 6);
      expect(plane.explained[0] + plane.explained[1]).toBeCloseTo(1, 6);
      // The wide axis of the spiral (u) is the first principal direction.
      expect(Math.abs(dot(plane.d1, u))).toBeGreaterThan(0.99);
      expect(plane.explained[0]).toBeGreaterThan(plane.explained[1]);
      // Every snapshot is reconstructed from its two coordinates; the last one sits at (0, 0).
      const path = projectPath(plane, snaps);
      for (let k = 0; k < K; k++) {
        const back = planePoint(plane, path[2 * k], path[2 * k + 1]);
        for (let i = 0; i < P; i++) expect(back[i]).toBeCloseTo(snaps[k][i], 4);
      }
      expect(path[2 * (K - 1)]).toBeCloseTo(0, 6);
      // The start has negative coordinates on both axes (the sign convention).
      expect(path[0]).toBeLessThan(0);
      expect(path[1]).toBeLessThanOrEqual(0);
    });
  }

  it('keeps most of the variance when the path leaves the plane a little', () => {
    const rng = new Rng(11);
    const P = 80;
    const origin = gaussianVec(P, rng);
    const [u, v] = orthonormalPair(P, rng);
    const snaps = spiral(origin, u, v, 60).map((s) => s.map((x) => x + 0.01 * rng.gaussian()));
    const plane = pcaPlane(snaps, snaps[59]);
    const kept = plane.explained[0] + plane.explained[1];
    expect(kept).toBeGreaterThan(0.97);
    expect(kept).toBeLessThan(1);
    expect(inPlane(plane.d1, u, v)).toBeGreaterThan(0.99);
  });

  it('gives an orthogonal second axis for a straight-line path', () => {
    const rng = new Rng(5);
    const P = 30;
    const origin = gaussianVec(P, rng);
    const [u] = orthonormalPair(P, rng);
    const snaps = Array.from({ length: 20 }, (_, k) => Float32Array.from(origin, (o, i) => o + (19 - k) * 0.1 * u[i]));
    const plane = pcaPlane(snaps, snaps[19]);
    expect(Math.abs(dot(plane.d1, u))).toBeCloseTo(1, 5);
    expect(dot(plane.d1, plane.d2)).toBeCloseTo(0, 5);
    expect(norm(plane.d2)).toBeCloseTo(1, 5);
    expect(plane.explained[1]).toBeLessThan(1e-6);
  });

  it('puts several runs on one shared plane (compare mode)', () => {
    const rng = new Rng(9);
    const P = 50;
    const origin = gaussianVec(P, rng);
    const [u, v] = orthonormalPair(P, rng);
    // Two runs from different starts in the same plane, ending at different points of it.
    const runA = spiral(origin, u, v, 30);
    const shifted = Float64Array.from(origin, (o, i) => o + 0.5 * v[i]);
    const runB = spiral(shifted, v, u, 30);
    const plane = pcaPlane([...runA, ...runB], runA[29]);
    for (const run of [runA, runB]) {
      const path = projectPath(plane, run);
      run.forEach((s, k) => {
        const back = planePoint(plane, path[2 * k], path[2 * k + 1]);
        for (let i = 0; i < P; i++) expect(back[i]).toBeCloseTo(s[i], 4);
      });
    }
  });

  it('refuses a trajectory that has not moved, and mismatched sizes, naming the problem', () => {
    const s = new Float32Array([1, 2, 3]);
    expect(() => pcaPlane([s, s, s], s)).toThrow(/not moved/);
    expect(() => pcaPlane([s], s)).toThrow(/at least 2/);
    expect(() => pcaPlane([s, new Float32Array(2)], s)).toThrow(/snapshot 1 has 2 weights/);
  });
});

describe('random filter-normalized plane', () => {
  it('gives each weight row the norm of the same row of theta and leaves biases at zero', () => {
    const rng = new Rng(1);
    // Layout: W1[3, 2] at 0, b1[3] at 6, W2[2, 3] at 9, b2[2] at 15.
    const theta = Float32Array.from({ length: 17 }, () => rng.gaussian());
    const blocks = [
      { offset: 0, rows: 3, cols: 2 },
      { offset: 9, rows: 2, cols: 3 },
    ];
    const d = filterNormalizedDirection(theta, blocks, new Rng(2));
    for (const { offset, rows, cols } of blocks)
      for (let r = 0; r < rows; r++) {
        const o = offset + r * cols;
        expect(norm(d.subarray(o, o + cols))).toBeCloseTo(norm(theta.subarray(o, o + cols)), 5);
      }
    for (const i of [6, 7, 8, 15, 16]) expect(d[i]).toBe(0);
    expect(() => filterNormalizedDirection(theta, [{ offset: 12, rows: 2, cols: 3 }], new Rng(1))).toThrow(
      /outside the 17 weights/,
    );
  });

  it('projects exactly onto non-orthogonal directions (least squares)', () => {
    const rng = new Rng(4);
    const theta = Float32Array.from({ length: 24 }, () => rng.gaussian());
    const plane = randomPlane(theta, [{ offset: 0, rows: 4, cols: 6 }], 77);
    expect(Math.abs(dot(plane.d1, plane.d2))).toBeGreaterThan(1e-3); // not orthogonal
    const [a, b] = projectPoint(plane, planePoint(plane, 0.7, -1.3));
    expect(a).toBeCloseTo(0.7, 4);
    expect(b).toBeCloseTo(-1.3, 4);
  });
});
