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
// Parsing (URL, the view's fields) never throws: each bad field is named (`sweep.lrCount`, ...)
// and replaced by the default's; the URL form is in sweepHash.ts.
import { describeValue, type Notice } from '../config/schema';
import { hyperDef } from '../engine/optimizers/hypers';
import { OPTIMIZER_NAMES, optimizerSpec } from '../engine/optimizers/registry';
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

// ---------------------------------------------------------------------------------------------
// Parsing (URL, the view's fields). Never throws; every bad field is replaced and named.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LR = hyperDef('lr');

/** Reads a sweep from any value; bad fields take the default's value, each with a notice naming it. */
export function parseSweepConfig(raw: unknown): { sweep: SweepConfig; notices: Notice[] } {
  const def = defaultSweepConfig();
  const notices: Notice[] = [];
  if (raw === undefined) return { sweep: def, notices };
  if (!isObj(raw)) {
    notices.push({ path: 'sweep', message: `${describeValue(raw)} is not a sweep; using the default` });
    return { sweep: def, notices };
  }
  const bad = (field: string, message: string) => notices.push({ path: `sweep.${field}`, message });
  const out: SweepConfig = { ...def };

  if (raw.optimizers !== undefined) {
    const list = Array.isArray(raw.optimizers) ? raw.optimizers : [raw.optimizers];
    const names: OptimizerName[] = [];
    for (const n of list) {
      if (typeof n !== 'string' || !(OPTIMIZER_NAMES as readonly string[]).includes(n))
        bad('optimizers', `${describeValue(n)} is not an optimizer (one of ${OPTIMIZER_NAMES.join(', ')}); left out`);
      else if (names.includes(n as OptimizerName)) bad('optimizers', `${n} is listed twice; once is enough`);
      else names.push(n as OptimizerName);
    }
    if (names.length > 0) out.optimizers = names;
    else bad('optimizers', `no optimizer to sweep; using ${def.optimizers.join(', ')}`);
  }

  const lrOk = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= LR.min && v <= LR.max;
  const lrWhy = (v: unknown) => `${describeValue(v)} is not a learning rate from ${LR.min} to ${LR.max}`;
  let lrMin = def.lrMin;
  let lrMax = def.lrMax;
  if (raw.lrMin !== undefined) {
    if (lrOk(raw.lrMin)) lrMin = raw.lrMin;
    else bad('lrMin', `${lrWhy(raw.lrMin)}; using ${def.lrMin}`);
  }
  if (raw.lrMax !== undefined) {
    if (lrOk(raw.lrMax)) lrMax = raw.lrMax;
    else bad('lrMax', `${lrWhy(raw.lrMax)}; using ${def.lrMax}`);
  }
  if (lrMin < lrMax) Object.assign(out, { lrMin, lrMax });
  else
    bad('lrMax', `the largest lr (${lrMax}) must be above the smallest (${lrMin}); using ${def.lrMin} to ${def.lrMax}`);

  if (raw.lrCount !== undefined) {
    const n = raw.lrCount;
    if (typeof n === 'number' && Number.isInteger(n) && n >= MIN_LRS && n <= MAX_LRS) out.lrCount = n;
    else
      bad(
        'lrCount',
        `${describeValue(n)} is not a whole number of learning rates from ${MIN_LRS} to ${MAX_LRS}; using ${def.lrCount}`,
      );
  }

  if (raw.epochs !== undefined) {
    const n = raw.epochs;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SWEEP_EPOCHS) out.epochs = n;
    else
      bad(
        'epochs',
        `${describeValue(n)} is not a whole number of epochs from 1 to ${MAX_SWEEP_EPOCHS}; using ${def.epochs}`,
      );
  }

  if (raw.metric !== undefined) {
    if (raw.metric === 'final' || raw.metric === 'best') out.metric = raw.metric;
    else bad('metric', `${describeValue(raw.metric)} is not final or best; using ${def.metric}`);
  }

  if (raw.extra !== undefined && raw.extra !== null) out.extra = parseExtra(raw.extra, out.optimizers, bad);

  const runs = sweepCells(out).length;
  if (runs > MAX_SWEEP_RUNS) {
    notices.push({
      path: 'sweep',
      message: `${runs} runs; at most ${MAX_SWEEP_RUNS} train together (fewer optimizers, lr values or extra values); using the default sweep`,
    });
    return { sweep: def, notices };
  }
  return { sweep: out, notices };
}

function parseExtra(
  raw: unknown,
  optimizers: readonly OptimizerName[],
  bad: (field: string, message: string) => void,
): SweepConfig['extra'] {
  if (!isObj(raw) || typeof raw.key !== 'string' || !(SWEEP_AXES as readonly string[]).includes(raw.key)) {
    const key = isObj(raw) ? raw.key : raw;
    bad('extra', `${describeValue(key)} is not a sweep axis (one of ${SWEEP_AXES.join(', ')}); no extra axis`);
    return null;
  }
  const key = raw.key as SweepAxis;
  const h = hyperDef(key);
  if (!optimizers.some((o) => optimizerSpec(o).hypers.includes(key))) {
    bad('extra', `none of ${optimizers.join(', ')} uses ${key}; no extra axis`);
    return null;
  }
  const list = Array.isArray(raw.values) ? raw.values : [];
  const values: number[] = [];
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < h.min || v > h.max)
      bad(`extra.${key}[${i}]`, `${describeValue(v)} is not a ${key} from ${h.min} to ${h.max}; left out`);
    else if (values.includes(v)) bad(`extra.${key}[${i}]`, `${v} is listed twice; once is enough`);
    else values.push(v);
  });
  if (values.length < MIN_EXTRA || values.length > MAX_EXTRA) {
    bad(
      `extra.${key}`,
      `${values.length} usable values; an extra axis takes ${MIN_EXTRA} to ${MAX_EXTRA}; no extra axis`,
    );
    return null;
  }
  return { key, values: values.sort((a, b) => a - b) };
}
