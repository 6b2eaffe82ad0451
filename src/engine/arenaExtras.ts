// Theoretical convergence rates on the arena's quadratic f = 0.5 (lmin u^2 + lmax v^2) at ANY
// step size and momentum (arena.ts gives the rates at the optimal settings only), so the arena
// can print "theory" beside "measured" for whatever the sliders say.
//
// Along an eigen-direction with eigenvalue lam the error e_k of each method obeys a linear
// recurrence; its rate is the spectral radius (largest |root|) of the characteristic polynomial,
// with a = lr*lam:
//   GD          e_{k+1} = (1 - a) e_k                                      root 1 - a
//   heavy ball  e_{k+1} = (1 + mu - a) e_k - mu e_{k-1}                    z^2 - (1 + mu - a) z + mu
//   Nesterov    e_{k+1} = (1 + mu)(1 - a) e_k - mu (1 - a) e_{k-1}          z^2 - (1 + mu)(1 - a) z + mu (1 - a)
// (Nesterov in optim.ts stores the look-ahead point; that sequence obeys the same recurrence.)
// The 2D quadratic has exactly two eigenvalues, so its rate is the larger of the two radii.
// Adaptive methods (Adagrad, RMSprop, Adam) are not linear iterations: no closed form, null.
import type { OptimizerConfig } from './types';

/** Largest |root| of z^2 - b z + c (real coefficients). */
export function quadraticRootRadius(b: number, c: number): number {
  const disc = b * b - 4 * c;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return Math.max(Math.abs(b + s), Math.abs(b - s)) / 2;
  }
  return Math.sqrt(c); // complex pair: |z|^2 = product of the roots = c
}

/** Rate along one eigen-direction with eigenvalue lam, or null for the adaptive methods. */
export function directionRate(cfg: OptimizerConfig, lam: number, lr = cfg.lr): number | null {
  const a = lr * lam;
  const mu = cfg.momentum;
  switch (cfg.name) {
    case 'sgd':
      return Math.abs(1 - a);
    case 'momentum':
      return quadraticRootRadius(1 + mu - a, mu);
    case 'nesterov':
      return quadraticRootRadius((1 + mu) * (1 - a), mu * (1 - a));
    default:
      return null;
  }
}

/**
 * Asymptotic rate r (distance to the minimum ~ C r^k) of the optimizer on the quadratic with
 * Hessian eigenvalues lmin, lmax; r >= 1 means it does not converge. Null for adaptive methods.
 */
export function quadraticRate(cfg: OptimizerConfig, lmin: number, lmax: number, lr = cfg.lr): number | null {
  const r1 = directionRate(cfg, lmin, lr);
  const r2 = directionRate(cfg, lmax, lr);
  return r1 === null || r2 === null ? null : Math.max(r1, r2);
}

/** Steps to shrink the distance to the minimum by `factor` (e.g. 1e-3) at rate r; Infinity when r >= 1. */
export function stepsToShrink(rate: number, factor: number): number {
  if (!(rate < 1)) return Number.POSITIVE_INFINITY;
  if (rate <= 0) return 1;
  return Math.ceil(Math.log(factor) / Math.log(rate));
}
