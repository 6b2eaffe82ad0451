import { describe, expect, it } from 'vitest';
import type { EpochColumns, RunMetrics } from '../../workers/protocol';
import { MetricsBuffer, SeriesBuffer } from './metricsBuffer';

function noEpochs(): EpochColumns {
  const f32 = () => new Float32Array(0);
  const f64 = () => new Float64Array(0);
  return {
    n: 0,
    epoch: f64(),
    step: f64(),
    trainLoss: f32(),
    trainAcc: f32(),
    valLoss: f32(),
    valAcc: f32(),
    lr: f32(),
    bestEpoch: f64(),
    improved: new Uint8Array(0),
  };
}

/** A batch of steps [from, from + n) where loss = step and layer l's ratio = step * (l + 1). */
function batch(run: number, from: number, n: number, layers: number): RunMetrics {
  const step = Float64Array.from({ length: n }, (_, i) => from + i);
  const updateRatio = new Float32Array(n * layers);
  const gradNorm = new Float32Array(n * layers);
  for (let i = 0; i < n; i++)
    for (let l = 0; l < layers; l++) {
      updateRatio[i * layers + l] = (from + i) * (l + 1);
      gradNorm[i * layers + l] = -(from + i) * (l + 1);
    }
  const col = () => Float32Array.from(step);
  return {
    run,
    n,
    layers,
    step,
    epoch: Float64Array.from(step, (s) => s / 10),
    loss: col(),
    dataLoss: col(),
    batchAcc: col(),
    lr: col(),
    updateRatio,
    gradNorm,
    epochs: noEpochs(),
  };
}

describe('SeriesBuffer', () => {
  it('keeps every sample until full, then merges pairs and doubles the stride', () => {
    const s = new SeriesBuffer(['x', 'last', 'max'], ['mean', 'last', 'max'], 8);
    for (let i = 0; i < 8; i++) s.push([i, i, i % 3]);
    // Filling the 8th slot triggers the merge: 4 points of 2 samples each.
    expect(s.stride).toBe(2);
    expect(Array.from(s.column(0))).toEqual([0.5, 2.5, 4.5, 6.5]);
    expect(Array.from(s.column(1))).toEqual([1, 3, 5, 7]);
    expect(Array.from(s.column(2))).toEqual([1, 2, 2, 1]);
  });

  it('shows the partial bucket as the newest point', () => {
    const s = new SeriesBuffer(['x'], ['mean'], 4);
    for (let i = 0; i < 4; i++) s.push([i]); // -> stride 2, points [0.5, 2.5]
    s.push([10]);
    expect(s.size).toBe(3);
    expect(s.last(0)).toBe(10);
    s.push([20]);
    expect(Array.from(s.column(0))).toEqual([0.5, 2.5, 15]);
  });

  it('stays bounded and keeps the mean of the whole history over a long run', () => {
    const s = new SeriesBuffer(['x'], ['mean'], 64);
    const N = 100_000;
    for (let i = 0; i < N; i++) s.push([i]);
    expect(s.size).toBeLessThanOrEqual(64);
    expect(s.total).toBe(N);
    // Each committed point is the mean of `stride` consecutive samples: the first one is (0 + stride-1)/2.
    expect(s.column(0)[0]).toBe((s.stride - 1) / 2);
    const col = s.column(0);
    for (let j = 1; j < col.length; j++) expect(col[j]).toBeGreaterThan(col[j - 1]);
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
    expect(Array.from(h0.updateRatio(1))).toEqual([0, 2, 4]);
    expect(Array.from(h0.gradNorm(0))).toEqual([-0, -1, -2]);
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
