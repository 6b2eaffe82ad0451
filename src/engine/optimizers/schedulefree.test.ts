// Schedule-Free AdamW against the float64 goldens of golden/schedulefree.py (a transcription of
// the reference AdamWScheduleFreeReference, which stores x, y and z): the engine stores y and z and
// recovers x, so agreement checks the algebra of the two-buffer form as well as the step.
import { describe, expect, it } from 'vitest';
import { arenaStep, createArenaState, runArena } from '../arena';
import { makeTestFunction, TEST_FUNCTION_NAMES } from '../data/testFunctions';
import { DEFAULT_CONFIG } from '../defaults';
import type { FloatArray } from '../floatArray';
import { initOptimizerState, optimizerStep } from '../optim';
import { adam } from './adam';
import golden from './golden/schedulefree.json';
import { type OptimizerConfig, optimizerDefaults } from './registry';
import { schedulefree, sfWeight } from './schedulefree';

interface Case {
  problem: 'quadratic' | 'mlp';
  theta0: number[];
  hypers: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; warmupSteps: number };
  mask: number[];
  lam?: number[];
  batches?: { x: number[]; t: number[] }[];
  y: number[][];
  x: number[][];
}
const CASES = golden.cases as Case[];

/** 0.5 mean((W2 tanh(W1 x + b1) + b2 - t)^2)'s gradient for the 2-4-1 network of the script (float64). */
function mlpGrad(w: ArrayLike<number>, X: number[], T: number[]): Float64Array {
  const B = T.length;
  const g = new Float64Array(17);
  for (let r = 0; r < B; r++) {
    const h = [0, 1, 2, 3].map((j) => Math.tanh(w[2 * j] * X[2 * r] + w[2 * j + 1] * X[2 * r + 1] + w[8 + j]));
    const d = (h.reduce((s, hj, j) => s + w[12 + j] * hj, w[16]) - T[r]) / B;
    for (let j = 0; j < 4; j++) {
      g[12 + j] += d * h[j];
      const dh = d * w[12 + j] * (1 - h[j] * h[j]);
      g[2 * j] += dh * X[2 * r];
      g[2 * j + 1] += dh * X[2 * r + 1];
      g[8 + j] += dh;
    }
    g[16] += d;
  }
  return g;
}

/** The golden case run through optimizerStep in the given precision: y and x after every step. */
function runCase(c: Case, make: (a: number[]) => FloatArray) {
  const cfg: OptimizerConfig = { ...DEFAULT_CONFIG.optimizer, name: 'schedulefree', ...c.hypers };
  const theta = make(c.theta0);
  const state = { t: 0, m: make(c.theta0.map(() => 0)), v: make(c.theta0.map(() => 0)) };
  initOptimizerState(state, cfg, theta);
  const xOut = make(c.theta0.map(() => 0));
  const ys: number[][] = [];
  const xs: number[][] = [];
  for (let k = 0; k < golden.steps; k++) {
    const w = Float64Array.from(theta);
    const b = c.batches?.[k % c.batches.length];
    const g = b ? mlpGrad(w, b.x, b.t) : w.map((wi, i) => c.lam![i] * wi);
    optimizerStep(cfg, theta, make(Array.from(g)), state, cfg.lr, c.mask);
    schedulefree.evalPoint!(state, theta, cfg, xOut);
    ys.push(Array.from(theta));
    xs.push(Array.from(xOut));
  }
  return { ys, xs };
}

/** max over steps and coordinates of |a - b| / tol(b). */
function worst(a: number[][], b: number[][], tol: (ref: number) => number): number {
  let m = 0;
  for (let k = 0; k < b.length; k++)
    for (let i = 0; i < b[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]) / tol(b[k][i]));
  return m;
}

describe('Schedule-Free AdamW against the reference transcription (100 steps, warm-up)', () => {
  for (const c of CASES) {
    it(`${c.problem}: the float64 step matches y and x within 1e-10 relative`, () => {
      const { ys, xs } = runCase(c, (a) => Float64Array.from(a));
      const rel = (ref: number) => 1e-10 * Math.abs(ref);
      expect(worst(ys, c.y, rel)).toBeLessThan(1);
      expect(worst(xs, c.x, rel)).toBeLessThan(1);
    });
    it(`${c.problem}: the float32 step matches within 5e-5 + 1e-4|w|`, () => {
      const { ys, xs } = runCase(c, (a) => Float32Array.from(a));
      const tol = (ref: number) => 5e-5 + 1e-4 * Math.abs(ref);
      expect(worst(ys, c.y, tol)).toBeLessThan(1);
      expect(worst(xs, c.x, tol)).toBeLessThan(1);
    });
  }
  it('the goldens move: x and y part, and the warm-up is in effect', () => {
    for (const c of CASES) {
      const last = c.y.length - 1;
      expect(c.y[last].some((yi, i) => Math.abs(yi - c.x[last][i]) > 1e-3)).toBe(true);
      expect(c.hypers.warmupSteps).toBeGreaterThan(0);
    }
  });
});

describe('sfWeight: c_t = warm_t^2 / sum_{i<=t} warm_i^2', () => {
  it('equals the reference’s running sum of lr_max^2 (any lr cancels)', () => {
    for (const W of [0, 1, 7, 20]) {
      let sum = 0;
      let lrMax = -1;
      for (let t = 1; t <= 60; t++) {
        const lr = 0.37 * (W > 0 && t - 1 < W ? t / W : 1);
        lrMax = Math.max(lr, lrMax);
        sum += lrMax ** 2;
        expect(Math.abs(sfWeight(t, W) - lrMax ** 2 / sum)).toBeLessThan(1e-14);
      }
    }
  });
});

describe('Schedule-Free arena terms', () => {
  it('add up to the move of y, with the pull toward z as the carried term', () => {
    const cfg: OptimizerConfig = {
      ...DEFAULT_CONFIG.optimizer,
      name: 'schedulefree',
      lr: 0.1,
      weightDecay: 0.05,
      warmupSteps: 3,
    };
    const s = createArenaState([1, -2], cfg);
    const grad = (w: Float64Array) => Float64Array.from([w[0] * 2 + 0.3, 4 * w[1]]);
    for (let t = 1; t <= 6; t++) {
      const w = s.w.slice();
      const g = grad(w);
      const terms = schedulefree.terms({ w, g, m: s.opt.m.slice(), v: s.opt.v.slice(), t, lr: cfg.lr, hp: cfg });
      optimizerStep(cfg, s.w, g, s.opt, cfg.lr);
      for (let i = 0; i < 2; i++) {
        const sum = terms.gradient[i] + terms.momentum[i] + terms.decay[i];
        expect(Math.abs(sum - (s.w[i] - w[i]))).toBeLessThan(1e-15);
      }
      // c_1 = 1 puts x = y = z after the first step; the average pulls from the third step on
      if (t > 2) expect(Math.abs(terms.momentum[0])).toBeGreaterThan(0);
    }
  });
});

describe('Schedule-Free in the arena', () => {
  it('reports the averaged point x beside w = y before each move; other rules report none', () => {
    const fn = makeTestFunction('rosenbrock');
    const cfg: OptimizerConfig = { ...DEFAULT_CONFIG.optimizer, name: 'schedulefree', lr: 0.05 };
    const s = createArenaState([-1, 1.5], cfg);
    for (let k = 0; k < 8; k++) {
      const y = Array.from(s.w);
      const z = Array.from(s.opt.m);
      const { evalOffset } = arenaStep(fn, cfg, s);
      // x = (y - (1-b1) z)/b1 from the state before the move (x = y before the first step)
      const x = k === 0 ? y : y.map((yi, i) => (yi - 0.1 * z[i]) / 0.9);
      for (let i = 0; i < 2; i++) expect(evalOffset![i]).toBeCloseTo(x[i] - y[i], 12);
    }
    expect(arenaStep(fn, { ...cfg, name: 'adam' }, createArenaState([-1, 1.5])).evalOffset).toBeNull();
  });
});

describe('Schedule-Free arena rates (measured by scripts/arenaRates.ts, not copied from Adam)', () => {
  for (const name of TEST_FUNCTION_NAMES) {
    it(`${name}: from every start point, 300 steps at its rate make progress without diverging or jumping`, () => {
      const fn = makeTestFunction(name, { kappa: 20 });
      const cfg: OptimizerConfig = {
        ...optimizerDefaults('schedulefree'),
        name: 'schedulefree',
        lr: schedulefree.arena.lr[name],
      };
      const b = fn.bounds;
      const diag = Math.hypot(b.xMax - b.xMin, b.yMax - b.yMin);
      for (const start of fn.starts) {
        const p = runArena(fn, cfg, start, 300);
        const f0 = p.f[0];
        const fEnd = p.f[p.f.length - 1];
        if (name === 'saddle') {
          expect(fEnd).toBeLessThan(f0 - 1); // escapes downhill
          continue;
        }
        expect(p.diverged).toBe(false);
        for (let k = 1; k < p.x.length; k++)
          expect(Math.hypot(p.x[k] - p.x[k - 1], p.y[k] - p.y[k - 1])).toBeLessThanOrEqual(0.1 * diag);
        expect(fEnd).toBeLessThan(f0);
      }
    });
  }
  it('differ from Adam’s where the measurement says so', () => {
    expect(schedulefree.arena.lr).not.toEqual(adam.arena.lr);
  });
});
