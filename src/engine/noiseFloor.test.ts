// Noisy arenas: the seeded gradient noise is reproducible, and on the quadratic the measured mean
// loss of a long noisy run (second half of 200,000 steps) is within 10% of the closed-form
// stationary loss of SGD and of the heavy ball (sgd.ts / momentum.ts stationaryLoss), for several
// step sizes, momenta, condition numbers and a rotated quadratic (isotropic noise: rotation-free).
import { describe, expect, it } from 'vitest';
import { meanLoss, runArena } from './arena';
import { makeTestFunction } from './data/testFunctions';
import { defaultHypers } from './optimizers/hypers';
import { optimizerSpec } from './optimizers/registry';
import type { OptimizerConfig } from './types';

const cfg = (name: 'sgd' | 'momentum', lr: number, momentum = 0): OptimizerConfig =>
  ({ ...defaultHypers(), name, lr, momentum }) as OptimizerConfig;

describe('noise floor on the quadratic', () => {
  const cases = [
    { name: 'sgd', lr: 0.1, mu: 0, kappa: 10, angle: 0, sigma: 0.5 },
    { name: 'sgd', lr: 1.5, mu: 0, kappa: 4, angle: 0.6, sigma: 0.2 },
    { name: 'momentum', lr: 0.05, mu: 0.9, kappa: 10, angle: 0, sigma: 0.3 },
    { name: 'momentum', lr: 0.3, mu: 0.5, kappa: 20, angle: 1.1, sigma: 1 },
  ] as const;
  for (const c of cases)
    it(`${c.name} lr ${c.lr} mu ${c.mu} kappa ${c.kappa}: measured within 10% of the formula`, () => {
      const fn = makeTestFunction('quadratic', { kappa: c.kappa, angle: c.angle });
      const o = cfg(c.name, c.lr, c.mu);
      const theory = optimizerSpec(c.name).closedForm!.stationaryLoss!(o, [1 / c.kappa, 1], c.sigma);
      const path = runArena(fn, o, [1, 1], 200_000, { sigma: c.sigma, seed: 7 });
      const measured = meanLoss(path);
      expect(Number.isFinite(theory)).toBe(true);
      expect(Math.abs(measured / theory - 1)).toBeLessThan(0.1);
    });

  it('the formula is NaN where the rule is unstable, and grows with lr and momentum', () => {
    const sgdFloor = optimizerSpec('sgd').closedForm!.stationaryLoss!;
    const hbFloor = optimizerSpec('momentum').closedForm!.stationaryLoss!;
    expect(sgdFloor(cfg('sgd', 2.5), [0.1, 1], 1)).toBeNaN();
    expect(sgdFloor(cfg('sgd', 0.2), [0.1, 1], 1)).toBeGreaterThan(sgdFloor(cfg('sgd', 0.1), [0.1, 1], 1));
    expect(hbFloor(cfg('momentum', 0.1, 0), [0.1, 1], 1)).toBeCloseTo(sgdFloor(cfg('sgd', 0.1), [0.1, 1], 1), 12);
    expect(hbFloor(cfg('momentum', 0.1, 0.9), [0.1, 1], 1)).toBeGreaterThan(
      hbFloor(cfg('momentum', 0.1, 0), [0.1, 1], 1),
    );
  });

  it('the noise is seeded: same seed same path, another seed another path, sigma 0 the noiseless path', () => {
    const fn = makeTestFunction('quadratic', { kappa: 10 });
    const o = cfg('sgd', 0.1);
    const a = runArena(fn, o, [1, 1], 50, { sigma: 0.3, seed: 1 });
    expect(runArena(fn, o, [1, 1], 50, { sigma: 0.3, seed: 1 }).x).toEqual(a.x);
    expect(runArena(fn, o, [1, 1], 50, { sigma: 0.3, seed: 2 }).x).not.toEqual(a.x);
    expect(runArena(fn, o, [1, 1], 50, { sigma: 0, seed: 1 }).x).toEqual(runArena(fn, o, [1, 1], 50).x);
    expect(() => runArena(fn, o, [1, 1], 5, { sigma: -1, seed: 1 })).toThrow(/noise.sigma/);
  });
});
