import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../workers/digits';
import { addGaussianNoise, affineParams, affineWarp, noiseGaussian, trainingBatch } from './augment';
import { makeDataset } from './data/dataset';
import { DEFAULT_CONFIG } from './defaults';
import { hashUniform } from './hash';

describe('Gaussian input noise (counter-based)', () => {
  it('is the documented Box-Muller of two hash uniforms at (seed, step, 0, f | f+D, b)', () => {
    const D = 3;
    const u1 = hashUniform(42, 7, 0, 2, 5);
    const u2 = hashUniform(42, 7, 0, 2 + D, 5);
    expect(noiseGaussian(42, 7, 2, D, 5)).toBe(Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
  });

  it('has mean 0 and the requested standard deviation, and is reproducible per (seed, step)', () => {
    const B = 100;
    const D = 50;
    const x = new Float32Array(B * D);
    addGaussianNoise(x, B, D, 0.3, 9, 0);
    let m = 0;
    let v = 0;
    for (const a of x) m += a / x.length;
    for (const a of x) v += (a - m) ** 2 / x.length;
    // 5000 draws: the standard error of the mean is 0.3/sqrt(5000) = 0.0042, of the std about 0.003.
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(v) - 0.3)).toBeLessThan(0.015);
    const again = new Float32Array(B * D);
    addGaussianNoise(again, B, D, 0.3, 9, 0);
    expect(again).toEqual(x);
    const next = new Float32Array(B * D);
    addGaussianNoise(next, B, D, 0.3, 9, 1);
    expect(next).not.toEqual(x);
  });

  it('std 0 leaves the inputs untouched', () => {
    const x = Float32Array.from([1, 2, 3]);
    addGaussianNoise(x, 1, 3, 0, 1, 1);
    expect(x).toEqual(Float32Array.from([1, 2, 3]));
  });
});

describe('random affine for images', () => {
  const H = 8;
  const W = 8;
  const img = new Float32Array(H * W);
  img[2 * W + 3] = 1; // a single bright pixel at row 2, column 3

  const warp = (p: { dx: number; dy: number; rotation: number; scale: number }) => {
    const out = new Float32Array(H * W);
    affineWarp(img, out, H, W, p);
    return out;
  };

  it('identity parameters copy the image exactly', () => {
    expect(warp({ dx: 0, dy: 0, rotation: 0, scale: 1 })).toEqual(img);
  });

  it('an integer shift moves the pixel by that many pixels (x right, y down)', () => {
    const out = warp({ dx: 2, dy: 1, rotation: 0, scale: 1 });
    expect(out[3 * W + 5]).toBeCloseTo(1, 6);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });

  it('a half-pixel shift splits the pixel bilinearly', () => {
    const out = warp({ dx: 0.5, dy: 0, rotation: 0, scale: 1 });
    expect(out[2 * W + 3]).toBeCloseTo(0.5, 6);
    expect(out[2 * W + 4]).toBeCloseTo(0.5, 6);
  });

  it('a 90 degree rotation about the centre maps (row 2, col 3) to (row 3, col 5)', () => {
    // Centre (3.5, 3.5); offset (x, y) = (-0.5, -1.5) rotated by +90 deg (x right, y down) -> (1.5, -0.5).
    const out = warp({ dx: 0, dy: 0, rotation: Math.PI / 2, scale: 1 });
    expect(out[3 * W + 5]).toBeCloseTo(1, 6);
  });

  it('parameters are hash-derived, within the documented ranges, and differ per sample', () => {
    const ps = Array.from({ length: 200 }, (_, b) => affineParams(3, 10, b));
    for (const p of ps) {
      expect(Math.abs(p.dx)).toBeLessThanOrEqual(2);
      expect(Math.abs(p.dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual((12 * Math.PI) / 180);
      expect(Math.abs(p.scale - 1)).toBeLessThanOrEqual(0.1);
    }
    expect(new Set(ps.map((p) => p.dx)).size).toBe(200);
    expect(affineParams(3, 10, 7)).toEqual(ps[7]);
    expect(ps[0].dx).toBe((2 * hashUniform(3, 10, 1, 0, 0) - 1) * 2);
  });
});

describe('trainingBatch', () => {
  it('without augmentation returns exactly the rows asked for', () => {
    const ds = makeDataset({ ...DEFAULT_CONFIG.data, name: 'xor', samples: 50 }, 1);
    const idx = Int32Array.from([4, 0, 9]);
    const { x, y } = trainingBatch(ds, { augmentNoise: 0, augmentAffine: false }, idx, 5, 0);
    for (let b = 0; b < 3; b++) {
      expect([x[2 * b], x[2 * b + 1]]).toEqual([ds.xTrain[2 * idx[b]], ds.xTrain[2 * idx[b] + 1]]);
      expect(y[b]).toBe(ds.yTrain[idx[b]]);
    }
  });

  it('adds noise at batch positions, so the same sample gets different noise at different steps', () => {
    const ds = makeDataset({ ...DEFAULT_CONFIG.data, name: 'xor', samples: 50 }, 1);
    const idx = Int32Array.from([4]);
    const a = trainingBatch(ds, { augmentNoise: 0.1, augmentAffine: false }, idx, 5, 0).x;
    const b = trainingBatch(ds, { augmentNoise: 0.1, augmentAffine: false }, idx, 5, 1).x;
    expect(a[0]).not.toBe(b[0]);
    expect(a[0] - ds.xTrain[8]).toBeCloseTo(0.1 * noiseGaussian(5, 0, 0, 2, 0), 6);
  });

  it('warps digit images on raw pixels, then applies the preprocessing', async () => {
    const digits = await loadDigits();
    const cfg = { ...DEFAULT_CONFIG.data, name: 'digits' as const, samples: 300, preprocess: 'standardize' as const };
    const ds = makeDataset(cfg, 2, digits);
    const idx = Int32Array.from([0, 1]);
    const { x } = trainingBatch(ds, { augmentNoise: 0, augmentAffine: true }, idx, 8, 3);
    const raw = new Float32Array(784);
    affineWarp(ds.xTrainRaw, raw, 28, 28, affineParams(8, 3, 1), 784, 0);
    if (ds.preprocessor?.kind !== 'standardize') throw new Error('standardize expected');
    const p = ds.preprocessor;
    for (let j = 0; j < 784; j += 37) expect(x[784 + j]).toBeCloseTo((raw[j] - p.mean[j]) * p.invStd[j], 4);
    // The warp really changed the image.
    let diff = 0;
    for (let j = 0; j < 784; j++) diff += Math.abs(x[784 + j] - ds.xTrain[784 + j]);
    expect(diff).toBeGreaterThan(1);
  });
});
