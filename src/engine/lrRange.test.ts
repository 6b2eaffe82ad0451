// The learning-rate range test (lrRange.ts): torch-lr-finder's ramp, smoothing, stop rule and
// 'steepest' suggestion on hand-checkable inputs; on a real run the test leaves the run's whole
// state (weights, optimizer memory, schedule position, batch-norm statistics) untouched, so the
// run continues bit for bit as a twin that never ran it.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import {
  lrRangeTest,
  npGradient,
  RangeCurve,
  rampLr,
  rangeTestProblem,
  suggestMinOver10,
  suggestSteepest,
} from './lrRange';
import { Run } from './trainer';
import type { TrainConfig } from './types';

describe('range-test rule', () => {
  it('ramps exponentially from start to end over N steps (ExponentialLR)', () => {
    expect(rampLr(1e-4, 1, 5, 0)).toBeCloseTo(1e-4, 12);
    expect(rampLr(1e-4, 1, 5, 4)).toBeCloseTo(1, 12);
    expect(rampLr(1e-4, 1, 5, 2)).toBeCloseTo(1e-2, 12); // middle of the ramp = geometric mean
  });

  it('smooths as torch-lr-finder (s_i = f L_i + (1-f) s_{i-1}) and stops above 4x the best smoothed loss', () => {
    const c = new RangeCurve(0.5, 4);
    expect(c.push(2)).toBe(false); // s0 = 2
    expect(c.push(0)).toBe(false); // s1 = 1 (best)
    expect(c.push(5)).toBe(false); // s2 = 3 <= 4
    expect(c.push(11)).toBe(true); // s3 = 7 > 4 * 1
    expect(c.smoothed).toEqual([2, 1, 3, 7]);
    const raw = new RangeCurve(0, 4);
    raw.push(1);
    expect(raw.push(4)).toBe(false); // exactly 4x does not stop ("surpasses")
    expect(raw.push(4.01)).toBe(true);
  });

  it('npGradient equals numpy.gradient (central inside, one-sided ends)', () => {
    expect(npGradient([1, 2, 4, 7, 11])).toEqual([1, 1.5, 2.5, 3.5, 4]);
  });

  it('steepest marks the steepest descent against log lr, after skipping 10 and 5 points', () => {
    const lrs = Array.from({ length: 100 }, (_, i) => rampLr(1e-5, 10, 100, i));
    // loss falls fastest (as a function of log10 lr) at lr = 1e-2, then blows up after 1
    const loss = lrs.map((lr) => 1 - Math.tanh(2 * (Math.log10(lr) + 2)) + (lr > 1 ? 10 * (lr - 1) : 0));
    const s = suggestSteepest(lrs, loss);
    expect(s?.rule).toBe('steepest');
    expect(Math.abs(Math.log10(s!.lr) - -2)).toBeLessThan(0.07); // within one ramp step (6/99 decades)
    // a first point that falls steeply is skipped (the first skipStart points are trimmed)
    const early = loss.slice();
    early[0] = 50;
    expect(suggestSteepest(lrs, early)?.index).toBe(s?.index);
    // min/10: the minimum is at the last lr before the blow-up (lr <= 1)
    const m = suggestMinOver10(lrs, loss);
    expect(m?.rule).toBe('min/10');
    expect(m!.lr).toBeCloseTo(lrs[m!.index] / 10, 12);
    expect(lrs[m!.index]).toBeLessThanOrEqual(1);
  });

  it('steepest searches only up to the smallest smoothed loss (a dip inside the blow-up is not picked)', () => {
    const lrs = Array.from({ length: 60 }, (_, i) => rampLr(1e-4, 10, 60, i));
    const s = lrs.map((_, i) => (i < 30 ? 1 - 0.01 * i : i < 50 ? 0.7 + 0.2 * (i - 30) : 4.7 - 0.5 * (i - 50)));
    // up to i = 29 the curve falls by 0.01 per step; after its minimum it rises, then falls by 0.5 per step
    const got = suggestSteepest(lrs, s)!;
    expect(got.index).toBeGreaterThanOrEqual(10);
    expect(got.index).toBeLessThanOrEqual(29);
  });

  it('short curves fall back to all points; fewer than 2 give no suggestion', () => {
    expect(suggestSteepest([1, 2, 3], [3, 1, 0.5])?.index).toBe(0);
    expect(suggestSteepest([1], [3])).toBeNull();
  });

  it('names the field of a bad option', () => {
    const ok = { startLr: 1e-5, endLr: 1, steps: 100, smooth: 0.05, diverge: 4 };
    expect(rangeTestProblem(ok)).toBeNull();
    expect(rangeTestProblem({ ...ok, endLr: 1e-6 })).toMatch(/^endLr/);
    expect(rangeTestProblem({ ...ok, steps: 1 })).toMatch(/^steps/);
    expect(rangeTestProblem({ ...ok, smooth: 1 })).toMatch(/^smooth/);
    expect(rangeTestProblem({ ...ok, startLr: 0 })).toMatch(/^startLr/);
  });
});

function bnMomentumConfig(): TrainConfig {
  const cfg = defaultConfig();
  cfg.model.hidden = [
    { units: 8, activation: 'relu', dropout: 0, batchNorm: true },
    { units: 8, activation: 'tanh', dropout: 0, batchNorm: false },
  ];
  cfg.optimizer = { ...cfg.optimizer, name: 'momentum', lr: 0.05 };
  cfg.schedule = { ...cfg.schedule, kind: 'cosine', totalSteps: 400, minLr: 0.001 };
  return cfg;
}

describe('lrRangeTest on a run', () => {
  it('leaves the whole state untouched: the run continues bit for bit as its twin', () => {
    const cfg = bnMomentumConfig();
    const a = new Run(cfg);
    const b = new Run(cfg, a.dataset);
    a.step(60);
    b.step(60);
    const before = a.exportState();
    const r = lrRangeTest(a.cfg, a.dataset, a.exportState(), { startLr: 1e-4, endLr: 10, steps: 80 });
    expect(r.lrs.length).toBeGreaterThan(10);
    expect(a.exportState()).toEqual(before); // weights, BN statistics, optimizer m/v/t, loop (schedule clock)
    const ta = a.step(40).steps.map((s) => [s.loss, s.lr]);
    const tb = b.step(40).steps.map((s) => [s.loss, s.lr]);
    expect(ta).toEqual(tb);
    expect(a.getParams()).toEqual(b.getParams());
    expect(a.getBnStats()).toEqual(b.getBnStats());
  });

  it('on circle the loss falls then blows up: it stops before the end, the suggestion lies before the minimum', () => {
    const cfg = defaultConfig();
    const run = new Run(cfg);
    const r = lrRangeTest(cfg, run.dataset, run.exportState(), { startLr: 1e-4, endLr: 100, steps: 300 });
    expect(r.stop).not.toBe('done');
    expect(r.lrs.length).toBeLessThan(300);
    const iMin = r.smoothed.indexOf(Math.min(...r.smoothed));
    expect(r.steepest!.index).toBeLessThanOrEqual(iMin);
    expect(r.steepest!.index).toBeGreaterThanOrEqual(10);
    expect(r.smoothed[iMin]).toBeLessThan(r.smoothed[r.steepest!.index]);
    expect(r.minOver10!.lr).toBeCloseTo(r.lrs[iMin] / 10, 12);
  });
});
