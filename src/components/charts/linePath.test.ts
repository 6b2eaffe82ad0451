// linePath writes exactly what d3-shape's line() wrote before it (the schedule preview's curve).
import { line } from 'd3';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng';
import { linePath } from './linePath';

describe('linePath', () => {
  it("equals d3.line()'s string on random points (rounding ties, negatives, tiny and large values)", () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(rng.uniform() * 200);
      const scale = 10 ** Math.floor(rng.uniform() * 10 - 4);
      const xs = Array.from({ length: n }, () => (rng.uniform() - 0.3) * scale);
      const ys = Array.from({ length: n }, (_, i) =>
        i % 7 === 0 ? Math.round(rng.uniform() * 2000) / 1000 + 0.0005 : (rng.uniform() - 0.5) * scale,
      );
      const d3d = line<number>(
        (_, i) => xs[i],
        (v) => v,
      )(ys);
      expect(linePath(xs, ys)).toBe(d3d);
    }
  });

  it('returns null for no points and keeps non-finite values as line() does', () => {
    expect(linePath([], [])).toBe(line()([]));
    const xs = [0, 1, 2];
    const ys = [1, Number.NaN, Number.POSITIVE_INFINITY];
    expect(linePath(xs, ys)).toBe(
      line<number>(
        (_, i) => xs[i],
        (v) => v,
      )(ys),
    );
  });
});
