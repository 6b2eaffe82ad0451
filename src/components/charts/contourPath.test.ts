// traceContour draws what d3-geo's geoPath drew before it (same rings, same points, same order).
import { contours, path as d3path, geoPath, geoTransform } from 'd3';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng';
import { traceContour } from './contourPath';

const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);

describe('traceContour', () => {
  it('matches geoPath over a geoTransform on random fields (commands and points)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 5; trial++) {
      const n = 12 + trial * 5;
      const field = Array.from({ length: n * n }, () => rng.uniform());
      const map = (x: number, y: number): [number, number] => [x * 3.5, 200 - y * 2.25];
      const geo = geoPath(
        geoTransform({
          point(x, y) {
            this.stream.point(...map(x, y));
          },
        }),
      ).digits(6);
      for (const poly of contours().size([n, n]).thresholds([0.3, 0.5, 0.8])(field)) {
        const mine = d3path();
        traceContour(mine, poly, map);
        const want = geo(poly) ?? '';
        const got = mine.toString();
        expect(got.replace(/[^MLZ]/g, '')).toBe(want.replace(/[^MLZ]/g, ''));
        const a = numbers(got);
        const b = numbers(want);
        expect(a.length).toBe(b.length);
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
      }
    }
  });
});
