import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { makeTestFunction, TEST_FUNCTION_NAMES, type TestFunction } from './testFunctions';

/** Central difference of f at (x, y) with a step scaled to the coordinate. */
function numericGrad(fn: TestFunction, x: number, y: number): [number, number] {
  const hx = 1e-6 * Math.max(1, Math.abs(x));
  const hy = 1e-6 * Math.max(1, Math.abs(y));
  return [(fn.f(x + hx, y) - fn.f(x - hx, y)) / (2 * hx), (fn.f(x, y + hy) - fn.f(x, y - hy)) / (2 * hy)];
}

const all = [
  ...TEST_FUNCTION_NAMES.map((n) => makeTestFunction(n)),
  makeTestFunction('quadratic', { kappa: 100, angle: 0.7 }),
];

describe('2D test functions', () => {
  it.each(all.map((fn) => [fn.label, fn] as const))('%s: analytic gradient matches finite differences', (_, fn) => {
    const rng = new Rng(7);
    const { xMin, xMax, yMin, yMax } = fn.bounds;
    for (let k = 0; k < 50; k++) {
      const x = rng.range(xMin, xMax);
      const y = rng.range(yMin, yMax);
      const g = fn.grad(x, y);
      const n = numericGrad(fn, x, y);
      const scale = Math.max(1, Math.hypot(n[0], n[1]));
      // float64 central differences: truncation ~h^2 f''' and rounding ~eps f / h, both << 1e-5 here.
      expect(Math.abs(g[0] - n[0]) / scale).toBeLessThan(1e-5);
      expect(Math.abs(g[1] - n[1]) / scale).toBeLessThan(1e-5);
    }
  });

  it.each(all.map((fn) => [fn.label, fn] as const))(
    '%s: the listed minima have the listed value and zero gradient',
    (_, fn) => {
      for (const m of fn.minima) {
        expect(Math.abs(fn.f(m.x, m.y) - m.f)).toBeLessThan(1e-12);
        const [gx, gy] = fn.grad(m.x, m.y);
        expect(Math.hypot(gx, gy)).toBeLessThan(1e-9);
        // A minimum: every nearby point is higher.
        for (const [dx, dy] of [
          [1e-3, 0],
          [-1e-3, 0],
          [0, 1e-3],
          [0, -1e-3],
          [7e-4, 7e-4],
        ])
          expect(fn.f(m.x + dx, m.y + dy)).toBeGreaterThan(m.f);
      }
    },
  );

  it('every start point lies inside the view box', () => {
    for (const fn of all) {
      for (const [x, y] of fn.starts) {
        expect(x).toBeGreaterThanOrEqual(fn.bounds.xMin);
        expect(x).toBeLessThanOrEqual(fn.bounds.xMax);
        expect(y).toBeGreaterThanOrEqual(fn.bounds.yMin);
        expect(y).toBeLessThanOrEqual(fn.bounds.yMax);
      }
    }
  });

  it('quadratic: Hessian eigenvalues are 1/kappa and 1 whatever the rotation', () => {
    const fn = makeTestFunction('quadratic', { kappa: 50, angle: 0.4 });
    // Hessian by differencing the analytic gradient (exact for a quadratic).
    const [a, b] = fn.grad(1, 0);
    const [c, d] = fn.grad(0, 1);
    const tr = a + d;
    const det = a * d - b * c;
    const disc = Math.sqrt(tr * tr - 4 * det);
    expect((tr - disc) / 2).toBeCloseTo(1 / 50, 12);
    expect((tr + disc) / 2).toBeCloseTo(1, 12);
    expect(fn.hessian).toEqual({ lmin: 1 / 50, lmax: 1 });
    expect(b).toBeCloseTo(c, 14); // symmetric
  });

  it('saddle: a saddle point at the origin (no minimum)', () => {
    const fn = makeTestFunction('saddle');
    expect(fn.minima).toEqual([]);
    expect(fn.grad(0, 0)).toEqual([0, -0]);
    expect(fn.f(0.1, 0)).toBeGreaterThan(0);
    expect(fn.f(0, 0.1)).toBeLessThan(0);
  });

  it('rejects unknown names and bad kappa', () => {
    expect(() => makeTestFunction('sphere' as 'saddle')).toThrow(/unknown 'sphere'/);
    expect(() => makeTestFunction('quadratic', { kappa: 0.5 })).toThrow(/kappa/);
  });
});
