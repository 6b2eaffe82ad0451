// Metrics of all runs as JSON and CSV. A run is a label plus two tables of named columns, one
// row per recorded step and one per epoch; both the lesson demo and the playground's ring
// buffers are turned into this shape, so one exporter serves both.
import type { SeriesBuffer } from '../trainer/metricsBuffer';

export type Columns = Record<string, ArrayLike<number>>;

export interface MetricsRun {
  label: string;
  steps: Columns;
  epochs: Columns;
}

export const METRICS_FORMAT = 'descent-metrics';

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** { format, runs: [{ label, steps: { col: [...] }, epochs: { col: [...] } }] }; NaN/Infinity -> null. */
export function metricsJson(runs: MetricsRun[]): string {
  const table = (c: Columns) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.from(v, num)]));
  return `${JSON.stringify({ format: METRICS_FORMAT, version: 1, runs: runs.map((r) => ({ label: r.label, steps: table(r.steps), epochs: table(r.epochs) })) })}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One long table: run, label, series ('step' or 'epoch'), then the union of all columns (empty
 * where a series has no such column or the value is not finite).
 */
export function metricsCsv(runs: MetricsRun[]): string {
  const cols: string[] = [];
  for (const r of runs)
    for (const c of [...Object.keys(r.steps), ...Object.keys(r.epochs)]) if (!cols.includes(c)) cols.push(c);
  const lines = [['run', 'label', 'series', ...cols].join(',')];
  runs.forEach((r, i) => {
    for (const [series, table] of [
      ['step', r.steps],
      ['epoch', r.epochs],
    ] as const) {
      const n = Math.max(0, ...Object.values(table).map((v) => v.length));
      for (let k = 0; k < n; k++) {
        const cells = cols.map((c) => {
          const v = table[c]?.[k];
          return v !== undefined && Number.isFinite(v) ? String(v) : '';
        });
        lines.push([String(i), csvCell(r.label), series, ...cells].join(','));
      }
    }
  });
  return `${lines.join('\n')}\n`;
}

/** A ring buffer's columns by name (copies). */
export function seriesColumns(s: SeriesBuffer): Columns {
  return Object.fromEntries(s.names.map((name, c) => [name, Float64Array.from(s.column(c))]));
}
