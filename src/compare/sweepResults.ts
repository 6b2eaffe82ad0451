// What the sweep view draws from its runs' numbers (pure, tested without a worker): each cell's
// value (final or best validation loss; none when the run diverged), the best cell per optimizer,
// the line view's series and the CSV. Conventions: compare/sweep.ts's header.
import type { OptimizerName } from '../engine/types';
import type { CellResult, SweepCell, SweepConfig } from './sweep';

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
