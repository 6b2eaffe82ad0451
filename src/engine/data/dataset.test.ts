import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../defaults';
import type { DataConfig, DatasetName } from '../types';
import { type Dataset, makeDataset, valCount } from './dataset';
import { checkerboardClass, REGRESSION_2D } from './generators2d';

const cfg = (over: Partial<DataConfig>): DataConfig => ({ ...DEFAULT_CONFIG.data, ...over });
const NAMES_2D: DatasetName[] = ['circle', 'xor', 'blobs', 'spiral', 'moons', 'checkerboard', 'regPlane', 'regGauss'];

/** All (raw) points of both splits with their labels. */
function points(ds: Dataset) {
  const out: { x: number; y: number; label: number }[] = [];
  for (const [x, y, n] of [
    [ds.xTrainRaw, ds.yTrain, ds.nTrain],
    [ds.xValRaw, ds.yVal, ds.nVal],
  ] as const)
    for (let i = 0; i < n; i++) out.push({ x: x[2 * i], y: x[2 * i + 1], label: y[i] });
  return out;
}

describe('makeDataset (2D)', () => {
  it.each(NAMES_2D.map((n) => [n]))('%s: sizes, split, bounds, determinism', (name) => {
    const c = cfg({ name, samples: 300, valFraction: 0.2, classes: 4 });
    const a = makeDataset(c, 5);
    expect(a.nTrain + a.nVal).toBe(300);
    expect(a.nVal).toBe(60);
    expect(a.xTrain.length).toBe(a.nTrain * 2);
    expect(a.inputDim).toBe(2);
    // Same seed: identical; other seed: different.
    expect(makeDataset(c, 5).xTrain).toEqual(a.xTrain);
    expect(makeDataset(c, 6).xTrain).not.toEqual(a.xTrain);
    const { xMin, xMax, yMin, yMax } = a.bounds!;
    for (const p of points(makeDataset({ ...c, noise: 0 }, 5))) {
      expect(p.x).toBeGreaterThanOrEqual(xMin);
      expect(p.x).toBeLessThanOrEqual(xMax);
      expect(p.y).toBeGreaterThanOrEqual(yMin);
      expect(p.y).toBeLessThanOrEqual(yMax);
    }
  });

  it('classes are balanced and the split mixes them', () => {
    const ds = makeDataset(cfg({ name: 'blobs', classes: 5, samples: 500, valFraction: 0.2 }), 1);
    if (ds.kind !== 'classification') throw new Error('classification expected');
    expect(ds.classes).toBe(5);
    expect(ds.outputDim).toBe(5);
    const counts = new Array(5).fill(0);
    for (const l of [...ds.yTrain, ...ds.yVal]) counts[l]++;
    expect(counts).toEqual([100, 100, 100, 100, 100]);
    expect(new Set(ds.yVal).size).toBe(5);
  });

  it('noise-free labels follow each set geometry', () => {
    const at = (name: DatasetName) => points(makeDataset(cfg({ name, noise: 0, samples: 400 }), 3));
    for (const p of at('circle')) expect(p.label).toBe(Math.hypot(p.x, p.y) < 0.6 ? 1 : 0);
    for (const p of at('circle')) expect(Math.abs(Math.hypot(p.x, p.y) - 0.6)).toBeGreaterThan(0.099);
    for (const p of at('xor')) expect(p.label).toBe(p.x * p.y > 0 ? 0 : 1);
    for (const p of at('checkerboard')) expect(p.label).toBe(checkerboardClass(p.x, p.y));
    // Spiral arms: class 1 is class 0 rotated by pi, so the angle offset identifies the arm.
    for (const p of at('spiral')) {
      const r = Math.hypot(p.x, p.y);
      const t = (r - 0.05) / 0.95;
      const a0 = 1.75 * 2 * Math.PI * t;
      const d0 = Math.hypot(p.x - r * Math.sin(a0), p.y - r * Math.cos(a0));
      expect(d0 < 1e-5 ? 0 : 1).toBe(p.label);
    }
    // Moons: each moon lies on its circle of radius 0.8 (scaled sklearn), centres (-0.4,-0.2) and (0.4, 0.2).
    for (const p of at('moons')) {
      const [cx, cy] = p.label === 0 ? [-0.4, -0.2] : [0.4, 0.2];
      expect(Math.hypot(p.x - cx, p.y - cy)).toBeCloseTo(0.8, 5);
    }
  });

  it('noise moves points across the clean boundary', () => {
    const clean = points(makeDataset(cfg({ name: 'xor', noise: 0, samples: 400 }), 3));
    const noisy = points(makeDataset(cfg({ name: 'xor', noise: 0.5, samples: 400 }), 3));
    const wrong = (ps: typeof clean) => ps.filter((p) => p.label !== (p.x * p.y > 0 ? 0 : 1)).length;
    expect(wrong(clean)).toBe(0);
    expect(wrong(noisy)).toBeGreaterThan(20);
  });

  it('regression targets are the noise-free function plus noise', () => {
    for (const name of ['regPlane', 'regGauss'] as const) {
      const ds = makeDataset(cfg({ name, noise: 0, samples: 200 }), 2);
      expect(ds.kind).toBe('regression');
      expect(ds.outputDim).toBe(1);
      for (let i = 0; i < ds.nTrain; i++)
        expect(ds.yTrain[i]).toBeCloseTo(REGRESSION_2D[name].f(ds.xTrain[2 * i], ds.xTrain[2 * i + 1]), 5);
      const noisy = makeDataset(cfg({ name, noise: 1, samples: 200 }), 2);
      let sq = 0;
      for (let i = 0; i < noisy.nTrain; i++)
        sq += (noisy.yTrain[i] - REGRESSION_2D[name].f(noisy.xTrain[2 * i], noisy.xTrain[2 * i + 1])) ** 2;
      expect(Math.sqrt(sq / noisy.nTrain)).toBeGreaterThan(0.05);
    }
  });

  it('preprocessing is fitted on the training split and applied to both', () => {
    const ds = makeDataset(cfg({ name: 'moons', samples: 400, preprocess: 'standardize' }), 4);
    expect(ds.preprocessor?.kind).toBe('standardize');
    const meanOf = (x: Float32Array, n: number, j: number) =>
      x.filter((_, i) => i % 2 === j).reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(meanOf(ds.xTrain, ds.nTrain, 0))).toBeLessThan(1e-6);
    expect(Math.abs(meanOf(ds.xVal, ds.nVal, 0))).toBeGreaterThan(1e-6); // val keeps its own offset
    expect(ds.xTrainRaw).not.toBe(ds.xTrain);
    const plain = makeDataset(cfg({ name: 'moons', samples: 400 }), 4);
    expect(plain.xTrainRaw).toEqual(ds.xTrainRaw); // same raw points, only the transform differs
    expect(plain.preprocessor).toBeNull();
  });

  it('valCount keeps at least one sample on each side', () => {
    expect(valCount(10, 0)).toBe(0);
    expect(valCount(10, 0.01)).toBe(1);
    expect(valCount(2, 0.9)).toBe(1);
  });

  it('rejects bad fields with messages naming them', () => {
    expect(() => makeDataset(cfg({ name: 'mnist' as DatasetName }), 1)).toThrow(/data\.name/);
    expect(() => makeDataset(cfg({ noise: 2 }), 1)).toThrow(/data\.noise/);
    expect(() => makeDataset(cfg({ samples: 1 }), 1)).toThrow(/data\.samples/);
    expect(() => makeDataset(cfg({ valFraction: 0.95 }), 1)).toThrow(/data\.valFraction/);
    expect(() => makeDataset(cfg({ name: 'blobs', classes: 6 }), 1)).toThrow(/data\.classes/);
  });
});
