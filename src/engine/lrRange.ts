// Learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
// sec. 3.3), exactly as torch-lr-finder runs it (davidtvs/pytorch-lr-finder, torch_lr_finder/
// lr_finder.py: LRFinder.range_test, ExponentialLR, LRFinder.plot):
//
//   lr_i = lr_start * (lr_end / lr_start)^(i / (N - 1)),   i = 0..N-1       (ExponentialLR.get_lr)
//   one training step at lr_i from the weights of step i-1; L_i its minibatch data loss
//   s_0 = L_0;  s_i = f L_i + (1 - f) s_{i-1},  f = smooth (0.05)         (exponential smoothing)
//   best_i = min(s_0..s_i); stop after recording s_i when s_i > k * best_i  (k = diverge, here 4:
//                                                                            fastai's factor; torch-lr-finder's default is 5)
//
// Suggested lr, two rules (the UI says which it marks):
//   'steepest' (torch-lr-finder's plot): over s[skipStart : n - skipEnd] (10 and 5), the index of
//     the most negative np.gradient(s) (central differences inside, one-sided at both ends); the
//     index is uniform in log lr, so this is the steepest descent of s against log10(lr).
//     One change: the search ends at the smallest smoothed loss. torch-lr-finder searches the whole
//     trimmed curve, and where the loss barely falls (circle from its initial plateau) its argmin
//     lands on a dip inside the blow-up, where the loss is large and every wiggle is steep.
//   'min/10' (fastai's lr_min): the lr of the smallest smoothed loss, divided by 10.
//
// The test runs on a COPY of the run's whole state (RunSnapshot: weights, optimizer memory, batch-
// norm statistics, the loop's position): a separate engine Run is built from it, so the run under
// test is never written to. On that copy the schedule is constant (the ramp is the schedule),
// early stopping and maxEpochs are off.
import type { Dataset } from './data/dataset';
import type { RunSnapshot } from './snapshot';
import { Run, type RunOptions } from './trainer';
import type { TrainConfig } from './types';

export interface RangeTestOptions {
  startLr: number;
  endLr: number;
  /** Steps of the ramp (torch-lr-finder num_iter), >= 2. */
  steps: number;
  /** Smoothing factor f in [0, 1). */
  smooth: number;
  /** Stop when the smoothed loss exceeds diverge x its best. */
  diverge: number;
}

export const RANGE_TEST_DEFAULTS: RangeTestOptions = { startLr: 1e-4, endLr: 10, steps: 300, smooth: 0.05, diverge: 4 };

export type SuggestionRule = 'steepest' | 'min/10';

export interface LrSuggestion {
  rule: SuggestionRule;
  lr: number;
  /** Index into lrs/smoothed of the point the rule picked. */
  index: number;
}

export interface RangeTestResult {
  lrs: number[];
  /** Raw minibatch data losses L_i. */
  losses: number[];
  /** Smoothed losses s_i (what the stop rule and the suggestion read). */
  smoothed: number[];
  /** 'diverged': s_i > diverge * best; 'nonfinite': the loss or weights blew up; 'done': all steps ran. */
  stop: 'done' | 'diverged' | 'nonfinite';
  steepest: LrSuggestion | null;
  minOver10: LrSuggestion | null;
}

/** lr of step i of an N-step exponential ramp (torch-lr-finder ExponentialLR, last_epoch = i). */
export function rampLr(startLr: number, endLr: number, steps: number, i: number): number {
  return startLr * (endLr / startLr) ** (i / (steps - 1));
}

/** numpy.gradient of y with unit spacing: central (y[i+1]-y[i-1])/2 inside, one-sided at the ends. */
export function npGradient(y: readonly number[]): number[] {
  const n = y.length;
  if (n < 2) return y.map(() => 0);
  return y.map((_, i) => (i === 0 ? y[1] - y[0] : i === n - 1 ? y[n - 1] - y[n - 2] : (y[i + 1] - y[i - 1]) / 2));
}

/**
 * The 'steepest' rule on a finished curve: argmin of npGradient(smoothed[skipStart : n - skipEnd]),
 * searched from skipStart up to the smallest smoothed loss.
 * When fewer than 3 points are left after skipping, the whole curve is used. Null for < 2 points.
 */
export function suggestSteepest(lrs: readonly number[], smoothed: readonly number[], skipStart = 10, skipEnd = 5) {
  let lo = skipStart;
  let hi = smoothed.length - skipEnd;
  if (hi - lo < 3) [lo, hi] = [0, smoothed.length];
  if (hi - lo < 2) return null;
  let iMin = lo;
  for (let i = lo; i < hi; i++) if (smoothed[i] < smoothed[iMin]) iMin = i;
  hi = Math.min(hi, Math.max(lo + 2, iMin + 2)); // through the minimum and its right neighbour (central difference there)
  const g = npGradient(smoothed.slice(lo, hi));
  let k = 0;
  for (let i = 1; i < g.length; i++) if (g[i] < g[k]) k = i;
  return { rule: 'steepest' as const, lr: lrs[lo + k], index: lo + k };
}

/** The 'min/10' rule: lr at the smallest smoothed loss, divided by 10. */
export function suggestMinOver10(lrs: readonly number[], smoothed: readonly number[]): LrSuggestion | null {
  if (smoothed.length === 0) return null;
  let k = 0;
  for (let i = 1; i < smoothed.length; i++) if (smoothed[i] < smoothed[k]) k = i;
  return { rule: 'min/10', lr: lrs[k] / 10, index: k };
}

/** Smoothing and the stop rule over a stream of raw losses (pure; the range test feeds it step by step). */
export class RangeCurve {
  readonly smoothed: number[] = [];
  private best = Number.POSITIVE_INFINITY;
  constructor(
    private readonly smooth: number,
    private readonly diverge: number,
  ) {}
  /** Records loss L_i; true when the test must stop after it. */
  push(loss: number): boolean {
    const prev = this.smoothed[this.smoothed.length - 1];
    const s = prev === undefined || this.smooth === 0 ? loss : this.smooth * loss + (1 - this.smooth) * prev;
    if (s < this.best) this.best = s;
    this.smoothed.push(s);
    return s > this.diverge * this.best;
  }
}

/** Names the field of a bad option, or null. */
export function rangeTestProblem(o: RangeTestOptions): string | null {
  if (!(o.startLr > 0 && Number.isFinite(o.startLr))) return `startLr: ${o.startLr} must be a positive number`;
  if (!(o.endLr > o.startLr && Number.isFinite(o.endLr))) return `endLr: ${o.endLr} must be above startLr ${o.startLr}`;
  if (!(Number.isInteger(o.steps) && o.steps >= 2 && o.steps <= 2000))
    return `steps: ${o.steps} must be an integer 2..2000`;
  if (!(o.smooth >= 0 && o.smooth < 1)) return `smooth: ${o.smooth} must be in [0, 1)`;
  if (!(o.diverge > 1)) return `diverge: ${o.diverge} must be above 1`;
  return null;
}

/** Runs the test on a copy of `state` (the run's whole state under config `cfg`); `state` is only read. */
export function lrRangeTest(
  cfg: TrainConfig,
  dataset: Dataset,
  state: RunSnapshot,
  options: Partial<RangeTestOptions> = {},
  runOpts: RunOptions = {},
): RangeTestResult {
  const o = { ...RANGE_TEST_DEFAULTS, ...options };
  const problem = rangeTestProblem(o);
  if (problem) throw new Error(`rangeTest.${problem}`);
  const base: TrainConfig = {
    ...structuredClone(cfg),
    schedule: { ...cfg.schedule, kind: 'constant' },
    earlyStop: { ...cfg.earlyStop, enabled: false },
    maxEpochs: 0,
  };
  const run = new Run(base, dataset, { ...runOpts, init: state.theta });
  const copy = structuredClone(state);
  copy.loop.status = 'ok';
  copy.loop.statusStep = -1;
  run.importState(copy);
  const curve = new RangeCurve(o.smooth, o.diverge);
  const lrs: number[] = [];
  const losses: number[] = [];
  let stop: RangeTestResult['stop'] = 'done';
  for (let i = 0; i < o.steps; i++) {
    const lr = rampLr(o.startLr, o.endLr, o.steps, i);
    run.setHyper({ ...base, optimizer: { ...base.optimizer, lr } });
    const rec = run.train(1).steps;
    const loss = rec.dataLoss[0];
    if (run.status === 'diverged' || !Number.isFinite(loss)) {
      stop = 'nonfinite';
      break;
    }
    lrs.push(lr);
    losses.push(loss);
    if (curve.push(loss)) {
      stop = 'diverged';
      break;
    }
  }
  const smoothed = curve.smoothed;
  return {
    lrs,
    losses,
    smoothed,
    stop,
    steepest: suggestSteepest(lrs, smoothed),
    minOver10: suggestMinOver10(lrs, smoothed),
  };
}
