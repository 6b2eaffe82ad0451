// Soak on the CPU backend in Node: a small net for 10,000 steps and a six-way compare for 4,000
// (`npm run test:robust`: 50,000 and 12,000), trained by the worker's paced loop
// with every visual stream on, updates fed into the page's ring buffers. After warm-up the heap
// (measured after a full GC) stays flat, and the chart history stays within its capacity.
import { describe, expect, it } from 'vitest';
import { recordFigures, scaled } from '../../test-support/figures';
import { cpuSoak, mib, type SoakResult, warmGrowth } from '../../test-support/soak';
import { defaultCompareConfig, slotConfig } from '../compare/compareSet';
import { defaultConfig } from '../engine';

/**
 * Warm-up: the trajectory snapshots (theta every 10 steps, at most 200 per run, then thinned)
 * fill during the first 2,000 steps by design; the heap is judged after that.
 */
const WARMUP = 2_500;

/** Least-squares slope of heap against step over the warm samples, bytes per step. */
function slope(r: SoakResult): number {
  const xs = r.warm.map((s) => s.step);
  const ys = r.warm.map((s) => s.heapUsed);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return den > 0 ? num / den : 0;
}

function figures(r: SoakResult) {
  return {
    steps: r.steps,
    runs: r.runs,
    seconds: Math.round(r.ms / 100) / 10,
    heapStartMiB: mib(r.samples[0].heapUsed),
    heapAfterWarmupMiB: mib(r.warm[0].heapUsed),
    heapEndMiB: mib(r.samples[r.samples.length - 1].heapUsed),
    warmGrowthKiB: Math.round(warmGrowth(r) / 1024),
    slopeBytesPerStep: Math.round(slope(r) * 10) / 10,
    samples: r.samples.length,
    chartPoints: r.samples[r.samples.length - 1].chartPoints,
    chartCapacity: r.chartCapacity,
    chartStepsSeen: r.chartTotal,
    updates: r.updates,
  };
}

/**
 * Flat: over the warm samples, the heap grows by less than 1.5 MiB, and the fitted growth
 * extrapolated to 100,000 steps (hours of training) stays under 8 MiB. A per-step leak of 100
 * bytes (one small object kept per step) fails the second bound.
 */
function expectFlat(r: SoakResult): void {
  expect(r.warm.length).toBeGreaterThanOrEqual(4);
  expect(warmGrowth(r)).toBeLessThan(1.5 * 2 ** 20);
  expect(slope(r) * 100_000).toBeLessThan(8 * 2 ** 20);
  // The page's chart history: every step seen, at most `capacity` points held.
  expect(r.chartTotal).toBe(r.steps);
  expect(r.samples[r.samples.length - 1].chartPoints).toBeLessThanOrEqual(r.chartCapacity);
}

describe('soak: long runs on the CPU backend', () => {
  it('a small net trains 10,000 steps (50,000 in the full run) with a flat heap and bounded chart history', async () => {
    const steps = scaled(10_000, 50_000);
    const cfg = defaultConfig();
    cfg.data.name = 'spiral';
    cfg.optimizer.name = 'adam';
    cfg.optimizer.lr = 0.01;
    const r = await cpuSoak([cfg], steps, steps / 25, WARMUP);
    recordFigures('soak-cpu-single', figures(r));
    expect(r.steps).toBeGreaterThanOrEqual(steps);
    expectFlat(r);
  }, 600_000);

  it('a six-way compare trains 4,000 steps (12,000 in the full run) with a flat heap', async () => {
    const steps = scaled(4_000, 12_000);
    const base = defaultConfig();
    const cfgs = defaultCompareConfig().slots.map((s) => slotConfig(base, s));
    expect(cfgs).toHaveLength(6);
    const r = await cpuSoak(cfgs, steps, steps / 25, WARMUP);
    recordFigures('soak-cpu-compare6', figures(r));
    expect(r.steps).toBeGreaterThanOrEqual(steps);
    expectFlat(r);
  }, 600_000);
});
