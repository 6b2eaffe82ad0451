// Finite-difference gradient checking: the math itself as the reference (micrograd's test, with
// central differences instead of PyTorch). Used by the engine tests in float64.
//
//   df/dx_k ~ (f(x + h e_k) - f(x - h e_k)) / (2h)     error O(h^2 f''') + O(eps_machine |f| / h)
// With float64 and h = 1e-6 both terms are around 1e-10 for the O(1) functions checked here.

/** Central-difference gradient of f at x (x is restored after each probe). */
export function numericGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const old = x[k];
    x[k] = old + h;
    const fp = f(x);
    x[k] = old - h;
    const fm = f(x);
    x[k] = old;
    g[k] = (fp - fm) / (2 * h);
  }
  return g;
}

/**
 * max_k |a_k - b_k| / max(|a_k|, |b_k|, floor). The floor keeps entries whose true gradient is
 * (near) zero from dividing rounding noise by nothing: below `floor` the error is read as
 * absolute error / floor, which is still strict (1e-10 absolute -> 1e-5 relative at floor 1e-5).
 */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-5): number {
  if (a.length !== b.length) throw new Error(`maxRelError: lengths ${a.length} and ${b.length} differ`);
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    const e = Math.abs(a[k] - b[k]) / Math.max(Math.abs(a[k]), Math.abs(b[k]), floor);
    if (Number.isNaN(e)) return Number.NaN; // a NaN anywhere fails every bound
    if (e > worst) worst = e;
  }
  return worst;
}
