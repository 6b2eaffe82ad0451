import { describe, expect, it } from 'vitest';
import { bandOf, runOf, spreadOf } from './bands';

describe('seed band statistics', () => {
  it('mean, min and max index by index', () => {
    const b = bandOf([
      [1, 4, 2],
      [3, 2, 2],
      [2, 0, 8],
    ]);
    expect([...b.mean]).toEqual([2, 2, 4]);
    expect([...b.lo]).toEqual([1, 0, 2]);
    expect([...b.hi]).toEqual([3, 4, 8]);
    expect([...b.n]).toEqual([3, 3, 3]);
  });

  it('a run that diverged or stopped early drops out, and n says so', () => {
    const b = bandOf([
      [1, Number.NaN, Number.POSITIVE_INFINITY],
      [3, 5, 7, 9],
    ]);
    expect([...b.mean]).toEqual([2, 5, 7, 9]);
    expect([...b.n]).toEqual([2, 1, 1, 1]);
    const none = bandOf([[Number.NaN], [Number.NaN]]);
    expect(none.n[0]).toBe(0);
    expect(Number.isNaN(none.mean[0])).toBe(true);
  });

  it('the geometric mean on a log axis skips non-positive values', () => {
    const b = bandOf([[1e-4], [1e-2], [0]], true);
    expect(b.mean[0]).toBeCloseTo(1e-3, 12);
    expect(b.lo[0]).toBe(1e-4);
    expect(b.n[0]).toBe(2);
  });

  it('spread: mean, sample sd, range, and how many of the runs had a value', () => {
    const s = spreadOf([100, 140, Number.NaN, 120]);
    expect(s).toMatchObject({ mean: 120, min: 100, max: 140, n: 3, of: 4 });
    expect(s.sd).toBeCloseTo(Math.sqrt((400 + 400 + 0) / 2), 12);
    expect(spreadOf([0.9]).sd).toBe(0);
    expect(spreadOf([Number.NaN, Number.NaN])).toMatchObject({ n: 0, of: 2 });
  });

  it('runs are seed-major: the first S runs are every racer on its first seed', () => {
    expect([0, 1, 2].map((k) => runOf(1, k, 4))).toEqual([1, 5, 9]);
    expect(runOf(3, 0, 4)).toBe(3);
  });
});
