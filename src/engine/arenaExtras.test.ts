import { describe, expect, it } from 'vitest';
import { convergenceRate, quadraticCompanions, runArena } from './arena';
import { quadraticRate, quadraticRootRadius, stepsToShrink } from './arenaExtras';
import { makeTestFunction } from './data/testFunctions';
import { DEFAULT_CONFIG } from './defaults';
import type { OptimizerConfig, OptimizerName } from './types';

const opt = (name: OptimizerName, lr: number, momentum = 0.9): OptimizerConfig => ({
  ...DEFAULT_CONFIG.optimizer,
  name,
  lr,
  momentum,
});

describe('theoretical rates on the quadratic', () => {
  it('agrees with the closed-form optimal settings of arena.ts', () => {
    const c = quadraticCompanions(0.01, 1);
    expect(quadraticRate(opt('sgd', c.optimalLr), c.lmin, c.lmax)).toBeCloseTo(c.optimalRate, 12);
    expect(quadraticRate(opt('momentum', c.heavyBallLr, c.heavyBallMomentum), c.lmin, c.lmax)).toBeCloseTo(
      c.heavyBallRate,
      6,
    );
    // Just past the largest stable step GD no longer converges.
    expect(quadraticRate(opt('sgd', c.maxStableLr * 1.01), c.lmin, c.lmax)!).toBeGreaterThan(1);
    expect(quadraticRate(opt('sgd', c.maxStableLr * 0.99), c.lmin, c.lmax)!).toBeLessThan(1);
  });

  // Settings away from a double root (where a k*r^k factor biases any finite-window fit).
  const cases: [OptimizerName, number, number][] = [
    ['sgd', 0.5, 0],
    ['sgd', 1.8, 0],
    ['momentum', 0.3, 0.5],
    ['momentum', 1, 0.8],
    ['nesterov', 0.5, 0.6],
    ['nesterov', 1.2, 0.3],
  ];
  for (const [name, lr, mu] of cases) {
    it(`predicts the measured rate of ${name} lr=${lr} mu=${mu} within 2% (kappa = 20)`, () => {
      const fn = makeTestFunction('quadratic', { kappa: 20, angle: 0.4 });
      const { lmin, lmax } = fn.hessian!;
      const cfg = opt(name, lr, mu);
      const path = runArena(fn, cfg, fn.starts[0], 300);
      const measured = convergenceRate(path, [0, 0], 100, 300);
      const theory = quadraticRate(cfg, lmin, lmax)!;
      expect(Math.abs(measured - theory) / theory).toBeLessThan(0.02);
    });
  }

  it('has no closed form for the adaptive methods', () => {
    for (const n of ['adagrad', 'rmsprop', 'adam', 'adamw'] as const)
      expect(quadraticRate(opt(n, 0.1), 0.1, 1)).toBeNull();
  });

  it('root radius handles real and complex roots; steps to shrink follow from the rate', () => {
    expect(quadraticRootRadius(3, 2)).toBeCloseTo(2, 12); // roots 1 and 2
    expect(quadraticRootRadius(0, 0.25)).toBeCloseTo(0.5, 12); // roots +-0.5i
    expect(stepsToShrink(0.5, 1e-3)).toBe(10); // 0.5^10 < 1e-3 < 0.5^9
    expect(stepsToShrink(1, 1e-3)).toBe(Number.POSITIVE_INFINITY);
  });
});
