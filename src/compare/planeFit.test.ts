// planeFit: exact on constructed paths (in the plane: ratios 0, explained 1; a known offset: the
// ratio of the geometry), and on the PCA plane its explained variance equals the eigenvalue share.
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { pcaPlane, randomPlane } from './plane';
import { planeFit } from './planeFit';

const P = 12;
const e = (i: number, s = 1) => Float32Array.from({ length: P }, (_, j) => (j === i ? s : 0));
const add = (...vs: Float32Array[]) => Float32Array.from({ length: P }, (_, j) => vs.reduce((t, v) => t + v[j], 0));
const scale = (v: Float32Array, s: number) => v.map((x) => x * s);

describe('planeFit', () => {
  it('a path inside the plane: every ratio 0, all of the variance explained', () => {
    const origin = new Float32Array(P);
    const plane = { kind: 'pca' as const, origin, d1: e(0), d2: e(1), explained: [0, 0] as [number, number] };
    const path = [add(e(0, 3), e(1, 1)), add(e(0, 1), e(1, 2)), origin];
    const f = planeFit(plane, [path]);
    expect(f.explained).toBeCloseTo(1, 12);
    expect(f.paths[0].maxRatio).toBeCloseTo(0, 12);
    expect(Number.isNaN(f.paths[0].ratio[2])).toBe(true); // the final weights: no distance to compare
  });

  it('a snapshot off the plane: ratio = off-plane distance / distance to the final weights', () => {
    const origin = new Float32Array(P);
    const plane = { kind: 'pca' as const, origin, d1: e(0), d2: e(1), explained: [0, 0] as [number, number] };
    // (3, 0, 4): 4 off the plane, 5 from the final weights (the origin)
    const f = planeFit(plane, [[add(e(0, 3), e(2, 4)), origin]]);
    expect(f.paths[0].ratio[0]).toBeCloseTo(4 / 5, 6);
    // variance about the mean: 2 points at distance 5 apart -> total 12.5, in plane 4.5
    expect(f.explained).toBeCloseTo(9 / 25, 6);
  });

  it('on the PCA plane, explained = (lambda1 + lambda2) / trace; random directions explain far less', () => {
    const rng = new Rng(3);
    const dir = Array.from({ length: 4 }, () => Float32Array.from({ length: P }, () => rng.gaussian()));
    const path = Array.from({ length: 30 }, (_, k) => {
      const t = 1 - k / 29;
      return add(dir[3], scale(dir[0], 2 * t), scale(dir[1], Math.sin(5 * t)), scale(dir[2], 0.3 * t * t));
    });
    const origin = path[path.length - 1];
    const pca = pcaPlane(path, origin);
    const f = planeFit(pca, [path]);
    expect(f.explained).toBeCloseTo(pca.explained[0] + pca.explained[1], 5);
    expect(f.explained).toBeGreaterThan(0.9);
    expect(f.explained).toBeLessThan(1);
    const rnd = planeFit(randomPlane(origin, [{ offset: 0, rows: 3, cols: 4 }], 9), [path]);
    expect(rnd.explained).toBeLessThan(f.explained);
    expect(rnd.paths[0].medianRatio).toBeGreaterThan(f.paths[0].medianRatio);
  });
});
