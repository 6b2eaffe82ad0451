// symmetricEigenWork: the same decomposition as symmetricEigen, in pieces (a page's main thread
// runs it in slices: compare/plane.ts pcaWork).
import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenWork } from './eigen';
import { Rng } from './rng';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) A[i * n + j] = A[j * n + i] = rng.gaussian();
  return A;
}

describe('symmetricEigenWork', () => {
  it('pauses after every reflection and every eigenvalue, and decomposes A = V diag(values) V^T', () => {
    const n = 40;
    const A = randomSymmetric(n, 11);
    const work = symmetricEigenWork(A, n);
    let pauses = 0;
    let r = work.next();
    while (!r.done) {
      pauses++;
      r = work.next();
    }
    // n-1 reflections, n-1 accumulation steps, n QL eigenvalues
    expect(pauses).toBe(3 * n - 2);
    const { values, vectors: V } = r.value;
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += V[i * n + k] * values[k] * V[j * n + k];
        worst = Math.max(worst, Math.abs(s - A[i * n + j]));
      }
    expect(worst).toBeLessThan(1e-10);
    // the one-call form is this work run to its end: the same floats
    const once = symmetricEigen(A, n);
    expect(Array.from(once.values)).toEqual(Array.from(values));
    expect(Array.from(once.vectors)).toEqual(Array.from(V));
  });
});
