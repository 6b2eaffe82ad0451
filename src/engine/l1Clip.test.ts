// Truncated-gradient L1 (regularizers.ts l1ClipCrossings, applied by Run after each optimizer step):
// the hand-computed clipped step, the rules at the edges (w = 0, mask, non-finite, zeta1 = 0), and
// that training with L1 gives many weights that are exactly 0 while the penalty still lowers the loss.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { createOptimizerState, optimizerStep } from './optim';
import { l1ClipCrossings, l1PenaltyGrad } from './regularizers';
import { Run } from './trainer';
import type { TrainConfig } from './types';

describe('l1ClipCrossings', () => {
  it('equals the hand-computed clipped SGD step on three weights', () => {
    // zeta1 = 0.5, lr = 0.1, data gradient g = [0.1, 0.2, 0.3]
    //   w = 0.02:  g + zeta1 sign(w) = 0.6   -> 0.02 - 0.06 = -0.04, crossed 0 -> exactly 0
    //   w = -0.5:  0.2 - 0.5 = -0.3          -> -0.5 + 0.03 = -0.47, same sign -> kept
    //   w = 0:     0.3 + 0 (sign(0) = 0)     -> 0 - 0.03 = -0.03, was 0 (no crossing) -> kept
    const theta = Float32Array.from([0.02, -0.5, 0]);
    const before = theta.slice();
    const grad = Float32Array.from([0.1, 0.2, 0.3]);
    const mask = new Uint8Array([1, 1, 1]);
    l1PenaltyGrad(theta, mask, 0.5, grad);
    optimizerStep({ ...defaultConfig().optimizer, name: 'sgd' }, theta, grad, createOptimizerState(3), 0.1, mask);
    expect(l1ClipCrossings(before, theta, mask, 0.5)).toBe(1);
    expect(theta[0]).toBe(0);
    expect(theta[1]).toBeCloseTo(-0.47, 6);
    expect(theta[2]).toBeCloseTo(-0.03, 6);
  });

  it('leaves exempt entries, non-finite weights and zeta1 = 0 alone', () => {
    const before = Float32Array.from([0.1, 0.1, -0.2]);
    const after = Float32Array.from([-0.1, Number.NEGATIVE_INFINITY, 0.3]);
    const a = after.slice();
    expect(l1ClipCrossings(before, a, new Uint8Array([0, 1, 1]), 0.01)).toBe(1);
    expect(Array.from(a)).toEqual([after[0], Number.NEGATIVE_INFINITY, 0]);
    const b = after.slice();
    expect(l1ClipCrossings(before, b, new Uint8Array([1, 1, 1]), 0)).toBe(0);
    expect(Array.from(b)).toEqual(Array.from(after));
  });
});

/** A small over-parameterised net on the 2D default data set, plain SGD. */
function smallNet(l1: number): TrainConfig {
  const cfg = defaultConfig();
  cfg.model.hidden = [
    { units: 16, activation: 'tanh', dropout: 0, batchNorm: false },
    { units: 16, activation: 'tanh', dropout: 0, batchNorm: false },
  ];
  cfg.optimizer = { ...cfg.optimizer, name: 'sgd', lr: 0.2 };
  cfg.reg.l1 = l1;
  return cfg;
}

/** Exact zeros among the weight-matrix entries, and the number of such entries. */
function zeros(run: Run): { exact: number; count: number } {
  const theta = run.getParams();
  let exact = 0;
  let count = 0;
  for (const L of run.layout.layers)
    for (let k = L.w; k < L.w + L.outDim * L.inDim; k++) {
      count++;
      if (theta[k] === 0) exact++;
    }
  return { exact, count };
}

describe('training with L1', () => {
  it('drives a substantial share of the weights to exactly 0; without L1 none are', () => {
    const withL1 = new Run(smallNet(0.005));
    const without = new Run(smallNet(0), withL1.dataset);
    const a = withL1.step(1200).steps;
    without.step(1200);
    const z1 = zeros(withL1);
    const z0 = zeros(without);
    expect(z1.exact).toBeGreaterThan(0.3 * z1.count);
    expect(z0.exact).toBe(0);
    // the penalised loss (data + zeta1 ||w||_1) still goes down as before
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const first = mean(a.slice(0, 20).map((s) => s.loss));
    const lastLoss = mean(a.slice(-20).map((s) => s.loss));
    expect(lastLoss).toBeLessThan(0.5 * first);
  });
});
