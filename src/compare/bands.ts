// Seed-band statistics (pure, tested without a worker): a racer run on N seeds gives N curves
// over the same x (the runs step in lockstep); the chart draws their mean with a min-max band,
// the race table the mean and spread of a per-run number (steps to the target loss, best
// validation accuracy).
//
// Conventions, said on screen too:
// - band at index i: mean, min and max over the runs that have a finite value there (a run that
//   diverged or stopped drops out; n[i] says how many remain). On a log axis (the update ratio)
//   the mean is geometric, exp(mean(log y)), over the positive values.
// - spread of a per-run number: mean and sample standard deviation sd = sqrt(sum (x-mean)^2 / (n-1))
//   (0 for one value) over the finite values, with min and max; `n` of `of` runs had one.
import { deviation, extent, mean } from 'd3';

export interface Band {
  mean: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** How many runs had a drawable value at each index. */
  n: Uint16Array;
}

/** Mean and min-max band, index by index, of curves of (possibly) different lengths. */
export function bandOf(curves: readonly ArrayLike<number>[], geometric = false): Band {
  const len = curves.reduce((m, c) => Math.max(m, c.length), 0);
  const band: Band = {
    mean: new Float64Array(len).fill(Number.NaN),
    lo: new Float64Array(len).fill(Number.NaN),
    hi: new Float64Array(len).fill(Number.NaN),
    n: new Uint16Array(len),
  };
  const vals: number[] = [];
  for (let i = 0; i < len; i++) {
    vals.length = 0;
    for (const c of curves) {
      if (i >= c.length) continue;
      const v = c[i];
      if (Number.isFinite(v) && (!geometric || v > 0)) vals.push(v);
    }
    if (vals.length === 0) continue;
    const [lo, hi] = extent(vals) as [number, number];
    band.lo[i] = lo;
    band.hi[i] = hi;
    band.mean[i] = geometric ? Math.exp(mean(vals, Math.log) as number) : (mean(vals) as number);
    band.n[i] = vals.length;
  }
  return band;
}

export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
  /** Values that were finite (e.g. runs that reached the target) … */
  n: number;
  /** … out of this many runs. */
  of: number;
}

/** Mean, sample standard deviation, min and max of the finite values (NaN when there are none). */
export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0)
    return { mean: Number.NaN, sd: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0, of: values.length };
  const [min, max] = extent(finite) as [number, number];
  return {
    mean: mean(finite) as number,
    sd: finite.length > 1 ? (deviation(finite) as number) : 0,
    min,
    max,
    n: finite.length,
    of: values.length,
  };
}

/**
 * Run index of seed k of racer i among S racers: seed-major, so runs 0..S-1 are every racer's
 * first seed (the views that show one run per racer read those) and the band adds S per seed.
 */
export const runOf = (slot: number, seed: number, slots: number): number => seed * slots + slot;
