// Eigen-decomposition of a real symmetric matrix (for PCA whitening): Householder reduction to
// tridiagonal form, then the implicit QL algorithm. This is the classic EISPACK tred2/tql2 pair
// as written in JAMA (public domain), O(n^3) with no iteration over sweeps, fast enough for the
// 784x784 covariance of the digits (about a second in JS).
//
// A[n, n] row-major, symmetric. Returns eigenvalues ascending and eigenvectors as the columns of
// V[n, n] (row-major: V[i*n + k] is component i of eigenvector k), so A = V diag(values) V^T.

export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const work = symmetricEigenWork(A, n);
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/**
 * symmetricEigen as resumable work: it pauses (yield) after each O(n^2) piece (one Householder
 * reflection, one QL eigenvalue), so a caller on a page's main thread can spread a 200 x 200
 * problem (~20 ms) over several tasks. The loops live in plain functions (V8 optimizes those, not
 * a generator's own loops); the arithmetic is the same, in the same order, as in one call.
 */
export function* symmetricEigenWork(
  A: Float64Array,
  n: number,
): Generator<void, { values: Float64Array; vectors: Float64Array }> {
  if (A.length !== n * n) throw new Error(`symmetricEigen: A has ${A.length} entries, expected ${n}x${n}`);
  const Z = Float64Array.from(A); // A symmetric: A^T = A is a valid start for the transposed form
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  yield* tred2(Z, d, e, n);
  yield* tql2(Z, d, e, n);
  // Z's rows are the eigenvectors; return them as columns (V = Z^T).
  const V = new Float64Array(n * n);
  transpose(Z, V, n);
  return { values: d, vectors: V };
}

function transpose(Z: Float64Array, V: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) V[i * n + k] = Z[k * n + i];
}

/**
 * Householder tridiagonalization; d gets the diagonal, e the off-diagonal, and W the accumulated
 * orthogonal transform Q *transposed* (W = Q^T, row k = column k of Q). JAMA's loops walk columns
 * of V; indexing the transpose instead turns every inner loop into a contiguous row walk, which is
 * what makes n = 784 take about a second instead of ten.
 */
function* tred2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): Generator<void, void> {
  for (let j = 0; j < n; j++) d[j] = W[j * n + (n - 1)];
  for (let i = n - 1; i > 0; i--) {
    tred2Reflect(W, d, e, n, i);
    yield;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    tred2Accumulate(W, d, n, i);
    yield;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + (n - 1)];
    W[j * n + (n - 1)] = 0;
  }
  W[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/** Step i of the reduction (i = n-1 down to 1): the Householder reflection of row i. */
function tred2Reflect(W: Float64Array, d: Float64Array, e: Float64Array, n: number, i: number): void {
  // Scale to avoid under/overflow.
  let scale = 0;
  let h = 0;
  for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
  if (scale === 0) {
    e[i] = d[i - 1];
    for (let j = 0; j < i; j++) {
      d[j] = W[j * n + (i - 1)];
      W[j * n + i] = 0;
      W[i * n + j] = 0;
    }
  } else {
    // Generate the Householder vector.
    for (let k = 0; k < i; k++) {
      d[k] /= scale;
      h += d[k] * d[k];
    }
    let f = d[i - 1];
    let g = Math.sqrt(h);
    if (f > 0) g = -g;
    e[i] = scale * g;
    h -= f * g;
    d[i - 1] = f - g;
    for (let j = 0; j < i; j++) e[j] = 0;
    // Apply the similarity transformation to the remaining columns.
    for (let j = 0; j < i; j++) {
      f = d[j];
      W[i * n + j] = f;
      g = e[j] + W[j * n + j] * f;
      for (let k = j + 1; k <= i - 1; k++) {
        g += W[j * n + k] * d[k];
        e[k] += W[j * n + k] * f;
      }
      e[j] = g;
    }
    f = 0;
    for (let j = 0; j < i; j++) {
      e[j] /= h;
      f += e[j] * d[j];
    }
    const hh = f / (h + h);
    for (let j = 0; j < i; j++) e[j] -= hh * d[j];
    for (let j = 0; j < i; j++) {
      f = d[j];
      g = e[j];
      for (let k = j; k <= i - 1; k++) W[j * n + k] -= f * e[k] + g * d[k];
      d[j] = W[j * n + (i - 1)];
      W[j * n + i] = 0;
    }
  }
  d[i] = h;
}

/** Step i of accumulating the transformations (i = 0 to n-2). */
function tred2Accumulate(W: Float64Array, d: Float64Array, n: number, i: number): void {
  W[i * n + (n - 1)] = W[i * n + i];
  W[i * n + i] = 1;
  const h = d[i + 1];
  if (h !== 0) {
    for (let k = 0; k <= i; k++) d[k] = W[(i + 1) * n + k] / h;
    for (let j = 0; j <= i; j++) {
      let g = 0;
      for (let k = 0; k <= i; k++) g += W[(i + 1) * n + k] * W[j * n + k];
      for (let k = 0; k <= i; k++) W[j * n + k] -= g * d[k];
    }
  }
  for (let k = 0; k <= i; k++) W[(i + 1) * n + k] = 0;
}

/** Implicit QL on the tridiagonal (d, e), accumulating rotations into the rows of Z = Q^T; sorts ascending. */
function* tql2(Z: Float64Array, d: Float64Array, e: Float64Array, n: number): Generator<void, void> {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  const st = { f: 0, tst1: 0 };
  for (let l = 0; l < n; l++) {
    tql2Eigenvalue(Z, d, e, n, l, st);
    yield;
  }
  // Sort eigenvalues (and their vectors) ascending.
  for (let i = 0; i < n - 1; i++) sortStep(Z, d, n, i);
}

/** Eigenvalue l of the QL iteration; `st` carries the shift sum f and the tolerance tst1 from l to l+1. */
function tql2Eigenvalue(
  Z: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  l: number,
  st: { f: number; tst1: number },
): void {
  const eps = 2 ** -52;
  let f = st.f;
  let tst1 = st.tst1;
  // Find a small subdiagonal element.
  tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
  let m = l;
  while (m < n) {
    if (Math.abs(e[m]) <= eps * tst1) break;
    m++;
  }
  // If m == l, d[l] is already an eigenvalue; otherwise iterate.
  if (m > l) {
    let iter = 0;
    do {
      if (++iter > 60) throw new Error('symmetricEigen: QL iteration did not converge');
      // Compute the implicit shift.
      let g = d[l];
      let p = (d[l + 1] - g) / (2 * e[l]);
      let r = Math.hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l] / (p + r);
      d[l + 1] = e[l] * (p + r);
      const dl1 = d[l + 1];
      let h = g - d[l];
      for (let i = l + 2; i < n; i++) d[i] -= h;
      f += h;
      // Implicit QL transformation.
      p = d[m];
      let c = 1;
      let c2 = c;
      let c3 = c;
      const el1 = e[l + 1];
      let s = 0;
      let s2 = 0;
      for (let i = m - 1; i >= l; i--) {
        c3 = c2;
        c2 = c;
        s2 = s;
        g = c * e[i];
        h = c * p;
        r = Math.hypot(p, e[i]);
        e[i + 1] = s * r;
        s = e[i] / r;
        c = p / r;
        p = c * d[i] - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]);
        // Accumulate the rotation.
        const ri = i * n;
        const ri1 = ri + n;
        for (let k = 0; k < n; k++) {
          h = Z[ri1 + k];
          Z[ri1 + k] = s * Z[ri + k] + c * h;
          Z[ri + k] = c * Z[ri + k] - s * h;
        }
      }
      p = (-s * s2 * c3 * el1 * e[l]) / dl1;
      e[l] = s * p;
      d[l] = c * p;
    } while (Math.abs(e[l]) > eps * tst1);
  }
  d[l] += f;
  e[l] = 0;
  st.f = f;
  st.tst1 = tst1;
}

/** Selection sort step i: the smallest of d[i..] (and its vector) to place i. */
function sortStep(Z: Float64Array, d: Float64Array, n: number, i: number): void {
  let k = i;
  let p = d[i];
  for (let j = i + 1; j < n; j++) {
    if (d[j] < p) {
      k = j;
      p = d[j];
    }
  }
  if (k !== i) {
    d[k] = d[i];
    d[i] = p;
    for (let j = 0; j < n; j++) {
      const t = Z[i * n + j];
      Z[i * n + j] = Z[k * n + j];
      Z[k * n + j] = t;
    }
  }
}
