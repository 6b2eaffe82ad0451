// 2D test functions for optimizer trajectories (the arenas): value beside its analytic gradient,
// a view box, suggested start points and the known minima.
//
//   quadratic   f = 0.5 (lmin u^2 + lmax v^2), (u, v) = (x, y) rotated by -angle;
//               lmax = 1, lmin = 1/kappa, so the largest stable GD step is 2 whatever kappa
//   rosenbrock  f = (1 - x)^2 + 100 (y - x^2)^2                         min (1, 1)
//   beale       f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2   min (3, 0.5)
//   saddle      f = x^2 - y^2                                           no minimum (saddle at 0)
//   himmelblau  f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2                  four minima, f = 0
//   rastrigin   f = 20 + sum_i (x_i^2 - 10 cos(2 pi x_i))               min (0, 0), many local minima
import type { Bounds } from './types';

export type TestFunctionName = 'quadratic' | 'rosenbrock' | 'beale' | 'saddle' | 'himmelblau' | 'rastrigin';
export const TEST_FUNCTION_NAMES: readonly TestFunctionName[] = [
  'quadratic',
  'rosenbrock',
  'beale',
  'saddle',
  'himmelblau',
  'rastrigin',
];

export type Vec2 = [number, number];

export interface TestFunction {
  name: TestFunctionName;
  label: string;
  /** The formula, for the UI. */
  formula: string;
  f(x: number, y: number): number;
  /** Analytic gradient (df/dx, df/dy). */
  grad(x: number, y: number): Vec2;
  /** Suggested view box. */
  bounds: Bounds;
  /** Suggested start points (the first is the default). */
  starts: Vec2[];
  /** Known global minima (empty for the saddle, which is unbounded below). */
  minima: { x: number; y: number; f: number }[];
  /** A plain-GD step size that is stable from the default start. */
  suggestedLr: number;
  /** Contours read better on a log scale of f - min (large dynamic range). */
  logContours: boolean;
  /** Quadratic only: the Hessian's eigenvalues. */
  hessian?: { lmin: number; lmax: number };
}

export interface TestFunctionParams {
  /** Quadratic: condition number lmax/lmin >= 1 (default 10). */
  kappa?: number;
  /** Quadratic: rotation of the principal axes in radians (default 0: axis-aligned). */
  angle?: number;
}

function quadratic(kappa: number, angle: number): TestFunction {
  if (!(kappa >= 1)) throw new Error(`quadratic: kappa must be >= 1, got ${kappa}`);
  const lmax = 1;
  const lmin = 1 / kappa;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // u = c x + s y, v = -s x + c y (coordinates along the eigenvectors).
  return {
    name: 'quadratic',
    label: `Quadratic (kappa = ${kappa})`,
    formula: 'f = ½(λmin·u² + λmax·v²)',
    f(x, y) {
      const u = c * x + s * y;
      const v = -s * x + c * y;
      return 0.5 * (lmin * u * u + lmax * v * v);
    },
    grad(x, y) {
      // df/du = lmin u, df/dv = lmax v; chain back through the rotation.
      const gu = lmin * (c * x + s * y);
      const gv = lmax * (-s * x + c * y);
      return [c * gu - s * gv, s * gu + c * gv];
    },
    bounds: { xMin: -10, xMax: 10, yMin: -10, yMax: 10 },
    starts: [
      [-8, 3],
      [8, -6],
      [-6, -8],
    ],
    minima: [{ x: 0, y: 0, f: 0 }],
    suggestedLr: 1,
    logContours: false,
    hessian: { lmin, lmax },
  };
}

const rosenbrock: TestFunction = {
  name: 'rosenbrock',
  label: 'Rosenbrock',
  formula: 'f = (1 − x)² + 100(y − x²)²',
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  // df/dx = -2(1-x) - 400 x (y - x^2); df/dy = 200 (y - x^2)
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  bounds: { xMin: -2, xMax: 2, yMin: -1, yMax: 3 },
  starts: [
    [-1.5, 2],
    [-1, -0.5],
    [1.5, 0],
  ],
  minima: [{ x: 1, y: 1, f: 0 }],
  suggestedLr: 1e-3,
  logContours: true,
};

const beale: TestFunction = {
  name: 'beale',
  label: 'Beale',
  formula: 'f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  f(x, y) {
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2;
  },
  grad(x, y) {
    // Each term r_k = c_k - x + x y^k has dr/dx = y^k - 1, dr/dy = k x y^(k-1); d(r^2) = 2 r dr.
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y ** 3;
    return [
      2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1),
      2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y,
    ];
  },
  bounds: { xMin: -4.5, xMax: 4.5, yMin: -4.5, yMax: 4.5 },
  starts: [
    [1, 1.5],
    [-2, -2],
    [2, -2],
  ],
  minima: [{ x: 3, y: 0.5, f: 0 }],
  suggestedLr: 1e-3,
  logContours: true,
};

const saddle: TestFunction = {
  name: 'saddle',
  label: 'Saddle',
  formula: 'f = x² − y²',
  f: (x, y) => x * x - y * y,
  grad: (x, y) => [2 * x, -2 * y],
  bounds: { xMin: -2, xMax: 2, yMin: -2, yMax: 2 },
  // Slightly off the x axis: exactly on it, gradient methods converge to the saddle point.
  starts: [
    [-1.8, 0.02],
    [1.5, -0.3],
  ],
  minima: [],
  suggestedLr: 0.05,
  logContours: false,
};

const himmelblau: TestFunction = {
  name: 'himmelblau',
  label: 'Himmelblau',
  formula: 'f = (x² + y − 11)² + (x + y² − 7)²',
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  // df/dx = 4x(x^2+y-11) + 2(x+y^2-7); df/dy = 2(x^2+y-11) + 4y(x+y^2-7)
  grad: (x, y) => {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
  },
  bounds: { xMin: -5, xMax: 5, yMin: -5, yMax: 5 },
  starts: [
    [0, 0],
    [-1, 0.5],
    [0.5, -4],
  ],
  minima: [
    { x: 3, y: 2, f: 0 },
    { x: -2.805118086952745, y: 3.131312518250573, f: 0 },
    { x: -3.779310253377747, y: -3.28318599128617, f: 0 },
    { x: 3.584428340330492, y: -1.848126526964404, f: 0 },
  ],
  suggestedLr: 0.01,
  logContours: true,
};

const rastrigin: TestFunction = {
  name: 'rastrigin',
  label: 'Rastrigin',
  formula: 'f = 20 + x² − 10cos(2πx) + y² − 10cos(2πy)',
  f: (x, y) => 20 + x * x - 10 * Math.cos(2 * Math.PI * x) + y * y - 10 * Math.cos(2 * Math.PI * y),
  // d/dx [x^2 - 10 cos(2 pi x)] = 2x + 20 pi sin(2 pi x)
  grad: (x, y) => [2 * x + 20 * Math.PI * Math.sin(2 * Math.PI * x), 2 * y + 20 * Math.PI * Math.sin(2 * Math.PI * y)],
  bounds: { xMin: -5.12, xMax: 5.12, yMin: -5.12, yMax: 5.12 },
  starts: [
    [-4.3, 3.6],
    [2.2, -2.7],
  ],
  minima: [{ x: 0, y: 0, f: 0 }],
  suggestedLr: 1e-3,
  logContours: false,
};

/** The named test function; `params` only affects the quadratic. */
export function makeTestFunction(name: TestFunctionName, params: TestFunctionParams = {}): TestFunction {
  switch (name) {
    case 'quadratic':
      return quadratic(params.kappa ?? 10, params.angle ?? 0);
    case 'rosenbrock':
      return rosenbrock;
    case 'beale':
      return beale;
    case 'saddle':
      return saddle;
    case 'himmelblau':
      return himmelblau;
    case 'rastrigin':
      return rastrigin;
    default:
      throw new Error(`test function: unknown '${name as string}' (${TEST_FUNCTION_NAMES.join(', ')})`);
  }
}
