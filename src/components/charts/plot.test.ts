// drawLine's path (tracePath): the same points as d3's scales put them, and, decimated per pixel
// column, the same vertical extent in every column as the full polyline (spikes survive): M4 with
// at most 4 points per column, or a spine of one point per column plus a bar over the column's spread.
import { describe, expect, it } from 'vitest';
import { makePlot, tracePath } from './plot';

type Pt = [number, number, 'M' | 'L'];
function record(): { pts: Pt[]; moveTo(x: number, y: number): void; lineTo(x: number, y: number): void } {
  const pts: Pt[] = [];
  return {
    pts,
    moveTo: (x, y) => pts.push([x, y, 'M']),
    lineTo: (x, y) => pts.push([x, y, 'L']),
  };
}

/** Noisy decreasing loss with a few spikes and a non-finite gap. */
function series(n: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    xs[i] = i;
    ys[i] = 1 / (1 + i / 300) + 0.05 * (s / 2147483648);
  }
  ys[777] = 40; // a spike in one step
  ys[2000] = Number.NaN; // a gap
  ys[3001] = Number.POSITIVE_INFINITY;
  return { xs, ys };
}

describe('tracePath', () => {
  for (const log of [false, true]) {
    it(`puts every point where d3's scales do when not decimated (${log ? 'log' : 'linear'} y)`, () => {
      const { xs, ys } = series(500);
      const p = makePlot(600, 200, [0, 499], [0.01, 40], log);
      const r = record();
      tracePath(r, p, xs, ys, 'all');
      expect(r.pts).toHaveLength(500);
      r.pts.forEach(([X, Y], i) => {
        expect(X).toBeCloseTo(p.x(xs[i]), 9);
        expect(Y).toBeCloseTo(p.y(ys[i]), 9);
      });
    });

    it(`decimates per pixel column keeping each column's extent and the breaks (${log ? 'log' : 'linear'} y)`, () => {
      const { xs, ys } = series(4096);
      const p = makePlot(400, 200, [0, 4095], [0.01, 40], log);
      const full = record();
      tracePath(full, p, xs, ys, 'all');
      const dec = record();
      tracePath(dec, p, xs, ys, 'm4', 1);
      const cols = Math.ceil(p.box.r - p.box.l) + 1;
      expect(dec.pts.length).toBeLessThanOrEqual(4 * cols);
      expect(dec.pts.length).toBeLessThan(full.pts.length / 2);
      // the same pieces: a move at the start and after each non-finite value
      expect(dec.pts.filter((q) => q[2] === 'M')).toEqual(full.pts.filter((q) => q[2] === 'M'));
      const extent = (pts: Pt[]) => {
        const m = new Map<number, [number, number]>();
        for (const [X, Y] of pts) {
          const c = Math.floor(X);
          const e = m.get(c) ?? [Y, Y];
          m.set(c, [Math.min(e[0], Y), Math.max(e[1], Y)]);
        }
        return m;
      };
      expect(extent(dec.pts)).toEqual(extent(full.pts));
      // the spike is drawn
      expect(Math.min(...dec.pts.map((q) => q[1]))).toBeCloseTo(p.y(40), 9);
      // every decimated point is a point of the full polyline, in the same order
      let k = 0;
      for (const q of dec.pts) {
        while (k < full.pts.length && (full.pts[k][0] !== q[0] || full.pts[k][1] !== q[1])) k++;
        expect(k).toBeLessThan(full.pts.length);
      }
    });

    it(`spine mode: one point per column, and the spine with the bars covers every column's extent (${log ? 'log' : 'linear'} y)`, () => {
      const { xs, ys } = series(4096);
      const p = makePlot(400, 200, [0, 4095], [0.01, 40], log);
      const full = record();
      tracePath(full, p, xs, ys, 'all');
      const spine = record();
      const bars: [number, number, number][] = [];
      tracePath(spine, p, xs, ys, 'spine', 1, (x, y0, y1) => bars.push([x, y0, y1]));
      const cols = new Set(spine.pts.map((q) => Math.floor(q[0])));
      // one point per column (a column cut by a gap holds one on each side)
      expect(spine.pts.length).toBeLessThanOrEqual(cols.size + spine.pts.filter((q) => q[2] === 'M').length);
      expect(spine.pts.filter((q) => q[2] === 'M')).toHaveLength(full.pts.filter((q) => q[2] === 'M').length);
      const covered = new Map<number, [number, number]>();
      const add = (c: number, lo: number, hi: number) => {
        const e = covered.get(c) ?? [lo, hi];
        covered.set(c, [Math.min(e[0], lo), Math.max(e[1], hi)]);
      };
      for (const [X, Y] of spine.pts) add(Math.floor(X), Y, Y);
      for (const [x, y0, y1] of bars) add(Math.floor(x), y0, y1);
      const want = new Map<number, [number, number]>();
      for (const [X, Y] of full.pts) {
        const c = Math.floor(X);
        const e = want.get(c) ?? [Y, Y];
        want.set(c, [Math.min(e[0], Y), Math.max(e[1], Y)]);
      }
      for (const [c, [lo, hi]] of want) {
        const got = covered.get(c);
        expect(got, `column ${c}`).toBeDefined();
        // within one pixel (a column spread of at most 1 px draws no bar; the line's width covers it)
        expect(got![0]).toBeLessThanOrEqual(lo + 1);
        expect(got![1]).toBeGreaterThanOrEqual(hi - 1);
      }
      expect(Math.min(...bars.map((b) => b[1]))).toBeCloseTo(p.y(40), 9); // the spike is drawn
    });
  }
});
