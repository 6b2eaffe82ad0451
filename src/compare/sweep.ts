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
import { optimizerSpec } from '../engine/optimizers/registry';
import type { OptimizerName, TrainConfig } from '../engine/types';

export const MIN_LRS = 6;
export const MAX_LRS = 16;
export const SWEEP_AXES = ['momentum', 'beta2', 'weightDecay'] as const;
export type SweepAxis = (typeof SWEEP_AXES)[number];

export interface SweepConfig {
  optimizers: OptimizerName[];
  lrMin: number;
  lrMax: number;
  lrCount: number;
  extra: { key: SweepAxis; values: number[] } | null;
  metric: 'final' | 'best';
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
  return c;
}

/** A cell's value from its run's per-epoch validation losses and whether it diverged. */
export function cellResult(valLoss: ArrayLike<number>, diverged: boolean, metric: SweepConfig['metric']): CellResult {
  if (diverged) return { value: Number.NaN, diverged: true };
  let value = Number.NaN;
  for (let i = 0; i < valLoss.length; i++) {
    const v = valLoss[i];
    if (!Number.isFinite(v)) continue;
    if (metric === 'final' || !(v >= value)) value = v;
  }
  return { value, diverged: false };
}

/** Index of the best cell of each optimizer (lowest value; ties: smaller lr); absent when none has a value. */
export function bestCells(cells: readonly SweepCell[], results: readonly CellResult[]): Map<OptimizerName, number> {
  const best = new Map<OptimizerName, number>();
  cells.forEach((c, i) => {
    const v = results[i]?.value;
    if (!Number.isFinite(v)) return;
    const b = best.get(c.optimizer);
    const bv = b === undefined ? Number.POSITIVE_INFINITY : results[b].value;
    if (v < bv || (v === bv && c.lr < cells[b!].lr)) best.set(c.optimizer, i);
  });
  return best;
}

export interface SweepLine {
  optimizer: OptimizerName;
  extra: number | null;
  lrs: number[];
  /** NaN where the run diverged (the line breaks there). */
  values: number[];
}

/** The line view: value against lr, one line per optimizer (and extra value). */
export function sweepLines(cells: readonly SweepCell[], results: readonly CellResult[]): SweepLine[] {
  const lines = new Map<string, SweepLine>();
  cells.forEach((c, i) => {
    const key = `${c.optimizer}|${c.extra}`;
    if (!lines.has(key)) lines.set(key, { optimizer: c.optimizer, extra: c.extra, lrs: [], values: [] });
    const l = lines.get(key)!;
    l.lrs.push(c.lr);
    l.values.push(results[i]?.value ?? Number.NaN);
  });
  return [...lines.values()];
}

/** CSV of the grid: one row per cell (value empty when there is none). */
export function sweepCsv(s: SweepConfig, cells: readonly SweepCell[], results: readonly CellResult[]): string {
  const head = ['optimizer', 'lr', s.extra ? s.extra.key : 'extra', `${s.metric}_val_loss`, 'diverged'];
  const rows = cells.map((c, i) => {
    const r = results[i];
    const v = r && Number.isFinite(r.value) ? String(r.value) : '';
    return [c.optimizer, String(c.lr), c.extra === null ? '' : String(c.extra), v, r?.diverged ? '1' : '0'].join(',');
  });
  return `${[head.join(','), ...rows].join('\n')}\n`;
}
