// A hyperparameter sweep: optimizer x learning rate (log-spaced), optionally x one more
// hyperparameter, every cell one run of the playground's network, data, initial weights and
// minibatch order (pure: the grid, the configs, the aggregation the heatmap and line view draw,
// the CSV; tested without a worker).
//
// Conventions (said on screen too):
// - lr grid: n values lr_i = lrMin * (lrMax/lrMin)^(i/(n-1)), i = 0..n-1, each rounded to 3
//   significant digits (so a cell's lr, its link and its run alone are the same number).
// - a cell's value: the validation loss after the last epoch ('final') or its minimum over the
//   epochs ('best'); a run that diverged has no value and is marked, whatever it reached before.
// - best cell per optimizer: the lowest value over its lr (and extra) cells; ties: the smaller lr.
// - the extra axis applies only to optimizers whose rule uses it (momentum: not for Adam);
//   the others get one row (extra = null). Batch size is not a sweep axis here: the runs of one
//   backend share one batch size (workers/validate.ts).
// - every cell trains `epochs` epochs (its maxEpochs); everything else is the playground's config.
// This file is what the first screen needs (the grid, the cells' configs, the link's text); the
// aggregation the view draws is in sweepResults.ts, the parsing of links and edits (never throws,
// names each bad field) in sweepHash.ts: both load with the view or a sweep link, on demand.
import { hyperDef } from '../engine/optimizers/hypers';
import { optimizerSpec } from '../engine/optimizers/registry';
import type { OptimizerName, TrainConfig } from '../engine/types';

export const MIN_LRS = 6;
export const MAX_LRS = 16;
export const SWEEP_AXES = ['momentum', 'beta2', 'weightDecay'] as const;
export type SweepAxis = (typeof SWEEP_AXES)[number];
/** Values of the extra axis: 2 to 6. */
export const MIN_EXTRA = 2;
export const MAX_EXTRA = 6;
export const MAX_SWEEP_EPOCHS = 1000;
/** Most runs one backend trains together (workers/validate.ts MAX_RUNS; the page may not import it). */
export const MAX_SWEEP_RUNS = 256;

export interface SweepConfig {
  optimizers: OptimizerName[];
  lrMin: number;
  lrMax: number;
  lrCount: number;
  extra: { key: SweepAxis; values: number[] } | null;
  metric: 'final' | 'best';
  /** Epochs every cell trains (its maxEpochs). */
  epochs: number;
}

/** Three classics over three decades: SGD, heavy ball, Adam at 8 lrs from 0.001 to 1, 20 epochs. */
export function defaultSweepConfig(): SweepConfig {
  return {
    optimizers: ['sgd', 'momentum', 'adam'],
    lrMin: 1e-3,
    lrMax: 1,
    lrCount: 8,
    extra: null,
    metric: 'final',
    epochs: 20,
  };
}

export interface SweepCell {
  optimizer: OptimizerName;
  lr: number;
  /** The extra axis's value, or null (no extra axis, or the optimizer does not use it). */
  extra: number | null;
}

export interface CellResult {
  /** Final or best validation loss; NaN when the run diverged or has no epoch yet. */
  value: number;
  diverged: boolean;
}

const sig3 = (x: number) => Number(x.toPrecision(3));

/** n learning rates, log-spaced from min to max (3 significant digits). */
export function lrGrid(min: number, max: number, n: number): number[] {
  if (!(min > 0 && max > min && Number.isInteger(n) && n >= 2))
    throw new Error(`sweep.lr: need 0 < min < max and at least 2 values (got ${min}, ${max}, ${n})`);
  return Array.from({ length: n }, (_, i) => sig3(min * (max / min) ** (i / (n - 1))));
}

/** Every cell, optimizer-major, then extra value, then lr ascending: cell i is run i. */
export function sweepCells(s: SweepConfig): SweepCell[] {
  const lrs = lrGrid(s.lrMin, s.lrMax, s.lrCount);
  return s.optimizers.flatMap((optimizer) => {
    const uses = s.extra !== null && optimizerSpec(optimizer).hypers.includes(s.extra.key);
    const extras: (number | null)[] = uses && s.extra ? s.extra.values : [null];
    return extras.flatMap((extra) => lrs.map((lr) => ({ optimizer, lr, extra })));
  });
}

/** The TrainConfig of one cell: the base config with the cell's optimizer, lr and extra value. */
export function cellConfig(base: TrainConfig, cell: SweepCell, s: SweepConfig): TrainConfig {
  const c = structuredClone(base);
  c.optimizer = { ...c.optimizer, name: cell.optimizer, lr: cell.lr };
  if (cell.extra !== null && s.extra) c.optimizer[s.extra.key] = cell.extra;
  c.maxEpochs = s.epochs;
  return c;
}

/** Every run of a sweep, in cell order (run i = cell i). */
export function sweepConfigs(base: TrainConfig, s: SweepConfig): TrainConfig[] {
  return sweepCells(s).map((c) => cellConfig(base, c, s));
}

export type SweepDisplay = 'heatmap' | 'lines';

/**
 * The sweep as the value of the link's `sweep` key, e.g.
 *   sweep=sgd,momentum,adam:lr_0.001_1_8:mom_0.5_0.9:ep_20:best:lines
 * Parts, ':'-separated: the optimizers (','-separated), `lr_<min>_<max>_<count>`, the extra axis
 * as `<its URL key>_<v1>_<v2>…` (mom, b2, wd: the optimizer field table's keys), `ep_<epochs>`,
 * the metric (`final` or `best`) and, for the line view, `lines`. Read by sweepHash.ts decodeSweep.
 */
export function encodeSweep(s: SweepConfig, display: SweepDisplay = 'heatmap'): string {
  const parts = [s.optimizers.join(','), `lr_${s.lrMin}_${s.lrMax}_${s.lrCount}`];
  if (s.extra) parts.push([hyperDef(s.extra.key).urlKey, ...s.extra.values].join('_'));
  parts.push(`ep_${s.epochs}`, s.metric);
  if (display === 'lines') parts.push('lines');
  return parts.join(':');
}
