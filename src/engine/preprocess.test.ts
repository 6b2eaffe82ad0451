import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './eigen';
import { applyPreprocess, covariance, fitPreprocess } from './preprocess';
import { Rng } from './rng';

/**
 * n samples of a correlated D-dim Gaussian: x = A z + offset, with A = diag(1, 1.5, 2, ...) plus
 * 0.4 * random off-diagonal entries (correlated, yet a moderate condition number).
 */
function correlated(n: number, D: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const A = Array.from({ length: D * D }, (_, k) =>
    k % (D + 1) === 0 ? 1 + 0.5 * (k / (D + 1)) : 0.4 * rng.gaussian(),
  );
  const x = new Float32Array(n * D);
  const z = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < D; j++) z[j] = rng.gaussian();
    for (let i = 0; i < D; i++) {
      let s = 3 * i - 2; // offsets, so centring matters
      for (let j = 0; j < D; j++) s += A[i * D + j] * z[j];
      x[r * D + i] = s;
    }
  }
  return x;
}

function stats(x: Float32Array, n: number, D: number) {
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) mean[j] += x[r * D + j] / n;
  return { mean, cov: covariance(x, n, D, mean) };
}

describe('symmetricEigen', () => {
  it('decomposes a random symmetric matrix: A = V diag(l) V^T, V orthonormal, l ascending', () => {
    const n = 7;
    const rng = new Rng(3);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const v = rng.gaussian();
        A[i * n + j] = v;
        A[j * n + i] = v;
      }
    const { values, vectors: V } = symmetricEigen(A, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let rec = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          rec += V[i * n + k] * values[k] * V[j * n + k];
          dot += V[k * n + i] * V[k * n + j];
        }
        expect(Math.abs(rec - A[i * n + j])).toBeLessThan(1e-12);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
  });

  it('handles repeated and zero eigenvalues (a rank-1 matrix)', () => {
    const u = [1, 2, 2];
    const A = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A[i * 3 + j] = u[i] * u[j];
    const { values } = symmetricEigen(A, 3);
    expect(Math.abs(values[0])).toBeLessThan(1e-12);
    expect(Math.abs(values[1])).toBeLessThan(1e-12);
    expect(values[2]).toBeCloseTo(9, 12);
  });
});

describe('preprocessing', () => {
  const n = 600;
  const D = 4;
  const x = correlated(n, D, 11);

  it('standardize: training features get mean 0 and variance 1', () => {
    const p = fitPreprocess('standardize', x, n, D);
    const { mean, cov } = stats(applyPreprocess(p, x, n), n, D);
    for (let j = 0; j < D; j++) {
      expect(Math.abs(mean[j])).toBeLessThan(1e-5);
      expect(Math.abs(cov[j * D + j] - 1)).toBeLessThan(1e-5);
    }
    // Standardizing does not decorrelate: off-diagonals stay (the data are strongly correlated).
    expect(Math.abs(cov[1])).toBeGreaterThan(0.1);
  });

  it('whiten (PCA): training features get mean 0 and identity covariance', () => {
    const p = fitPreprocess('whiten', x, n, D);
    if (p.kind !== 'whiten') throw new Error('expected whiten');
    const { mean, cov } = stats(applyPreprocess(p, x, n), n, D);
    for (let i = 0; i < D; i++) {
      expect(Math.abs(mean[i])).toBeLessThan(1e-5);
      for (let j = 0; j < D; j++) expect(Math.abs(cov[i * D + j] - (i === j ? 1 : 0))).toBeLessThan(1e-3);
      // Exactly: diag(lambda/(lambda + eps)), the regularized identity documented in preprocess.ts.
      const l = p.eigenvalues[i];
      expect(Math.abs(cov[i * D + i] - l / (l + p.eps))).toBeLessThan(1e-6);
    }
    for (let k = 1; k < D; k++) expect(p.eigenvalues[k]).toBeLessThanOrEqual(p.eigenvalues[k - 1]);
  });

  it('uses training statistics only: other data are transformed with the same mean and scale', () => {
    const p = fitPreprocess('standardize', x, n, D);
    const shifted = Float32Array.from(x, (v, i) => (i % D === 0 ? v + 10 : v));
    const y = applyPreprocess(p, shifted, n);
    const { mean } = stats(y, n, D);
    // Feature 0 moved by 10 raw units = 10 * invStd standardized units; the others are unchanged.
    if (p.kind !== 'standardize') throw new Error('expected standardize');
    expect(mean[0]).toBeCloseTo(10 * p.invStd[0], 4);
    expect(Math.abs(mean[1])).toBeLessThan(1e-5);
  });

  it('a constant feature is left at 0 instead of dividing by zero', () => {
    const c = Float32Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 5 : i));
    for (const kind of ['standardize', 'whiten'] as const) {
      const y = applyPreprocess(fitPreprocess(kind, c, 10, 2), c, 10);
      expect(y.every(Number.isFinite)).toBe(true);
    }
  });

  it('rejects inconsistent sizes', () => {
    expect(() => fitPreprocess('standardize', new Float32Array(5), 2, 2)).toThrow(/expected 2x2/);
  });
});
