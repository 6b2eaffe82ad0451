import { describe, expect, it } from 'vitest';
import type { EpochColumns, RunMetrics } from '../../workers/protocol';
import { EPOCH_METRICS, fieldsOf, MetricColumns, type MetricSpec, STEP_METRICS } from '../engine/metricsSchema';
import { MetricsBuffer, SeriesBuffer } from './metricsBuffer';

/** Append samples one at a time (row[c] is column c's value). */
const push = (s: SeriesBuffer, row: number[]) =>
  s.append(
    row.map((v) => ({ data: [v], offset: 0, stride: 1 })),
    1,
  );
/** Append n samples of every column at once: column c's sample i is f(i, c). */
function appendAll(s: SeriesBuffer, n: number, f: (i: number, c: number) => number) {
  s.append(
    s.names.map((_, c) => ({ data: Array.from({ length: n }, (_, i) => f(i, c)), offset: 0, stride: 1 })),
    n,
  );
}

function noEpochs(): EpochColumns {
  return new MetricColumns(EPOCH_METRICS, 0).takeColumns();
}

/**
 * A batch of steps [from, from + n) built from the metrics table: every scalar field = step, and
 * per-layer fields = step * (l + 1), negated for the second per-layer field (gradNorm).
 */
function batch(run: number, from: number, n: number, layers: number): RunMetrics {
  const c = new MetricColumns(STEP_METRICS, layers);
  for (let i = 0; i < n; i++) {
    c.addRow();
    fieldsOf(STEP_METRICS).forEach((k) => {
      const col = c.cols[k];
      if (!(STEP_METRICS[k] as MetricSpec).perLayer) col[i] = from + i;
      else for (let l = 0; l < layers; l++) col[i * layers + l] = (k === 'gradNorm' ? -1 : 1) * (from + i) * (l + 1);
    });
  }
  return { run, layers, ...c.takeColumns(), epochs: noEpochs() };
}

describe('SeriesBuffer', () => {
  it('keeps every sample until full, then merges pairs and doubles the stride', () => {
    const s = new SeriesBuffer(['x', 'last', 'max'], ['mean', 'last', 'max'], 8);
    for (let i = 0; i < 8; i++) push(s, [i, i, i % 3]);
    // Filling the 8th slot triggers the merge: 4 points of 2 samples each.
    expect(s.stride).toBe(2);
    expect(Array.from(s.column(0))).toEqual([0.5, 2.5, 4.5, 6.5]);
    expect(Array.from(s.column(1))).toEqual([1, 3, 5, 7]);
    expect(Array.from(s.column(2))).toEqual([1, 2, 2, 1]);
  });

  it('shows the partial bucket as the newest point', () => {
    const s = new SeriesBuffer(['x'], ['mean'], 4);
    for (let i = 0; i < 4; i++) push(s, [i]); // -> stride 2, points [0.5, 2.5]
    push(s, [10]);
    expect(s.size).toBe(3);
    expect(s.last(0)).toBe(10);
    push(s, [20]);
    expect(Array.from(s.column(0))).toEqual([0.5, 2.5, 15]);
  });

  it('stays bounded and keeps the mean of the whole history over a long run', () => {
    const s = new SeriesBuffer(['x'], ['mean'], 64);
    const N = 100_000;
    for (let i = 0; i < N; i++) push(s, [i]);
    expect(s.size).toBeLessThanOrEqual(64);
    expect(s.total).toBe(N);
    // Each committed point is the mean of `stride` consecutive samples: the first one is (0 + stride-1)/2.
    expect(s.column(0)[0]).toBe((s.stride - 1) / 2);
    const col = s.column(0);
    for (let j = 1; j < col.length; j++) expect(col[j]).toBeGreaterThan(col[j - 1]);
  });

  it('gives the same points whether samples come one by one or in batches of any size', () => {
    const names = ['mean', 'last', 'max', 'min'];
    const reduce = ['mean', 'last', 'max', 'min'] as const;
    const v = (i: number, c: number) => Math.sin(i * 0.37 + c) * (i % 7) + (c === 3 ? -i : 0);
    const one = new SeriesBuffer(names, reduce, 16);
    for (let i = 0; i < 1000; i++)
      push(
        one,
        [0, 1, 2, 3].map((c) => v(i, c)),
      );
    for (const sizes of [[1000], [3, 997], [17, 1, 250, 732], [5, 5, 5, 985]]) {
      const many = new SeriesBuffer(names, reduce, 16);
      let from = 0;
      for (const n of sizes) {
        appendAll(many, n, (i, c) => v(from + i, c));
        from += n;
      }
      expect([many.size, many.stride, many.total]).toEqual([one.size, one.stride, one.total]);
      for (let c = 0; c < 4; c++) expect(Array.from(many.column(c))).toEqual(Array.from(one.column(c)));
    }
    // a min point keeps the smallest of its samples
    expect(one.column(3)[0]).toBe(Math.min(...Array.from({ length: one.stride }, (_, i) => v(i, 3))));
  });

  it('rejects odd capacities and mismatched reduce lists', () => {
    expect(() => new SeriesBuffer(['a'], ['mean'], 7)).toThrow(/even/);
    expect(() => new SeriesBuffer(['a', 'b'], ['mean'], 8)).toThrow(/reduce/);
  });
});

describe('MetricsBuffer', () => {
  it('splits per-layer columns and keeps runs apart', () => {
    const m = new MetricsBuffer({ stepCapacity: 16 });
    expect(m.append(0, 2, [batch(0, 0, 3, 2), batch(1, 100, 2, 2)])).toBe(true);
    const h0 = m.runs[0]!;
    const h1 = m.runs[1]!;
    expect(Array.from(h0.step('loss'))).toEqual([0, 1, 2]);
    expect(Array.from(h0.layer('updateRatio', 1))).toEqual([0, 2, 4]);
    expect(Array.from(h0.layer('gradNorm', 0))).toEqual([-0, -1, -2]);
    expect(Array.from(h1.step('step'))).toEqual([100, 101]);
  });

  it('drops stale generations and clears on a new one', () => {
    const m = new MetricsBuffer();
    m.append(3, 1, [batch(0, 0, 5, 1)]);
    const v = m.version;
    expect(m.append(2, 1, [batch(0, 0, 5, 1)])).toBe(false);
    expect(m.version).toBe(v);
    expect(m.runs[0]!.steps.size).toBe(5);
    m.append(4, 1, [batch(0, 0, 2, 3)]);
    expect(m.runs[0]!.steps.size).toBe(2);
    expect(m.runs[0]!.layers).toBe(3);
  });
});
