import { describe, expect, it } from 'vitest';
import { finiteRange, logLevels, logPosition } from './contourLevels';
import type { Plane } from './plane';
import { cellCenter, pathsExtent, SLICE_BUDGET, SurfaceJob, surfacePlan } from './surface';

// A plane in R^3: origin (1, 2, 3), d1 = e0, d2 = e2.
const plane: Plane = {
  kind: 'pca',
  origin: new Float32Array([1, 2, 3]),
  d1: new Float32Array([1, 0, 0]),
  d2: new Float32Array([0, 0, 1]),
  explained: [0.5, 0.5],
};

describe('SurfaceJob', () => {
  it('hands out every grid point once, in slices, and fills the grid in d3-contour order', () => {
    const job = new SurfaceJob(plane, [-1, 1, -2, 2], 5);
    const seen: number[] = [];
    // A "loss" that we can check per cell: theta[0] + 10*theta[2].
    for (let slice = job.nextSlice(7); slice; slice = job.nextSlice(7)) {
      expect(slice.k).toBeLessThanOrEqual(7);
      const losses = new Float32Array(slice.k);
      for (let s = 0; s < slice.k; s++) {
        seen.push(slice.start + s);
        const t = slice.thetas.subarray(3 * s, 3 * s + 3);
        expect(t[1]).toBe(2); // the plane never moves the coordinate it does not span
        losses[s] = t[0] + 10 * t[2];
      }
      expect(job.done).toBe(false);
      job.accept(slice.start, losses);
    }
    expect(job.done).toBe(true);
    expect(job.progress).toBe(1);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    for (let j = 0; j < 5; j++)
      for (let i = 0; i < 5; i++) {
        const [a, b] = cellCenter([-1, 1, -2, 2], 5, i, j);
        expect(job.values[j * 5 + i]).toBeCloseTo(1 + a + 10 * (3 + b), 4);
      }
    expect(cellCenter([-1, 1, -2, 2], 5, 0, 4)).toEqual([-0.8, 1.6]);
  });

  it('rejects a bad resolution and a slice outside the grid, naming them', () => {
    expect(() => new SurfaceJob(plane, [-1, 1, -1, 1], 1)).toThrow(/res must be 2\.\.256, got 1/);
    const job = new SurfaceJob(plane, [-1, 1, -1, 1], 4);
    expect(() => job.accept(14, [1, 2, 3])).toThrow(/outside the 16-point grid/);
  });
});

describe('pathsExtent', () => {
  it('covers every path with a margin, as a square', () => {
    const e = pathsExtent([new Float32Array([0, 0, 2, 1]), new Float32Array([-1, 0.5, Number.NaN, 9])], 0.25);
    const [a0, a1, b0, b1] = e;
    expect(a1 - a0).toBeCloseTo(b1 - b0, 10);
    expect(a1 - a0).toBeCloseTo(3 * 1.5, 10); // the wider span (a: -1..2) plus 25% each side
    expect(a0).toBeLessThan(-1);
    expect(a1).toBeGreaterThan(2);
    expect(b0).toBeLessThan(0);
    expect(b1).toBeGreaterThan(1);
  });
});

describe('log contour levels', () => {
  it('spaces levels by a constant ratio above the minimum and ends at the maximum', () => {
    const lv = logLevels(2, 1002, 4, 1e-3);
    expect(lv[0]).toBeCloseTo(3, 8);
    expect(lv[3]).toBeCloseTo(1002, 8);
    expect((lv[2] - 2) / (lv[1] - 2)).toBeCloseTo(10, 6);
    expect(logPosition(lv[1], 2, 1002)).toBeCloseTo(1 / 3, 6);
    expect(logPosition(Number.NaN, 2, 1002)).toBe(1);
    expect(finiteRange([Number.NaN, 3, -1, Number.POSITIVE_INFINITY])).toEqual([-1, 3]);
  });
});

describe('surfacePlan', () => {
  it('keeps the wanted grid for a small net and slices it by 16', () => {
    // The default 2D net: 280 training points, 114 parameters.
    expect(surfacePlan(280, 114, 25)).toEqual({ res: 25, slice: 16, follow: true });
  });

  it('coarsens the grid, evaluates one point per call and stops following for a digits-sized net', () => {
    const plan = surfacePlan(3000, 784 * 64 + 64 * 10 + 74, 41);
    expect(plan.slice).toBe(1);
    expect(plan.res).toBe(7);
    expect(plan.follow).toBe(false);
    // Every call stays within a few slices' budget, however big the problem.
    expect(surfacePlan(300, 5000, 41).slice * 300 * 5000).toBeLessThanOrEqual(SLICE_BUDGET);
  });
});
